package io.redotrail.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/** A template's startupOrder parameter becomes each route's startup order, placeholders resolved. */
class StartupOrderParameterTest {
    private static final String TEMPLATE = """
            - routeTemplate:
                id: tick
                parameters:
                  - name: name
                  - name: startupOrder
                from:
                  uri: "direct:{{name}}"
                  steps:
                    - log: "{{name}}"
            """;

    private static CamelContext load(String yaml) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("my.order", "7");
        ctx.getPropertiesComponent().setInitialProperties(p);
        PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("t.yaml", yaml));
        return ctx;
    }

    private static String instance(String id, String order) {
        return """
                - templatedRoute:
                    routeTemplateRef: tick
                    routeId: %s
                    parameters:
                      - name: name
                        value: %s
                      - name: startupOrder
                        value: "%s"
                """.formatted(id, id, order);
    }

    @Test
    void eachRouteFromTheTemplateGetsItsOwnStartupOrder() throws Exception {
        try (CamelContext ctx = load(TEMPLATE + instance("a", "30") + instance("b", "{{my.order}}"))) {
            ctx.start();
            assertEquals(30, ctx.getRoute("a").getStartupOrder());
            assertEquals(7, ctx.getRoute("b").getStartupOrder());
        }
    }

    @Test
    void aValueThatIsNoIntegerIsRefusedNamingRouteParameterAndValue() {
        Exception e = assertThrows(Exception.class, () -> {
            try (CamelContext ctx = load(TEMPLATE + instance("c", "first"))) {
                ctx.start();
            }
        });
        String chain = "";
        for (Throwable t = e; t != null; t = t.getCause()) chain += t.getMessage() + " | ";
        assertTrue(chain.contains("route c: template parameter startupOrder = 'first' is not an integer"), chain);
    }
}
