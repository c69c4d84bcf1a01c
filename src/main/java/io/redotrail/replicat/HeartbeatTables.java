package io.redotrail.replicat;

import io.redotrail.core.Heartbeat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * The target's heartbeat objects (docs/observability.md, "Heartbeat table"): {@code GGADMIN.GG_HEARTBEAT} (one row
 * per source database, redo thread and path: Extract, routing path, Replicat — upserted), {@code
 * GGADMIN.GG_HEARTBEAT_HISTORY} (one row per heartbeat received), with GoldenGate's INCOMING and OUTGOING columns
 * (OUTGOING: NULL, one direction), and the views {@code GGADMIN.GG_LAG} (the lag of every hop in seconds, per row of
 * GG_HEARTBEAT) and {@code GGADMIN.GG_LAG_HISTORY} (the same per row of the history). Portable SQL for H2 and
 * PostgreSQL; only the views' time arithmetic differs. Timestamps are
 * UTC. Stateless.
 */
public final class HeartbeatTables {
    /** Path columns: never null (part of GG_HEARTBEAT's key), '' when there was no such hop. */
    static final String KEY_COLUMNS = "REMOTE_DATABASE, REDO_THREAD, INCOMING_EXTRACT, INCOMING_ROUTING_PATH, INCOMING_REPLICAT";
    /** GoldenGate's columns of the other direction (bidirectional setups): created, NULL in a one-direction setup. */
    private static final List<String> OUTGOING_COLUMNS = List.of("OUTGOING_EXTRACT VARCHAR(128)",
            "OUTGOING_ROUTING_PATH VARCHAR(4000)", "OUTGOING_REPLICAT VARCHAR(128)", "OUTGOING_HEARTBEAT_TS TIMESTAMP(6)",
            "OUTGOING_EXTRACT_TS TIMESTAMP(6)", "OUTGOING_ROUTING_TS TIMESTAMP(6)", "OUTGOING_REPLICAT_TS TIMESTAMP(6)");
    private static final String COMMON = "LOCAL_DATABASE VARCHAR(128), HEARTBEAT_TIMESTAMP TIMESTAMP(6), "
            + "REMOTE_DATABASE VARCHAR(128) NOT NULL, REDO_THREAD INTEGER NOT NULL, "
            + "INCOMING_EXTRACT VARCHAR(128) NOT NULL, INCOMING_ROUTING_PATH VARCHAR(4000) NOT NULL, "
            + "INCOMING_REPLICAT VARCHAR(128) NOT NULL, INCOMING_HEARTBEAT_TS TIMESTAMP(6), INCOMING_EXTRACT_TS TIMESTAMP(6), "
            + "INCOMING_ROUTING_TS TIMESTAMP(6), INCOMING_REPLICAT_TS TIMESTAMP(6), " + String.join(", ", OUTGOING_COLUMNS);
    private static final String VALUES = "LOCAL_DATABASE, HEARTBEAT_TIMESTAMP, REMOTE_DATABASE, REDO_THREAD, INCOMING_EXTRACT, "
            + "INCOMING_ROUTING_PATH, INCOMING_REPLICAT, INCOMING_HEARTBEAT_TS, INCOMING_EXTRACT_TS, INCOMING_ROUTING_TS, "
            + "INCOMING_REPLICAT_TS";

    /** One heartbeat as the Replicat received it: the stamped seed image's values and its own. */
    public record Received(String localDatabase, String remoteDatabase, int thread, LocalDateTime heartbeat,
                           String extract, LocalDateTime extractTs, String routingPath, LocalDateTime routingTs,
                           String replicat, LocalDateTime replicatTs) {
    }

    private HeartbeatTables() {
    }

