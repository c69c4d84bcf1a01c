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

    @Test
    void discardsCountPerMapAndLagIsTheLastCommitsUntilAtEof() throws Exception {
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
        a.setRepError("DEFAULT DISCARD");
        a.start();
        long commit = System.currentTimeMillis() - 2000;
        Exchange e = new DefaultExchange(ctx);
        e.getIn().setBody(List.of(
                tx("1.1.1", 10).insert("HR.EMP", img("ID", 1L, "NAME", "a")).insert("HR.EMP", img("ID", 2L, "NAME", "b")).build(),
                tx("1.1.2", 11).insert("HR.EMP", img("ID", 1L, "NAME", "dup")).update("HR.EMP", img("ID", 2L),
                        img("ID", 2L, "NAME", "bb")).build()).stream().map(t -> new io.redotrail.core.Transaction(t.xid(),
                t.csn(), commit, t.thread(), t.changes(), t.startPosition(), t.trailStart(), t.trailEnd())).toList());
        e.getIn().setHeader(TrailConstants.TRAIL_CAUGHT_UP, false);
        a.process(e);
        a.process(idle(false)); // more was said to wait: the group commits on the idle exchange

        GroupRuntime rt = GroupRuntimes.of(ctx, dir, "REP1");
        String stats = StatsText.parse(List.of("TOTAL")).render(rt.stats(), "REPLICAT", ZoneId.systemDefault());
        assertTrue(stats.contains("Replicating from HR.EMP to T.EMP:"), stats);
        assertTrue(stats.contains("\tTotal inserts                   \t           2.00\n"), stats);
        assertTrue(stats.contains("\tTotal updates                   \t           1.00\n"), stats);
        assertTrue(stats.contains("\tTotal discards                  \t           1.00\n"), stats);
        assertTrue(stats.contains("\tTotal operations                \t           3.00\n"), stats);
        assertTrue(rt.stats().lastRecordLagMillis() >= 2000, "lag " + rt.stats().lastRecordLagMillis());
        assertFalse(rt.stats().isAtEof(), "the last exchange said more was waiting");
        a.process(idle(true));
        assertTrue(rt.stats().isAtEof());
        assertEquals(0, rt.stats().checkpointLagMillis());
    }

    private Exchange idle(boolean caughtUp) {
        Exchange e = new DefaultExchange(ctx);
        e.getIn().setBody(List.of());
        e.getIn().setHeader(TrailConstants.TRAIL_CAUGHT_UP, caughtUp);
        return e;
    }
}
