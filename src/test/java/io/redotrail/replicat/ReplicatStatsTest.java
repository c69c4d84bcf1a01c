package io.redotrail.replicat;

import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.StatsText;
import io.redotrail.trail.camel.TrailConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replicat's STATS on real H2: per source → target map, an operation REPERROR DISCARD discarded counts as a
 * discard, not as an operation; the lag of the last committed transaction and At EOF once the trail caught up.
 */
class ReplicatStatsTest {
    final CamelContext ctx = new DefaultCamelContext();
    @TempDir
    Path dir;
    ReplicatApplier a;

    @AfterEach
    void tearDown() throws SQLException {
        if (a != null) a.stop();
        try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    String url() {
        return "jdbc:h2:file:" + dir.resolve("target") + ";DB_CLOSE_DELAY=-1";
    }

    /** T.EMP and a Replicat REP1 mapping HR.EMP to it, with {@code repError}. */
    private void replicat(String repError) throws Exception {
        replicat(repError, false);
    }

    /** As {@link #replicat(String)}, a parallel Replicat (APPLY_PARALLELISM 2) when {@code parallel}. */
    private void replicat(String repError, boolean parallel) throws Exception {
        try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA T");
            s.execute("CREATE TABLE T.EMP (ID BIGINT PRIMARY KEY, NAME VARCHAR(20))");
        }
        a = new ReplicatApplier();
        a.setCamelContext(ctx);
        a.setGroup("rep1");
        a.setHome(dir.toString());
        a.setJdbcUrl(url());
        a.setUser("sa");
        a.setPassword("");
        a.setMap("MAP HR.EMP, TARGET T.EMP;");
        a.setRepError(repError);
        if (parallel) {
            a.setParallel(true);
            a.setApplyParallelism(2);
            a.setCaughtUpWaitMillis(60_000); // bounded, but never by a slow machine here
        }
        a.start();
    }

    /** Two inserts, then a duplicate insert (fails) and an update, committed {@code commit}. */
    private Exchange duplicateInsert(long commit) {
        Exchange e = new DefaultExchange(ctx);
        e.getIn().setBody(List.of(
                tx("1.1.1", 10).insert("HR.EMP", img("ID", 1L, "NAME", "a")).insert("HR.EMP", img("ID", 2L, "NAME", "b")).build(),
                tx("1.1.2", 11).insert("HR.EMP", img("ID", 1L, "NAME", "dup")).update("HR.EMP", img("ID", 2L),
                        img("ID", 2L, "NAME", "bb")).build()).stream().map(t -> new io.redotrail.core.Transaction(t.xid(),
                t.csn(), commit, t.thread(), t.changes(), t.startPosition(), t.trailStart(), t.trailEnd())).toList());
        e.getIn().setHeader(TrailConstants.TRAIL_CAUGHT_UP, false);
        return e;
    }

