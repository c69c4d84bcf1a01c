package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.Heartbeat;
import io.redotrail.core.Jdbc;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoOp;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.function.IntFunction;

/**
 * The simulated source database's heartbeat job (as a database's scheduler job updates GoldenGate's seed table):
 * {@link #beat} writes, per redo thread, one transaction that updates (first time: inserts) that thread's row of
 * {@value Heartbeat#SEED} to the clock's time — through the redo first (its own thread's log, fsynced), then into
 * {@code db/source}, in the order the simulator uses, so the redo is never behind the database. It takes the redo's
 * single-writer lock ({@link RedoWriterLock}) only for one beat and skips the beat while a workload holds it.
 * {@link #createSeed} / {@link #dropSeed}: ADD / DELETE HEARTBEATTABLE on the source. Stateless between beats.
 */
public final class SourceHeartbeat {
    private static final String SEED_DDL = "CREATE TABLE " + Heartbeat.SEED + " (LOCAL_DATABASE VARCHAR(128) NOT NULL, "
            + "REDO_THREAD BIGINT NOT NULL PRIMARY KEY, HEARTBEAT_TIMESTAMP TIMESTAMP(6), INCOMING_EXTRACT VARCHAR(128), "
            + "INCOMING_EXTRACT_TS TIMESTAMP(6), INCOMING_ROUTING_PATH VARCHAR(4000), INCOMING_ROUTING_TS TIMESTAMP(6))";

    private SourceHeartbeat() {
    }

    /** Creates the seed table in the home's source database; false when it exists already. */
    public static boolean createSeed(Path home) throws SQLException {
        try (Connection c = Jdbc.connect(SourceDatabase.jdbcUrl(home), "sa", ""); Statement st = c.createStatement()) {
            if (seedExists(c)) return false;
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Heartbeat.SCHEMA);
            st.execute(SEED_DDL);
            return true;
        }
    }

    /** Drops the seed table of the home's source database; false when there was none. */
    public static boolean dropSeed(Path home) throws SQLException {
        try (Connection c = Jdbc.connect(SourceDatabase.jdbcUrl(home), "sa", ""); Statement st = c.createStatement()) {
            if (!seedExists(c)) return false;
            st.execute("DROP TABLE " + Heartbeat.SEED);
            return true;
        }
    }

    /** Whether the home's source database has the seed table. */
    public static boolean seedExists(Path home) throws SQLException {
        try (Connection c = Jdbc.connect(SourceDatabase.jdbcUrl(home), "sa", "")) {
            return seedExists(c);
        }
    }

    private static boolean seedExists(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, Heartbeat.SCHEMA, "GG_HEARTBEAT_SEED", null)) {
            return rs.next();
        }
    }

    /** What one beat did. */
    public enum Beat { WRITTEN, BUSY, NO_SEED_TABLE }

    /**
     * One heartbeat per redo thread 1..{@code threads}, at the clock's time. BUSY (nothing written) when another
     * writer holds the redo; NO_SEED_TABLE when the source has no seed table.
     */
    public static Beat beat(Path home, int threads, IntFunction<RedoLogConfig> config, Clock clock) throws SQLException {
        try (Connection c = Jdbc.connect(SourceDatabase.jdbcUrl(home), "sa", "")) {
            if (!seedExists(c)) return Beat.NO_SEED_TABLE;
            c.setAutoCommit(false);
            RedoLogSink sink = RedoLogSink.tryOpen(threads, config, clock, t -> false);
            if (sink == null) return Beat.BUSY;
            try (sink) {
                String db = config.apply(1).dbName();
                for (int t = 1; t <= threads; t++) beat(c, sink, db, t, clock.millis());
            }
            return Beat.WRITTEN;
        }
    }

    private static void beat(Connection c, RedoLogSink sink, String db, int thread, long now) throws SQLException {
        LocalDateTime ts = Heartbeat.utc(now);
        RowImage before = current(c, thread);
        RowImage after = Heartbeat.seedImage(db, thread, ts);
        RowChange change = before == null ? new RowChange(Heartbeat.SEED, ChangeOp.INSERT, null, after)
                : new RowChange(Heartbeat.SEED, ChangeOp.UPDATE, before, after);
        long scn = sink.lastScn().value() + 1;
        Xid xid = Xid.forFirstScn(scn);
        sink.append(thread, before == null ? RedoOp.INSERT : RedoOp.UPDATE, xid, Scn.of(scn), now, true, change);
        sink.append(thread, RedoOp.COMMIT, xid, Scn.of(scn + 1), now, false, null);
        sink.flush(); // the redo first: the source database never holds what its redo does not
        String sql = before == null
                ? "INSERT INTO " + Heartbeat.SEED + " (HEARTBEAT_TIMESTAMP, LOCAL_DATABASE, REDO_THREAD) VALUES (?, ?, ?)"
                : "UPDATE " + Heartbeat.SEED + " SET HEARTBEAT_TIMESTAMP = ?, LOCAL_DATABASE = ? WHERE REDO_THREAD = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ts);
            ps.setString(2, db);
            ps.setLong(3, thread);
            ps.executeUpdate();
        }
        c.commit();
    }

    /** The thread's seed row as an image, or null when it has none yet. */
    private static RowImage current(Connection c, int thread) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT LOCAL_DATABASE, HEARTBEAT_TIMESTAMP FROM " + Heartbeat.SEED
                + " WHERE REDO_THREAD = ?")) {
            ps.setLong(1, thread);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return Heartbeat.seedImage(rs.getString(1), thread, rs.getObject(2, LocalDateTime.class));
            }
        }
    }
}
