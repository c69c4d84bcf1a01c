package io.redotrail.it.control;

import io.redotrail.cli.CliAccess;
import io.redotrail.it.ItDatabases.PgDatabase;
import io.redotrail.it.Scrape;
import io.redotrail.observe.HttpPortFile;
import io.redotrail.report.PidFile;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.redotrail.it.ItDatabases.assertIdentical;
import static io.redotrail.it.ItJvms.keepingLogs;
import static io.redotrail.it.ItJvms.killMinus9;
import static io.redotrail.it.ItJvms.runUntilApplied;
import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItSupport.awaitApplied;
import static io.redotrail.it.ItSupport.play;
import static io.redotrail.it.ItSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics and health of the group processes the Manager runs (EXT1, PUMP1, REP1: one JVM each) into PostgreSQL,
 * scraped over HTTP: each group's own {@code /metrics} on the ephemeral port of {@code dirchk/<GROUP>.http} holds
 * that group's samples only, labelled with its group and kind, and its counters move under a workload; the
 * Manager's {@code /metrics} (HTTPPORT) merges all three. While the test holds a lock on the target tables the
 * Replicat is stuck: its lag passes the Manager's LAGCRITICALSECONDS 3 and REP1's {@code /health/ready} answers 503,
 * then 200 once the lock goes and it caught up. A {@code kill -9} of REP1's JVM makes the Manager's
 * {@code /health/ready} 503 naming it; started again through the Manager, it applies the rest: source = target.
 */
class ManagerObservabilityIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> KINDS = Map.of("EXT1", "EXTRACT", "PUMP1", "PUMP", "REP1", "REPLICAT");
    private static final List<String> GROUPS = List.of("EXT1", "PUMP1", "REP1");

    @TempDir
    Path home;

    private PgDatabase pg;
    private final Scrape scrape = new Scrape(WAIT);

    @AfterEach
    void dropDatabase() {
        if (pg != null) pg.close();
    }

    @Test
    void groupProcessesServeMetricsAndHealthAndTheManagerMergesThem() throws Throwable {
        keepingLogs(home, "ManagerObservabilityIT", this::scrapeGroups);
    }

    private void scrapeGroups() throws Exception {
        pg = PgDatabase.create("rt_mgrobs_");
        String[] props = {"redotrail.target.jdbcUrl=" + pg.url(), "redotrail.target.user=postgres", "redotrail.target.password=",
                "redotrail.extract.megabytes=1", "redotrail.pump.megabytes=1"};
        Settings s = settings(home, "redotrail.target.jdbcUrl", pg.url(), "redotrail.target.user", "postgres",
                "redotrail.target.password", "", "redotrail.extract.megabytes", "1", "redotrail.pump.megabytes", "1");
        CliAccess.Played first = play(s, 150, 161);
        // the groups as the real pipeline defines them: dirchk/ then holds EXT1.cpe, PUMP1.cpe, REP1.cpr
        runUntilApplied(home, s, PROJECT.resolve("target/it-logs/ManagerObservabilityIT-run.log"), first.lastSelectedCsn(), props);
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/ext1.prm"), "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\n");
        Files.writeString(home.resolve("dirprm/pump1.prm"), "EXTRACT PUMP1\nRMTTRAIL ./dirdat/ha\nPASSTHRU\nTABLE YDJK.*;\nTABLE POS_USER9.*;\n");
        Files.writeString(home.resolve("dirprm/rep1.prm"), "REPLICAT REP1\nMAP YDJK.*, TARGET YDJK.*;\nMAP POS_USER9.*, TARGET POS_USER9.*;\n");
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\nHTTPPORT 0\nAUTOSTART ER *\nLAGCRITICALSECONDS 3\n");
        String[] sets = new String[props.length * 2];
        for (int i = 0; i < props.length; i++) {
            sets[2 * i] = "--set";
            sets[2 * i + 1] = props[i];
        }
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerObservabilityIT", false, sets)) {
            int mgrHttp = Integer.parseInt(PidFile.fields(home, "MGR").orElseThrow().getProperty("httpPort").trim());
            ManagerJvm.awaitRunning(home, GROUPS, WAIT);
            CliAccess.Played second = play(s, 150, 162);
            awaitApplied(s, second.lastSelectedCsn(), WAIT);

            // each group process: its own port, its own samples, its counters moved with the second workload
            for (String g : GROUPS) {
                await("dirchk/" + g + ".http", WAIT, () -> HttpPortFile.read(home, g).isPresent(), () -> "");
                int port = HttpPortFile.read(home, g).getAsInt();
                String body = scrape.awaitRecords(port, g, 1);
                assertOnlyGroup(body, g);
                assertTrue(body.contains("redotrail_group_up{group=\"" + g + "\",kind=\"" + KINDS.get(g) + "\"} 1.0"), g + ":\n" + body);
                assertEquals(200, scrape.status(port, "/health/ready"), g + " ready");
            }
            String merged = scrape.awaitMetrics(mgrHttp, "all three groups", b -> GROUPS.stream().allMatch(g -> Scrape.records(b, g) > 0));
            for (String g : GROUPS) {
                assertTrue(merged.contains("redotrail_group_up{group=\"" + g + "\",kind=\"" + KINDS.get(g) + "\"} 1.0"), g + " in the Manager's:\n" + merged);
            }
            assertTrue(merged.contains("redotrail_manager_uptime_seconds{group=\"MGR\"} "), merged);

            int rep = HttpPortFile.read(home, "REP1").getAsInt();
            int ext = HttpPortFile.read(home, "EXT1").getAsInt();
            double extRecords = Scrape.records(scrape.get(ext, "/metrics", 200), "EXT1");
            double repRecords = Scrape.records(scrape.get(rep, "/metrics", 200), "REP1");
            CliAccess.Played third;
            try (Connection lock = DriverManager.getConnection(pg.url(), "postgres", "")) {
                // the Replicat's next checkpoint-table write waits (EXCLUSIVE lets reads go on): its lag grows
                lock.setAutoCommit(false);
                Scrape.holdReplicats(lock);
                third = play(s, 150, 163);
                await("REP1 not ready (lag above the Manager's LAGCRITICALSECONDS 3)", WAIT, () -> scrape.status(rep, "/health/ready") == 503, () -> "");
                String ready = scrape.get(rep, "/health/ready", 503);
                assertTrue(ready.contains("redotrail-REP1-ready") && ready.contains("is above LAGCRITICAL 00:00:03"), ready);
                assertEquals(200, scrape.status(rep, "/health/live"), "stuck, not dead");
                assertEquals(200, scrape.status(ext, "/health/ready"), "EXT1 is not held back");
                scrape.awaitRecords(ext, "EXT1", extRecords + 1); // the extract goes on capturing
                assertEquals(repRecords, Scrape.records(scrape.get(rep, "/metrics", 200), "REP1"), "REP1 applied nothing under the lock");
                lock.rollback();
            }
            awaitApplied(s, third.lastSelectedCsn(), WAIT);
            await("REP1 ready again", WAIT, () -> scrape.status(rep, "/health/ready") == 200, () -> "");
            assertTrue(Scrape.records(scrape.get(rep, "/metrics", 200), "REP1") > repRecords, "REP1's counters moved");
            // the Manager reads Lag at Chkpt: REP1's first checkpoint after the lock records the wait, its next one at EOF 0
            await("the Manager's /health/ready 200", WAIT, () -> scrape.status(mgrHttp, "/health/ready") == 200, () -> "");

            // kill -9 of REP1's JVM (no AUTORESTART): the Manager's readiness names it, the others are ready
            CliAccess.Played fourth = play(s, 150, 164);
            killMinus9(ManagerJvm.status(home, "REP1").pid());
            String[] mgrBody = {""};
            await("the Manager's /health/ready 503 naming REP1 abended", WAIT, () -> {
                try {
                    mgrBody[0] = scrape.get(mgrHttp, "/health/ready", 503);
                } catch (Exception | AssertionError e) { // 200, or 503 for lag (its Lag at Chkpt before the kill)
                    return false;
                }
                return mgrBody[0].contains("REPLICAT REP1 abended");
            }, () -> mgrBody[0]);
            String mgrReady = mgrBody[0];
            assertTrue(mgrReady.contains("\"name\":\"redotrail-REP1-ready\"") && mgrReady.contains("REPLICAT REP1 abended"), mgrReady);
            assertFalse(mgrReady.contains("EXT1 abended") || mgrReady.contains("PUMP1 abended"), "the others run on: " + mgrReady);
            assertEquals(200, scrape.status(mgrHttp, "/health/live"), "the Manager itself is alive");
            assertEquals(-1, scrape.status(rep, "/health"), "REP1's own server died with it");

            assertEquals("REPLICAT REP1 starting\n", m.send("START REP1"));
            awaitApplied(s, fourth.lastSelectedCsn(), WAIT);
            await("the Manager's /health/ready 200 again", WAIT, () -> scrape.status(mgrHttp, "/health/ready") == 200, () -> "");
            assertEquals(0, m.terminate(WAIT));
        }
        assertIdentical(s);
    }

    /** Every redotrail sample of a group process's own /metrics is of {@code group}, with its kind. */
    private static void assertOnlyGroup(String body, String group) {
        String labels = "group=\"" + group + "\",kind=\"" + KINDS.get(group) + "\"";
        List<String> others = body.lines().filter(l -> l.startsWith("redotrail_") && !l.contains(labels)).toList();
        assertTrue(others.isEmpty(), group + "'s /metrics has samples of no or another group: " + others);
    }
}
