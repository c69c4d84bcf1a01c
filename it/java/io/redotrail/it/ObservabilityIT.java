package io.redotrail.it;

import com.sun.tools.attach.VirtualMachine;
import io.redotrail.cli.CliAccess;
import io.redotrail.it.ItDatabases.PgDatabase;
import io.redotrail.observe.HttpPortFile;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItDatabases.assertIdentical;
import static io.redotrail.it.ItJvms.startRunJvm;
import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItSupport.awaitApplied;
import static io.redotrail.it.ItSupport.play;
import static io.redotrail.it.ItSupport.settings;
import static io.redotrail.observe.PrometheusText.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics, health and JMX of a real {@code run} JVM replicating into PostgreSQL, scraped over HTTP as Prometheus
 * would: every group's port is in {@code dirchk/<GROUP>.http}; the record counters and positions move while a
 * workload runs; while the test holds a lock on the target tables the Replicat is stuck, its lag passes
 * LAGCRITICAL (3 s here) and {@code /health} answers 503 naming it, while the extract's counters still move; its
 * MBean, read over a real JMX connection (the attach API's local management agent of the child JVM), says the same;
 * once the lock goes the Replicat catches up, {@code /health} is 200 again and source and target are identical. A
 * graceful stop removes the port files.
 */
class ObservabilityIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(40);

    @TempDir
    Path home;

    private PgDatabase pg;
    private Process run;
    private final Scrape scrape = new Scrape(CATCH_UP);

    @AfterEach
    void cleanUp() throws Exception {
        if (run != null && run.isAlive()) {
            run.destroyForcibly();
            run.waitFor(30, TimeUnit.SECONDS);
        }
        if (pg != null) pg.close();
    }

    @Test
    void scrapedMetricsHealthAndMBeansFollowTheGroups() throws Exception {
        pg = PgDatabase.create("rt_obs_");
        String[] target = {"redotrail.target.jdbcUrl", pg.url(), "redotrail.target.user", "postgres", "redotrail.target.password", ""};
        Settings s = settings(home, target);
        CliAccess.Played first = play(s, 300, 141); // also makes the home and the target tables
        Path log = PROJECT.resolve("target/it-logs/ObservabilityIT-run.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        run = startRunJvm(home, log, "redotrail.target.jdbcUrl=" + pg.url(), "redotrail.target.user=postgres",
                "redotrail.target.password=", "redotrail.http.port=0", "redotrail.health.lagCriticalSeconds=3");

        await("dirchk/REP1.http", CATCH_UP, () -> HttpPortFile.read(home, "REP1").isPresent(), () -> "run log: " + log);
        int port = HttpPortFile.read(home, "REP1").getAsInt();
        awaitApplied(s, first.lastSelectedCsn(), CATCH_UP);
        // every group of the JVM, once it has run (a group's runtime state is made by its first step)
        for (String g : List.of("EXT1", "PUMP1")) assertEquals(OptionalInt.of(port), HttpPortFile.read(home, g), g + ": one server per JVM");
        String m1 = scrape.awaitRecords(port, "REP1", 1);
        double rep1 = Scrape.records(m1, "REP1");
        double ext1 = Scrape.records(m1, "EXT1");
        double writeCsn1 = sample(m1, "redotrail_write_csn", "group=\"EXT1\"");
        assertTrue(writeCsn1 > 0, "EXT1's write position:\n" + m1);
        assertTrue(sample(m1, "redotrail_transactions_total", "group=\"REP1\"", "outcome=\"applied\"") > 0);
        assertTrue(m1.contains("camel_exchanges"), "Camel's route meters");
        assertTrue(m1.contains("jvm_memory_used_bytes{"), "the JVM's meters");
        await("/health UP", CATCH_UP, () -> scrape.status(port, "/health") == 200, () -> "");

        try (Connection lock = DriverManager.getConnection(pg.url(), "postgres", "");
             JMXConnector jmx = jmx(run.pid())) {
            // the Replicat's next checkpoint-table write waits for this lock (EXCLUSIVE: reads go on): the group is stuck, its lag grows
            lock.setAutoCommit(false);
            Scrape.holdReplicats(lock);
            CliAccess.Played second = play(s, 200, 142);
            await("REP1 not ready (lag above LAGCRITICAL)", CATCH_UP, () -> scrape.status(port, "/health/ready") == 503, () -> "");
            String ready = scrape.get(port, "/health", 503);
            assertTrue(ready.contains("redotrail-REP1-ready") && ready.contains("is above LAGCRITICAL 00:00:03"), ready);
            scrape.get(port, "/health/live", 200); // stuck, not dead
            String m2 = scrape.awaitRecords(port, "EXT1", ext1 + 1); // the extract goes on capturing
            assertTrue(sample(m2, "redotrail_lag_seconds", "group=\"REP1\"") >= 0, m2);
            assertEquals(0, sample(m2, "redotrail_group_healthy", "group=\"REP1\""), m2);
            // the checkpoint file, where positions are read from, is written every CHECKPOINTSECS (10 s)
            scrape.awaitMetrics(port, "EXT1's write position past CSN " + writeCsn1, b -> sample(b, "redotrail_write_csn", "group=\"EXT1\"") > writeCsn1);

            MBeanServerConnection mbs = jmx.getMBeanServerConnection();
            Set<ObjectName> names = mbs.queryNames(new ObjectName("io.redotrail:type=Group,name=\"REP1\",*"), null);
            assertEquals(1, names.size(), names.toString());
            ObjectName rep = names.iterator().next();
            assertEquals("REPLICAT", mbs.getAttribute(rep, "Kind"));
            assertEquals(Boolean.FALSE, mbs.getAttribute(rep, "Healthy"));
            assertTrue((Double) mbs.getAttribute(rep, "LagSeconds") > 3, "REP1's lag over JMX");
            ObjectName ext = mbs.queryNames(new ObjectName("io.redotrail:type=Group,name=\"EXT1\",*"), null).iterator().next();
            String status = (String) mbs.invoke(ext, "status", new Object[0], new String[0]);
            assertTrue(status.contains("EXT1"), status);
            String stats = (String) mbs.invoke(ext, "stats", new Object[0], new String[0]);
            assertTrue(stats.contains("Total inserts"), stats);

            lock.rollback(); // the lock goes: the Replicat applies what waited
            awaitApplied(s, second.lastSelectedCsn(), CATCH_UP);
        }
        await("/health UP again", CATCH_UP, () -> scrape.status(port, "/health") == 200, () -> "");
        String m3 = scrape.get(port, "/metrics", 200);
        assertTrue(Scrape.records(m3, "REP1") > rep1, "REP1's counters moved:\n" + m3);
        assertIdentical(s);

        run.destroy(); // SIGTERM: graceful
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run did not stop on SIGTERM");
        for (String g : List.of("EXT1", "PUMP1", "REP1")) assertFalse(Files.exists(HttpPortFile.pathOf(home, g)), g + ".http left");
    }

    /** A JMX connection to the child JVM's local management agent, started through the attach API. */
    private static JMXConnector jmx(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }
}