    /**
     * Creates the tables and the views that do not exist yet; returns the names created. Tables made before a
     * column of GoldenGate's was added get it (NULL in the rows they hold), and a GG_LAG without the OUTGOING
     * columns is made again (a view holds no data).
     */
    public static List<String> create(Connection c) throws SQLException {
        List<String> made = new java.util.ArrayList<>();
        boolean pg = isPostgres(c);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Heartbeat.SCHEMA);
            if (!exists(c, Heartbeat.TABLE)) {
                st.execute("CREATE TABLE " + Heartbeat.TABLE + " (" + COMMON + ", LAST_UPDATE_TS TIMESTAMP(6), PRIMARY KEY ("
                        + KEY_COLUMNS + "))");
                made.add(Heartbeat.TABLE);
            } else {
                addMissing(c, st, Heartbeat.TABLE, OUTGOING_COLUMNS);
            }
            if (!exists(c, Heartbeat.HISTORY)) {
                st.execute("CREATE TABLE " + Heartbeat.HISTORY + " (" + COMMON + ", LAST_UPDATE_TS TIMESTAMP(6), "
                        + "HEARTBEAT_RECEIVED_TS TIMESTAMP(6))");
                made.add(Heartbeat.HISTORY);
            } else {
                List<String> cols = new java.util.ArrayList<>(OUTGOING_COLUMNS);
                cols.add("LAST_UPDATE_TS TIMESTAMP(6)");
                addMissing(c, st, Heartbeat.HISTORY, cols);
            }
            if (exists(c, Heartbeat.LAG_VIEW) && !hasColumn(c, Heartbeat.LAG_VIEW, "OUTGOING_LAG")) st.execute("DROP VIEW " + Heartbeat.LAG_VIEW);
            if (!exists(c, Heartbeat.LAG_VIEW)) {
                st.execute(lagView(pg));
                made.add(Heartbeat.LAG_VIEW);
            }
            if (!exists(c, Heartbeat.LAG_HISTORY_VIEW)) {
                st.execute(lagHistoryView(pg));
                made.add(Heartbeat.LAG_HISTORY_VIEW);
            }
        }
        if (!c.getAutoCommit()) c.commit();
        return made;
    }

    private static void addMissing(Connection c, Statement st, String table, List<String> columnDefs) throws SQLException {
        for (String def : columnDefs) {
            String col = def.substring(0, def.indexOf(' '));
            if (!hasColumn(c, table, col)) st.execute("ALTER TABLE " + table + " ADD COLUMN " + def);
        }
    }

    /** Whether table or view {@code owner.name} has column {@code col} (either case, as {@link #exists}). */
    static boolean hasColumn(Connection c, String qualified, String col) throws SQLException {
        String[] on = qualified.split("\\.");
        DatabaseMetaData md = c.getMetaData();
        for (String[] n : List.of(new String[]{on[0], on[1], col}, new String[]{on[0].toLowerCase(Locale.ROOT),
                on[1].toLowerCase(Locale.ROOT), col.toLowerCase(Locale.ROOT)})) {
            try (ResultSet rs = md.getColumns(null, n[0], n[1], n[2])) {
                if (rs.next()) return true;
            }
        }
        return false;
    }

    /** Drops the view and the tables that exist; returns the names dropped. */
    public static List<String> drop(Connection c) throws SQLException {
        List<String> dropped = new java.util.ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (String v : List.of(Heartbeat.LAG_HISTORY_VIEW, Heartbeat.LAG_VIEW)) {
                if (exists(c, v)) {
                    st.execute("DROP VIEW " + v);
                    dropped.add(v);
                }
            }
            for (String t : List.of(Heartbeat.HISTORY, Heartbeat.TABLE)) {
                if (exists(c, t)) {
                    st.execute("DROP TABLE " + t);
                    dropped.add(t);
                }
            }
        }
        if (!c.getAutoCommit()) c.commit();
        return dropped;
    }

    /** Whether table or view {@code owner.name} exists (PostgreSQL folds unquoted names to lower case). */
    public static boolean exists(Connection c, String qualified) throws SQLException {
        String[] on = qualified.split("\\.");
        DatabaseMetaData md = c.getMetaData();
        for (String[] n : List.of(on, new String[]{on[0].toLowerCase(Locale.ROOT), on[1].toLowerCase(Locale.ROOT)})) {
            try (ResultSet rs = md.getTables(null, n[0], n[1], null)) {
                if (rs.next()) return true;
            }
        }
        return false;
    }

    static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    /** GG_LAG: per row of GG_HEARTBEAT its age and the lag of each hop, in seconds. */
    static String lagView(boolean postgres) {
        String now = postgres ? "(now() AT TIME ZONE 'UTC')" : "CAST(CURRENT_TIMESTAMP AT TIME ZONE 'UTC' AS TIMESTAMP)";
        return "CREATE VIEW " + Heartbeat.LAG_VIEW + " AS SELECT LOCAL_DATABASE, " + now + " AS CURRENT_LOCAL_TS, REMOTE_DATABASE, "
                + "REDO_THREAD, " + secs(postgres, "INCOMING_HEARTBEAT_TS", now) + " AS INCOMING_HEARTBEAT_AGE, "
                + lagColumns(postgres, "LAST_UPDATE_TS") + ", "
                + secs(postgres, "OUTGOING_HEARTBEAT_TS", now) + " AS OUTGOING_HEARTBEAT_AGE, " + outgoing(postgres)
                + " FROM " + Heartbeat.TABLE;
    }

    /**
     * GG_LAG_HISTORY: per row of GG_HEARTBEAT_HISTORY, the lag of each hop in seconds when it was received; the
     * heartbeat's age is taken at its receipt (HEARTBEAT_RECEIVED_TS), so it equals INCOMING_LAG.
     */
    static String lagHistoryView(boolean postgres) {
        return "CREATE VIEW " + Heartbeat.LAG_HISTORY_VIEW + " AS SELECT LOCAL_DATABASE, HEARTBEAT_RECEIVED_TS, REMOTE_DATABASE, "
                + "REDO_THREAD, " + secs(postgres, "INCOMING_HEARTBEAT_TS", "HEARTBEAT_RECEIVED_TS") + " AS INCOMING_HEARTBEAT_AGE, "
                + lagColumns(postgres, "HEARTBEAT_RECEIVED_TS") + ", INCOMING_HEARTBEAT_TS, "
                + secs(postgres, "OUTGOING_HEARTBEAT_TS", "HEARTBEAT_RECEIVED_TS") + " AS OUTGOING_HEARTBEAT_AGE, "
                + outgoing(postgres) + " FROM " + Heartbeat.HISTORY;
    }

    /** The incoming path and the lag of each hop; {@code applied} is the apply time's column. */
    private static String lagColumns(boolean postgres, String applied) {
        return "CASE WHEN INCOMING_ROUTING_PATH = '' THEN INCOMING_EXTRACT || ' ==> ' || INCOMING_REPLICAT "
                + "ELSE INCOMING_EXTRACT || ' ==> ' || INCOMING_ROUTING_PATH || ' ==> ' || INCOMING_REPLICAT END AS INCOMING_PATH, "
                + "INCOMING_EXTRACT, INCOMING_ROUTING_PATH, INCOMING_REPLICAT, "
                + secs(postgres, "INCOMING_HEARTBEAT_TS", "INCOMING_EXTRACT_TS") + " AS INCOMING_EXTRACT_LAG, "
                + secs(postgres, "INCOMING_EXTRACT_TS", "INCOMING_ROUTING_TS") + " AS INCOMING_ROUTING_LAG, "
                + secs(postgres, "COALESCE(INCOMING_ROUTING_TS, INCOMING_EXTRACT_TS)", applied) + " AS INCOMING_REPLICAT_LAG, "
                + secs(postgres, "INCOMING_HEARTBEAT_TS", applied) + " AS INCOMING_LAG";
    }

    /** The other direction's path and end-to-end lag: NULL while the OUTGOING columns are (one direction). */
    private static String outgoing(boolean postgres) {
        return "CASE WHEN OUTGOING_EXTRACT IS NULL THEN NULL WHEN COALESCE(OUTGOING_ROUTING_PATH, '') = '' "
                + "THEN OUTGOING_EXTRACT || ' ==> ' || OUTGOING_REPLICAT "
                + "ELSE OUTGOING_EXTRACT || ' ==> ' || OUTGOING_ROUTING_PATH || ' ==> ' || OUTGOING_REPLICAT END AS OUTGOING_PATH, "
                + secs(postgres, "OUTGOING_HEARTBEAT_TS", "OUTGOING_REPLICAT_TS") + " AS OUTGOING_LAG";
    }

    private static String secs(boolean postgres, String from, String to) {
        return postgres ? "CAST(EXTRACT(EPOCH FROM (" + to + " - " + from + ")) AS NUMERIC(18,3))"
                : "CAST(DATEDIFF('MILLISECOND', " + from + ", " + to + ") / 1000.0 AS NUMERIC(18,3))";
    }

    /**
     * Records received heartbeats on {@code c} (the Replicat's open transaction; no commit here): GG_HEARTBEAT
     * updated, or inserted when its path is new, and one GG_HEARTBEAT_HISTORY row each; {@code applied} is the
     * apply time (LAST_UPDATE_TS, HEARTBEAT_RECEIVED_TS).
     */
    static void write(Connection c, List<Received> received, LocalDateTime applied) throws SQLException {
        String set = "LOCAL_DATABASE = ?, HEARTBEAT_TIMESTAMP = ?, INCOMING_HEARTBEAT_TS = ?, INCOMING_EXTRACT_TS = ?, "
                + "INCOMING_ROUTING_TS = ?, INCOMING_REPLICAT_TS = ?, LAST_UPDATE_TS = ?";
        try (PreparedStatement up = c.prepareStatement("UPDATE " + Heartbeat.TABLE + " SET " + set + " WHERE REMOTE_DATABASE = ?"
                + " AND REDO_THREAD = ? AND INCOMING_EXTRACT = ? AND INCOMING_ROUTING_PATH = ? AND INCOMING_REPLICAT = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO " + Heartbeat.TABLE + " (" + VALUES + ", LAST_UPDATE_TS)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement hist = c.prepareStatement("INSERT INTO " + Heartbeat.HISTORY + " (" + VALUES
                     + ", LAST_UPDATE_TS, HEARTBEAT_RECEIVED_TS) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Received r : received) {
                Object[] times = {r.localDatabase(), r.heartbeat(), r.heartbeat(), r.extractTs(), r.routingTs(), r.replicatTs(), applied};
                Object[] key = {r.remoteDatabase(), r.thread(), r.extract(), r.routingPath(), r.replicat()};
                bind(up, 1, times);
                bind(up, times.length + 1, key);
                if (up.executeUpdate() == 0) {
                    bind(ins, 1, row(r));
                    ins.setObject(12, applied);
                    ins.executeUpdate();
                }
                bind(hist, 1, row(r));
                hist.setObject(12, applied);
                hist.setObject(13, applied);
                hist.executeUpdate();
            }
        }
    }

    private static Object[] row(Received r) {
        return new Object[]{r.localDatabase(), r.heartbeat(), r.remoteDatabase(), r.thread(), r.extract(), r.routingPath(),
                r.replicat(), r.heartbeat(), r.extractTs(), r.routingTs(), r.replicatTs()};
    }

    private static void bind(PreparedStatement ps, int from, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) ps.setObject(from + i, values[i]);
    }

    /** Deletes history rows received before {@code cutoff}; returns how many. */
    static int purge(Connection c, LocalDateTime cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + Heartbeat.HISTORY + " WHERE HEARTBEAT_RECEIVED_TS < ?")) {
            ps.setObject(1, cutoff);
            return ps.executeUpdate();
        }
    }
}
