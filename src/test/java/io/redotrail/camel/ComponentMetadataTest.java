package io.redotrail.camel;

import io.redotrail.redo.camel.RedoComponent;
import io.redotrail.redo.camel.RedoConfiguration;
import io.redotrail.redo.camel.RedoConstants;
import io.redotrail.redo.camel.RedoEndpoint;
import io.redotrail.trail.ReadPositionStore;
import io.redotrail.trail.camel.TrailComponent;
import io.redotrail.trail.camel.TrailConfiguration;
import io.redotrail.trail.camel.TrailConstants;
import io.redotrail.trail.camel.TrailEndpoint;
import io.redotrail.trail.camel.TrailRole;
import org.apache.camel.CamelContext;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.RuntimeCamelCatalog;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.BeanIntrospection;
import org.apache.camel.spi.ConfigurerResolver;
import org.apache.camel.spi.GeneratedPropertyConfigurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.tooling.model.BaseOptionModel;
import org.apache.camel.tooling.model.ComponentModel;
import org.apache.camel.tooling.model.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component metadata camel-package-maven-plugin generates from the annotations, read the way tooling reads it:
 * the component JSON through the context's runtime catalog (its JSON schema resolver asks the CamelContext), and
 * the generated property configurers through the context's configurer resolver. Every annotated option and header
 * must be in the JSON with its description, and configuring every option must not fall back to reflection.
 */
class ComponentMetadataTest {
    @TempDir
    Path home;
    private CamelContext ctx;

    @BeforeEach
    void start() {
        ctx = new DefaultCamelContext();
        ctx.start();
    }

    @AfterEach
    void stop() {
        ctx.stop();
    }

    private ComponentModel model(String scheme) {
        RuntimeCamelCatalog catalog = ctx.getCamelContextExtension().getContextPlugin(RuntimeCamelCatalog.class);
        String json = catalog.componentJSonSchema(scheme);
        assertNotNull(json, "no component JSON for " + scheme + " (META-INF/<package>/" + scheme + ".json)");
        return JsonMapper.generateComponentModel(json);
    }

    /** The option names a class declares with an annotation, as the JSON must list them. */
    private static List<String> annotated(Class<?> type, Class<? extends java.lang.annotation.Annotation> annotation) {
        return java.util.Arrays.stream(type.getDeclaredFields()).filter(f -> f.isAnnotationPresent(annotation))
                .filter(f -> !f.getType().isAnnotationPresent(org.apache.camel.spi.UriParams.class))
                .map(Field::getName).toList();
    }

    private static <T extends BaseOptionModel> void assertDescribed(String scheme, List<String> names, List<T> options) {
        Map<String, T> byName = options.stream().collect(Collectors.toMap(BaseOptionModel::getName, Function.identity()));
        assertFalse(names.isEmpty());
        for (String name : names) {
            T o = byName.get(name);
            assertNotNull(o, scheme + ": option " + name + " missing from the component JSON " + byName.keySet());
            assertFalse(o.getDescription() == null || o.getDescription().isBlank(), scheme + ": " + name + " has no description");
        }
    }

    private static void assertHeaders(String scheme, Class<?> constants, ComponentModel model) throws Exception {
        Map<String, ComponentModel.EndpointHeaderModel> headers = model.getEndpointHeaders().stream()
                .collect(Collectors.toMap(BaseOptionModel::getName, Function.identity()));
        int n = 0;
        for (Field f : constants.getDeclaredFields()) {
            Metadata m = f.getAnnotation(Metadata.class);
            if (m == null) continue;
            n++;
            ComponentModel.EndpointHeaderModel h = headers.get((String) f.get(null));
            assertNotNull(h, scheme + ": header " + f.get(null) + " missing from the component JSON");
            assertEquals(m.description(), h.getDescription());
            assertEquals(m.javaType(), h.getJavaType());
            assertEquals(constants.getName() + "#" + f.getName(), h.getConstantName());
        }
        assertEquals(n, headers.size(), scheme + ": headers " + headers.keySet());
    }

    @Test
    void redoOptionsAndHeadersAreInTheComponentJson() throws Exception {
        ComponentModel m = model("redo");
        assertEquals("redo:database", m.getSyntax());
        assertTrue(m.isConsumerOnly());
        assertEquals(RedoComponent.class.getName(), m.getJavaType());
        assertDescribed("redo", annotated(RedoComponent.class, Metadata.class), m.getComponentOptions());
        assertDescribed("redo", annotated(RedoConfiguration.class, UriParam.class), m.getEndpointOptions());
        assertDescribed("redo", annotated(RedoEndpoint.class, UriPath.class), m.getEndpointOptions());
        assertDescribed("redo", List.of("bridgeErrorHandler", "exceptionHandler"), m.getEndpointOptions());
        ComponentModel.EndpointOptionModel begin = m.getEndpointOptions().stream()
                .filter(o -> o.getName().equals("begin")).findFirst().orElseThrow();
        assertEquals(List.of("earliest", "now"), begin.getEnums());
        assertEquals("earliest", begin.getDefaultValue());
        assertTrue(m.getEndpointOptions().stream().anyMatch(o -> o.getName().equals("group") && o.isRequired()));
        assertHeaders("redo", RedoConstants.class, m);
        assertEquals("RedotrailRowCount", RedoConstants.ROW_COUNT);
    }

