package io.redotrail.observe;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.ChangeOp;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.GroupStats;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static io.redotrail.observe.PrometheusText.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A Camel Main with {@link Observability} installed, over real HTTP and the platform MBeanServer: a group's STATS
 * counters and lag are served at /metrics as they change, /health follows the rules (abend, lag above
 * LAGCRITICAL: HTTP 503), the port is in dirchk/REP1.http while the context runs, and the group's MBean answers.
 */
class ObservabilityTest {
    @TempDir
    Path home;

    private Main main;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        if (main != null) main.stop();
    }

    private GroupRuntime start(long lagCriticalMillis) throws Exception {
        // a Replicat as its checkpoint file defines it; no route of it runs here, its runtime state is fed below
        Files.createDirectories(home.resolve("dirchk"));
        long now = System.currentTimeMillis();
        new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).write(new ProcessCheckpoint("REP1", "REPLICAT", List.of(),
                new TrailReadCheckpoint("./dirdat/ha", TrailPosition.START, now - 60_000, new TrailPosition(3, 1234), now - 1_000),
                List.of(), null, null, null, now - 60_000, now - 1_000, 'R'));
        main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:idle").routeId("idle").log("idle");
            }
        });
        main.configure().withJmxEnabled(true);
        Observability.install(main, new ObserveConfig("127.0.0.1", 0, lagCriticalMillis));
        main.start();
        return GroupRuntimes.of(main.getCamelContext(), home, "REP1");
    }

    private HttpResponse<String> get(String path) throws Exception {
        int port = Observability.of(main.getCamelContext()).httpPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsFollowTheGroupsCountersAndHealthItsRules() throws Exception {
        GroupRuntime rt = start(2_000);
        GroupStats.Tally t = new GroupStats.Tally();
        for (int i = 0; i < 3; i++) t.add("HR.EMP", ChangeOp.INSERT);
        t.add("HR.EMP", ChangeOp.DELETE);
        rt.batchDone(t, s -> "HR.EMP2");
        long now = System.currentTimeMillis();
        rt.stats().processed(now - 500, now);
        rt.stats().atEof(true);

        String body = awaitMetric("redotrail_read_rba", "group=\"REP1\"");
        body = awaitMetric("redotrail_records_total", "op=\"insert\"");
        assertEquals(3, sample(body, "redotrail_records_total", "group=\"REP1\"", "kind=\"REPLICAT\"", "table=\"HR.EMP\"", "target=\"HR.EMP2\"", "op=\"insert\""));
        assertEquals(1, sample(body, "redotrail_records_total", "table=\"HR.EMP\"", "op=\"delete\""));
        assertEquals(0, sample(body, "redotrail_records_total", "table=\"HR.EMP\"", "op=\"update\""));
        assertEquals(4, sample(body, "redotrail_group_records_total", "group=\"REP1\""));
        assertEquals(0.5, sample(body, "redotrail_lag_seconds", "group=\"REP1\""), 0.001);
        assertEquals(1, sample(body, "redotrail_group_up", "group=\"REP1\""));
        assertTrue(body.contains("jvm_memory_used_bytes"), "the JVM's meters are served too");
        // positions from the checkpoint file
        assertEquals(3, sample(body, "redotrail_read_seqno", "group=\"REP1\"", "source=\"./dirdat/ha\""));
        assertEquals(1234, sample(body, "redotrail_read_rba", "group=\"REP1\"", "source=\"./dirdat/ha\""));
        double age = sample(body, "redotrail_checkpoint_age_seconds", "group=\"REP1\"");
        assertTrue(age >= 1 && age < 600, "checkpoint age " + age);
        assertEquals(200, get("/health").statusCode());

        // more rows: the counter moves; the group is behind its source by more than LAGCRITICAL: not ready, alive
        t.add("HR.EMP", ChangeOp.INSERT);
        rt.batchDone(t, s -> "HR.EMP2");
        rt.stats().atEof(false);
        rt.stats().processed(System.currentTimeMillis() - 5_000, System.currentTimeMillis());
        assertEquals(4, sample(get("/metrics").body(), "redotrail_records_total", "table=\"HR.EMP\"", "op=\"insert\""));
        HttpResponse<String> ready = get("/health/ready");
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("above LAGCRITICAL 00:00:02"), ready.body());
        assertEquals(200, get("/health/live").statusCode());
        assertEquals(0, sample(get("/metrics").body(), "redotrail_group_healthy", "group=\"REP1\""));

        // an abend: DOWN for liveness too, with its cause
        rt.stats().atEof(true);
        assertEquals(200, get("/health").statusCode());
        rt.recordAbend(new IllegalStateException("OGG-00665 target table HR.EMP2 does not exist"));
        HttpResponse<String> health = get("/health");
        assertEquals(503, health.statusCode());
        assertTrue(health.body().contains("abended: OGG-00665 target table HR.EMP2 does not exist"), health.body());
        assertEquals(503, get("/health/live").statusCode());
        assertEquals(0, sample(get("/metrics").body(), "redotrail_group_up", "group=\"REP1\""));
    }

    @Test
    void thePortFileAndTheMBeanLiveAsLongAsTheContext() throws Exception {
        GroupRuntime rt = start(-1);
        int port = Observability.of(main.getCamelContext()).httpPort();
        assertEquals(OptionalInt.of(port), HttpPortFile.read(home, "REP1"));

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.redotrail:type=Group,context=\"" + main.getCamelContext().getName() + "\",name=\"REP1\"");
        assertEquals("REPLICAT", server.getAttribute(name, "Kind"));
        assertEquals("RUNNING", server.getAttribute(name, "Status"));
        GroupStats.Tally t = new GroupStats.Tally();
        t.add("HR.EMP", ChangeOp.UPDATE);
        rt.batchDone(t, null);
        assertEquals(1L, server.getAttribute(name, "Records"));
        String stats = (String) server.invoke(name, "stats", new Object[0], new String[0]);
        assertTrue(stats.contains("HR.EMP") && stats.contains("Total updates"), stats);
        String unknown = (String) server.invoke(name, "send", new Object[]{"NOSUCHVERB"}, new String[]{String.class.getName()});
        assertTrue(unknown.startsWith("ERROR: ") && unknown.contains("NOSUCHVERB"), unknown);
        assertTrue(server.queryNames(new ObjectName("org.apache.camel:*"), null).size() > 0, "Camel's own MBeans are on");

        main.stop();
        main = null;
        assertFalse(Files.exists(HttpPortFile.pathOf(home, "REP1")), "removed at a graceful stop");
        assertFalse(server.isRegistered(name));
    }

    private String awaitMetric(String metric, String label) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body;
        do {
            body = get("/metrics").body();
            if (!Double.isNaN(sample(body, metric, label))) return body;
            Thread.sleep(200);
        } while (System.nanoTime() < end);
        fail(metric + " with " + label + " not served within 30 s:\n" + body);
        return body;
    }
}
