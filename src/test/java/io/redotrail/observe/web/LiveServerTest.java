package io.redotrail.observe.web;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live page's server on a real loopback port (HTTPPORT 0): the page and its script come from the jar, the JSON
 * endpoints answer for a home with one group that never ran, a report's last lines and abends come from the files,
 * a bad group name is refused, {@code /metrics} holds the Manager's own gauges labelled {@code group="MGR"}, and
 * {@code /health/ready} is 503 naming a group whose pid file says it abended (200 while it is only stopped) or a
 * running group whose checkpoint lag passes LAGCRITICAL.
 */
class LiveServerTest {
    @TempDir
    Path home;

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsJson() throws Exception {
        Files.createDirectories(home.resolve("dirrpt"));
        Files.writeString(home.resolve("dirrpt/REP1.rpt"), "line 1\n2026-12-03 08:00:00  ERROR   OGG-01668  PROCESS ABENDING: table gone\n");
        Files.writeString(home.resolve("ggserr.log"), "2026-12-03 08:00:01  ERROR   OGG-01668  redotrail Manager, mgr.prm:  REPLICAT REP1 ABENDED (pid 7, killed by signal 9): x\n"
                + "2026-12-03 08:00:01  ERROR   OGG-01668  redotrail Manager, mgr.prm:  REPLICAT REP10 ABENDED (pid 8): not REP1's\n");
        List<GroupRef> groups = List.of(new GroupRef("REP1", "REPLICAT", Optional.empty(), null));
        try (LiveServer s = LiveServer.start(home, "127.0.0.1", 0, () -> groups, -1)) {
            assertTrue(s.port() > 0, "bound port " + s.port());
            HttpResponse<String> page = get(s.port(), "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<table id=\"status\">") && page.body().contains("live.js"), page.body());
            assertTrue(get(s.port(), "/live.js").body().contains("api/history"));
            String status = get(s.port(), "/api/status").body();
            assertTrue(status.contains("\"group\":\"REP1\"") && status.contains("\"status\":\"STOPPED\""), status);
            assertTrue(get(s.port(), "/api/history").body().contains("\"sampleMillis\":2000"));
            String report = get(s.port(), "/api/report/REP1").body();
            assertTrue(report.contains("line 1") && report.contains("PROCESS ABENDING: table gone") && report.contains("REPLICAT REP1 ABENDED"), report);
            assertTrue(!report.contains("REP10"), report);
            assertEquals(400, get(s.port(), "/api/report/NOT_A_GROUP_NAME").statusCode());
            String metrics = get(s.port(), "/metrics").body();
            assertTrue(metrics.contains("redotrail_manager_heap_used_bytes{group=\"MGR\"} "), metrics);
        }
    }

    @Test
    void healthIsDownNamingAnAbendedGroupAndUpForAStoppedOne() throws Exception {
        Files.createDirectories(home.resolve("dirchk"));
        List<GroupRef> groups = List.of(new GroupRef("EXT1", "EXTRACT", Optional.empty(), null),
                new GroupRef("REP1", "REPLICAT", Optional.empty(), null));
        try (LiveServer s = LiveServer.start(home, "127.0.0.1", 0, () -> groups, 3_000)) {
            // neither ever ran: STOPPED, which an operator chose, is not DOWN
            for (String path : List.of("/health", "/health/ready", "/health/live")) {
                HttpResponse<String> up = get(s.port(), path);
                assertEquals(200, up.statusCode(), path + " " + up.body());
                assertEquals("{\"status\":\"UP\"}", up.body(), path);
            }
            // REP1's last run abended (the record a process writes when it abends; nobody holds its lock any more)
            assertTrue(new PidFile(4242, "REPLICAT", System.currentTimeMillis(), true, "OGG-00665 table HR.EMP2 does not exist")
                    .write(PidFile.pathOf(home, "REP1")));
            assertTrue(get(s.port(), "/api/status").body().contains("\"group\":\"REP1\",\"program\":\"REPLICAT\",\"status\":\"ABENDED\""));
            for (String path : List.of("/health", "/health/ready")) {
                HttpResponse<String> down = get(s.port(), path);
                assertEquals(503, down.statusCode(), path + " " + down.body());
                assertEquals("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"redotrail-REP1-ready\",\"status\":\"DOWN\","
                        + "\"message\":\"REPLICAT REP1 abended: OGG-00665 table HR.EMP2 does not exist\"}]}", down.body(), path);
            }
            assertEquals(200, get(s.port(), "/health/live").statusCode(), "the Manager itself runs");
            // marked stopped (STOP REP1 after a fix): UP again
            assertTrue(new PidFile(4242, "REPLICAT", System.currentTimeMillis(), false, null).asStopped().write(PidFile.pathOf(home, "REP1")));
            assertEquals(200, get(s.port(), "/health/ready").statusCode());
        }
    }

    @Test
    void healthIsDownNamingARunningGroupPastLagCritical() throws Exception {
        Files.createDirectories(home.resolve("dirchk"));
        long now = System.currentTimeMillis();
        // EXT1 runs (this JVM holds its lock under its own record) and its checkpoint says 5 s behind its source
        assertTrue(GroupLock.acquire(home, "EXT1"));
        try {
            assertTrue(new PidFile(ProcessHandle.current().pid(), "EXTRACT", now, false, null).write(PidFile.pathOf(home, "EXT1")));
            ProcessCheckpoint behind = new ProcessCheckpoint("EXT1", "EXTRACT", List.of(), null, List.of(), null, null, null,
                    now, now, 'A', 5_000, false);
            List<GroupRef> groups = List.of(new GroupRef("EXT1", "EXTRACT", Optional.of(behind), null));
            try (LiveServer s = LiveServer.start(home, "127.0.0.1", 0, () -> groups, 3_000)) {
                HttpResponse<String> down = get(s.port(), "/health/ready");
                assertEquals(503, down.statusCode(), down.body());
                assertTrue(down.body().contains("\"name\":\"redotrail-EXT1-ready\"")
                        && down.body().contains("EXTRACT EXT1 lag 00:00:05 is above LAGCRITICAL 00:00:03"), down.body());
                assertEquals(200, get(s.port(), "/health/live").statusCode());
            }
            try (LiveServer s = LiveServer.start(home, "127.0.0.1", 0, () -> groups, 10_000)) {
                assertEquals(200, get(s.port(), "/health/ready").statusCode(), "5 s is below LAGCRITICAL 10 s");
            }
        } finally {
            GroupLock.release(home, "EXT1");
        }
    }

    @Test
    void aPortInUseIsRefusedWithTheReason() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LiveServer.start(home, "127.0.0.1", taken.getLocalPort(), List::of, -1));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use"), e.getMessage());
        }
    }

    @Test
    void metricsOfTwoJvmsMergeByFamilyWithAGroupLabel() {
        String jvm = "# HELP jvm_threads_live_threads live\n# TYPE jvm_threads_live_threads gauge\njvm_threads_live_threads 12.0\n"
                + "# TYPE lat histogram\nlat_bucket{le=\"1\"} 3\nlat_sum 2.5\nlat_count 3\n";
        String merged = new MetricsMerge().add("EXT1", jvm).add("REP1", jvm.replace("12.0", "9.0")).text();
        assertEquals("""
                # HELP jvm_threads_live_threads live
                # TYPE jvm_threads_live_threads gauge
                jvm_threads_live_threads{group="EXT1"} 12.0
                jvm_threads_live_threads{group="REP1"} 9.0
                # TYPE lat histogram
                lat_bucket{group="EXT1",le="1"} 3
                lat_sum{group="EXT1"} 2.5
                lat_count{group="EXT1"} 3
                lat_bucket{group="REP1",le="1"} 3
                lat_sum{group="REP1"} 2.5
                lat_count{group="REP1"} 3
                """, merged);
        assertEquals("x{group=\"A\",a=\"b\"} 1", MetricsMerge.labelled("x{a=\"b\"} 1", 1, "B").replace("B", "A"));
        assertEquals("x{group=\"G\"} 1", MetricsMerge.labelled("x{group=\"G\"} 1", 1, "OTHER"));
    }

    @Test
    void totalOperationsSumsTheTablesOfAStatsReply() {
        String reply = """
                Extracting from YDJK.T1 to YDJK.T1:

                *** Total statistics since 2026-12-03 08:00:00 ***
                \tTotal inserts                   \t          10.00
                \tTotal operations                \t          12.00

                Extracting from YDJK.T2 to YDJK.T2:

                *** Total statistics since 2026-12-03 08:00:00 ***
                \tTotal operations                \t           3.00
                End of Statistics.
                """;
        assertEquals(15, History.totalOperations(reply));
        assertEquals(0, History.totalOperations("No active extraction maps.\n"));
    }
}