    @Test
    void trailOptionsAndHeadersAreInTheComponentJson() throws Exception {
        ComponentModel m = model("trail");
        assertEquals("trail:path", m.getSyntax());
        assertDescribed("trail", annotated(TrailComponent.class, Metadata.class), m.getComponentOptions());
        assertDescribed("trail", annotated(TrailConfiguration.class, UriParam.class), m.getEndpointOptions());
        assertDescribed("trail", annotated(TrailEndpoint.class, UriPath.class), m.getEndpointOptions());
        ComponentModel.EndpointOptionModel role = m.getEndpointOptions().stream()
                .filter(o -> o.getName().equals("role")).findFirst().orElseThrow();
        assertEquals(List.of("EXTRACT", "REPLICAT"), role.getEnums());
        assertEquals("REPLICAT", role.getDefaultValue());
        assertEquals("consumer", role.getLabel());
        assertHeaders("trail", TrailConstants.class, m);
        // user routes name these headers: their values do not change
        assertEquals("RedotrailReadCheckpoint", TrailConstants.READ_CHECKPOINT);
        assertEquals("RedotrailTrailCaughtUp", TrailConstants.TRAIL_CAUGHT_UP);

        // the catalog validates URIs against it, as an IDE would
        RuntimeCamelCatalog catalog = ctx.getCamelContextExtension().getContextPlugin(RuntimeCamelCatalog.class);
        EndpointValidationResult bad = catalog.validateProperties("trail", Map.of("path", "dirdat/ex", "group", "P", "role", "PUMP"));
        assertFalse(bad.isSuccess());
        assertTrue(bad.getInvalidEnum().containsKey("role"), bad.summaryErrorMessage(false));
        assertTrue(catalog.validateProperties("trail", Map.of("path", "dirdat/ex", "group", "P", "role", "EXTRACT")).isSuccess());
    }

    @Test
    void theGeneratedConfigurersAreUsedAndNothingIsSetByReflection() {
        ConfigurerResolver resolver = ctx.getCamelContextExtension().getContextPlugin(ConfigurerResolver.class);
        for (String name : List.of("redo-component", "redo-endpoint", RedoConfiguration.class.getName(),
                "trail-component", "trail-endpoint", TrailConfiguration.class.getName())) {
            PropertyConfigurer c = resolver.resolvePropertyConfigurer(name, ctx);
            assertNotNull(c, "no generated configurer " + name);
            assertInstanceOf(GeneratedPropertyConfigurer.class, c, name);
        }
        RedoComponent redo = ctx.getComponent("redo", RedoComponent.class);
        TrailComponent trail = ctx.getComponent("trail", TrailComponent.class);
        assertEquals("io.redotrail.redo.camel.RedoEndpointConfigurer", redo.getEndpointPropertyConfigurer().getClass().getName());
        assertEquals("io.redotrail.trail.camel.TrailEndpointConfigurer", trail.getEndpointPropertyConfigurer().getClass().getName());
        redo.setHome(home.toString());
        trail.setHome(home.toString());
        ctx.getRegistry().bind("store", (ReadPositionStore) Optional::empty);
        ctx.getRegistry().bind("starts", (io.redotrail.redo.RedoStartPositions) Map::of);

        BeanIntrospection introspection = ctx.getCamelContextExtension().getContextPlugin(BeanIntrospection.class);
        introspection.setExtendedStatistics(true);
        // the counter does count reflection: a bean without a configurer is set through it
        introspection.resetCounters();
        PropertyBindingSupport.build().bind(ctx, new Plain(), new java.util.HashMap<>(Map.of("name", "x")));
        assertTrue(introspection.getInvokedCounter() > 0, "reflection is counted");

        introspection.resetCounters();
        RedoEndpoint r = ctx.getEndpoint("redo:orcl?group=ext1&threads=2&maxBatchRecords=7&idleDelay=3&begin=now"
                + "&startPositions=#starts&bridgeErrorHandler=true", RedoEndpoint.class);
        TrailEndpoint t = ctx.getEndpoint("trail:dirdat/ha?group=REP1&role=REPLICAT&positionStore=#store&maxBatchOps=9"
                + "&idleDelay=4&spillRows=11&megabytes=12&maxFileBytes=13&trailType=RMTTRAIL&checkpointSecs=14"
                + "&bridgeErrorHandler=true", TrailEndpoint.class);
        assertEquals(0, introspection.getInvokedCounter(), "options were set by reflection");
        assertEquals("EXT1", r.getConfiguration().getGroup());
        assertEquals(2, r.getConfiguration().getThreads());
        assertEquals("now", r.getConfiguration().getBegin());
        assertNotNull(r.getConfiguration().getStartPositions());
        assertTrue(r.isBridgeErrorHandler());
        assertEquals(TrailRole.REPLICAT, t.getConfiguration().getRole());
        assertEquals(9, t.getConfiguration().getMaxBatchOps());
        assertEquals(13, t.getConfiguration().getMaxFileBytes());
        assertEquals("RMTTRAIL", t.getConfiguration().getTrailType());
        assertEquals(14, t.getConfiguration().getCheckpointSecs());
        assertNotNull(t.getConfiguration().getPositionStore());
        assertTrue(t.isBridgeErrorHandler());
    }

    public static class Plain {
        private String name;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }
}
