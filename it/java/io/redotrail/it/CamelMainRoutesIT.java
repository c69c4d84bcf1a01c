package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Settings;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.verify.VerifyReport;
import org.apache.camel.Route;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.PROJECT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The route bundle as an integration engineer tests a customised copy of it: camel-test-main-junit5 loads the
 * real {@code routes/*.yaml} from disk with the real {@code config/application.properties}, a temporary home
 * overriding {@code redotrail.home}, and a NotifyBuilder waits for the replicat to finish exchanges.
 */
class CamelMainRoutesIT extends CamelMainTestSupport {
    private static Path home;
    private static Settings settings;

    @BeforeAll
    static void prepare() throws Exception {
        home = Files.createTempDirectory("redotrail-camel-main");
        settings = Settings.load(PROJECT.resolve("config/application.properties"), Map.of("redotrail.home", home.toString()));
        CliAccess.prepareHome(settings);
    }

    @AfterAll
    static void cleanup() {
        io.redotrail.core.FileTrees.delete(home);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:" + PROJECT.resolve("config/application.properties");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("redotrail.home", home.toString());
        return p;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:" + PROJECT.resolve("routes") + "/*.yaml");
    }

    @Test
    void theYamlRoutesLoadWithTheirIdsAndStartupOrder() {
        Route extract = context.getRoute("extract"), pump = context.getRoute("pump"), replicat = context.getRoute("replicat");
        assertNotNull(extract, "route id extract");
        assertNotNull(pump, "route id pump");
        assertNotNull(replicat, "route id replicat");
        assertEquals(30, extract.getStartupOrder(), "extract starts last, stops first");
        assertEquals(20, pump.getStartupOrder());
        assertEquals(10, replicat.getStartupOrder(), "replicat starts first, stops last");
        assertTrue(extract.getEndpoint().getEndpointUri().startsWith("redo:"), extract.getEndpoint().getEndpointUri());
    }

    @Test
    void aWorkloadFlowsThroughTheRoutesUntilTheTargetEqualsTheSource() throws Exception {
        NotifyBuilder replicated = new NotifyBuilder(context).fromRoute("replicat")
                .filter(e -> !e.getMessage().getBody(java.util.List.class).isEmpty()).whenCompleted(1).create();
        CliAccess.Played played = CliAccess.play(settings, 2_000, 77, new PrintStream(OutputStream.nullOutputStream()));
        assertTrue(replicated.matches(60, TimeUnit.SECONDS), "the replicat route completed no exchange with transactions");
        io.redotrail.replicat.ReplicatApplier rep = io.redotrail.runtime.Pipeline.routeBean(context, "replicat",
                io.redotrail.replicat.ReplicatApplier.class);
        long deadline = System.currentTimeMillis() + 60_000;
        while (rep.lastCheckpoint().map(c -> c.logCsn().value()).orElse(0L) < played.lastSelectedCsn()) {
            assertTrue(System.currentTimeMillis() < deadline, "replicat did not reach CSN " + played.lastSelectedCsn());
            assertTrue(GroupRuntimes.of(context).abends().isEmpty(), "abended: " + GroupRuntimes.of(context).abends());
            Thread.sleep(50);
        }
        VerifyReport r = CliAccess.compare(settings);
        assertTrue(r.allEqual(), "source and target differ");
    }
}