    /** REPERROR IGNORE: the failed insert is an ignore (GoldenGate's num_ignores), neither an operation nor a discard. */
    @Test
    void ignoredOperationsCountAsIgnores() throws Exception {
        replicat("DEFAULT IGNORE");
        a.process(duplicateInsert(System.currentTimeMillis()));
        a.process(idle(true));
        String stats = StatsText.parse(List.of("TOTAL")).render(GroupRuntimes.of(ctx, dir, "REP1").stats(), "REPLICAT", ZoneId.systemDefault());
        String block = stats.substring(stats.indexOf("\tTotal inserts"), stats.indexOf("\n", stats.indexOf("\tTotal operations")) + 1);
        assertEquals("""
                \tTotal inserts                   \t           2.00
                \tTotal updates                   \t           1.00
                \tTotal deletes                   \t           0.00
                \tTotal upserts                   \t           0.00
                \tTotal discards                  \t           0.00
                \tTotal ignores                   \t           1.00
                \tTotal operations                \t           3.00
                """, block);
        try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT NAME FROM T.EMP WHERE ID = 1")) {
            assertTrue(rs.next());
            assertEquals("a", rs.getString(1), "the ignored insert changed nothing");
        }
    }

    @Test
    void discardsCountPerMapAndLagIsTheLastCommitsUntilAtEof() throws Exception {
        replicat("DEFAULT DISCARD");
        long commit = System.currentTimeMillis() - 2000;
        a.process(duplicateInsert(commit));
        a.process(idle(false)); // more was said to wait: the group commits on the idle exchange

        GroupRuntime rt = GroupRuntimes.of(ctx, dir, "REP1");
        String stats = StatsText.parse(List.of("TOTAL")).render(rt.stats(), "REPLICAT", ZoneId.systemDefault());
        assertTrue(stats.contains("Replicating from HR.EMP to T.EMP:"), stats);
        assertTrue(stats.contains("\tTotal inserts                   \t           2.00\n"), stats);
        assertTrue(stats.contains("\tTotal updates                   \t           1.00\n"), stats);
        assertTrue(stats.contains("\tTotal discards                  \t           1.00\n"), stats);
        assertTrue(stats.contains("\tTotal operations                \t           3.00\n"), stats);
        assertFalse(stats.contains("Total ignores"), "no ignore: no line, as GoldenGate prints it");
        assertTrue(rt.stats().lastRecordLagMillis() >= 2000, "lag " + rt.stats().lastRecordLagMillis());
        assertFalse(rt.stats().isAtEof(), "the last exchange said more was waiting");
        a.process(idle(true));
        assertTrue(rt.stats().isAtEof());
        assertEquals(0, rt.stats().checkpointLagMillis());
    }

    /**
     * A parallel Replicat is At EOF, with its totals and its checkpoint at the last transaction, as soon as an
     * exchange that reached the end of the trail returns: it waits for its appliers' commits there, as the serial
     * Replicat commits its group (until then the checkpoint and the counts moved at the next exchange, a second later).
     */
    @Test
    void aParallelReplicatIsAtEofWithItsTotalsWhenACaughtUpExchangeReturns() throws Exception {
        replicat("DEFAULT DISCARD", true);
        Exchange e = duplicateInsert(System.currentTimeMillis() - 2000);
        e.getIn().setHeader(TrailConstants.TRAIL_CAUGHT_UP, true);
        a.process(e);

        GroupRuntime rt = GroupRuntimes.of(ctx, dir, "REP1");
        assertTrue(rt.stats().isAtEof());
        assertEquals(11, a.lastCheckpoint().orElseThrow().logCsn().value());
        String stats = StatsText.parse(List.of("TOTAL")).render(rt.stats(), "REPLICAT", ZoneId.systemDefault());
        assertTrue(stats.contains("\tTotal inserts                   \t           2.00\n"), stats);
        assertTrue(stats.contains("\tTotal updates                   \t           1.00\n"), stats);
        assertTrue(stats.contains("\tTotal discards                  \t           1.00\n"), stats);
        assertTrue(rt.stats().lastRecordLagMillis() >= 2000, "lag " + rt.stats().lastRecordLagMillis());
    }

    /**
     * The group's applied listeners (bench --lag) hear of each source transaction once, after its target commit:
     * nothing while the group is open, then both with their source commit time and one target commit time.
     */
    @Test
    void appliedListenersHearEachTransactionAfterTheTargetCommit() throws Exception {
        replicat("DEFAULT DISCARD");
        List<long[]> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        GroupRuntimes.of(ctx, dir, "REP1").onApplied((source, target) -> heard.add(new long[]{source, target}));
        long commit = System.currentTimeMillis() - 2000;
        a.process(duplicateInsert(commit)); // more waiting: the group stays open
        assertEquals(List.of(), heard, "nothing is committed yet");
        long before = System.currentTimeMillis();
        a.process(idle(true));
        assertEquals(2, heard.size());
        for (long[] h : heard) {
            assertEquals(commit, h[0]);
            assertTrue(h[1] >= before && h[1] == heard.get(0)[1], "one target commit, after the process call began: " + h[1]);
        }
        a.process(idle(true));
        assertEquals(2, heard.size(), "an idle exchange commits nothing");
    }

    private Exchange idle(boolean caughtUp) {
        Exchange e = new DefaultExchange(ctx);
        e.getIn().setBody(List.of());
        e.getIn().setHeader(TrailConstants.TRAIL_CAUGHT_UP, caughtUp);
        return e;
    }
}
