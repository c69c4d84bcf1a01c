package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.HeartbeatSettings;
import io.redotrail.control.params.Wildcards;
import io.redotrail.core.Heartbeat;
import io.redotrail.replicat.HeartbeatTables;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code LAG} adds when the home has a heartbeat table: the rows of the session database's {@code GG_LAG}
 * ({@link SessionDatabase}) whose path holds the group — the Replicat that applied them (LAG REPLICAT), or the
 * Extract / a pump of their path (LAG EXTRACT) — as
 * <pre>
 * Lag Information From Heartbeat Table
 * LAG          AGE          FROM       THREAD  TO         PATH
 * 0.52s        0.71s        ORCL       1       TARGET     EXT1 ==> PUMP1 ==> REP1
 *   per hop: extract 0.01s, routing 0.20s, replicat 0.31s
 * </pre>
 * LAG: the last heartbeat's source-to-target lag; AGE: how long ago the source wrote it. Stateless.
 */
final class HeartbeatLag {
    private HeartbeatLag() {
    }

    static boolean configured(GgsciContext ctx) {
        return HeartbeatSettings.read(ctx.home()).isPresent();
    }

    /** Prints the block for {@code program} groups matching {@code pattern}; a database problem is one line, not a failure of LAG. */
    static void print(GgsciContext ctx, String program, String pattern) {
        if (!configured(ctx)) return;
        List<String[]> rows = new ArrayList<>();
        try (Connection c = SessionDatabase.connect(ctx, Heartbeat.LAG_VIEW)) {
            if (!HeartbeatTables.exists(c, Heartbeat.LAG_VIEW)) {
                ctx.out().println();
                ctx.out().println("No heartbeat lag: " + Heartbeat.LAG_VIEW + " does not exist in " + SessionDatabase.url(ctx, Heartbeat.LAG_VIEW)
                        + " (ADD HEARTBEATTABLE after DBLOGIN to the target).");
                return;
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT INCOMING_LAG, INCOMING_HEARTBEAT_AGE,"
                    + " REMOTE_DATABASE, REDO_THREAD, LOCAL_DATABASE, INCOMING_PATH, INCOMING_EXTRACT_LAG, INCOMING_ROUTING_LAG,"
                    + " INCOMING_REPLICAT_LAG, INCOMING_EXTRACT, INCOMING_ROUTING_PATH, INCOMING_REPLICAT FROM " + Heartbeat.LAG_VIEW
                    + " ORDER BY REMOTE_DATABASE, REDO_THREAD, INCOMING_PATH")) {
                while (rs.next()) {
                    if (!onPath(program, pattern, rs.getString(10), rs.getString(11), rs.getString(12))) continue;
                    rows.add(new String[]{secs(rs.getBigDecimal(1)), secs(rs.getBigDecimal(2)), rs.getString(3),
                            String.valueOf(rs.getInt(4)), rs.getString(5), rs.getString(6), secs(rs.getBigDecimal(7)),
                            rs.getBigDecimal(8) == null ? "-" : secs(rs.getBigDecimal(8)), secs(rs.getBigDecimal(9))});
                }
            }
        } catch (SQLException | GgsciException e) {
            ctx.out().println();
            ctx.out().println("No heartbeat lag: " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        ctx.out().println();
        ctx.out().println("Lag Information From Heartbeat Table");
        ctx.out().println(String.format("%-12s %-12s %-10s %-7s %-10s %s", "LAG", "AGE", "FROM", "THREAD", "TO", "PATH"));
        if (rows.isEmpty()) ctx.out().println("(no heartbeat received yet on a path of " + program + " " + pattern + ")");
        for (String[] r : rows) {
            ctx.out().println(String.format("%-12s %-12s %-10s %-7s %-10s %s", r[0], r[1], r[2], r[3], r[4], r[5]));
            ctx.out().println("  per hop: extract " + r[6] + ", routing " + r[7] + ", replicat " + r[8]);
        }
    }

    /**
     * LAG REPLICAT r HISTORY: per day (UTC) of GG_LAG_HISTORY, the minimum, average and maximum end-to-end lag
     * (INCOMING_LAG) of the heartbeats the Replicats matching {@code pattern} received, as
     * <pre>
     * Lag History
     * DATE         MIN        AVG        MAX
     * 2026-12-03   0.03s      0.10s      0.52s
     * </pre>
     */
    static void printHistory(GgsciContext ctx, String pattern) {
        if (!configured(ctx)) return;
        java.util.TreeMap<String, BigDecimal[]> days = new java.util.TreeMap<>(); // date -> min, sum, max, count
        try (Connection c = SessionDatabase.connect(ctx, Heartbeat.LAG_HISTORY_VIEW)) {
            if (!HeartbeatTables.exists(c, Heartbeat.LAG_HISTORY_VIEW)) {
                ctx.out().println();
                ctx.out().println("No lag history: " + Heartbeat.LAG_HISTORY_VIEW + " does not exist (ADD HEARTBEATTABLE adds it).");
                return;
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CAST(HEARTBEAT_RECEIVED_TS AS DATE),"
                    + " INCOMING_REPLICAT, MIN(INCOMING_LAG), SUM(INCOMING_LAG), MAX(INCOMING_LAG), COUNT(INCOMING_LAG) FROM "
                    + Heartbeat.LAG_HISTORY_VIEW + " GROUP BY CAST(HEARTBEAT_RECEIVED_TS AS DATE), INCOMING_REPLICAT")) {
                while (rs.next()) {
                    if (rs.getLong(6) == 0 || !Wildcards.matches(pattern, rs.getString(2))) continue;
                    BigDecimal[] d = days.computeIfAbsent(String.valueOf(rs.getObject(1, java.time.LocalDate.class)),
                            k -> new BigDecimal[]{null, BigDecimal.ZERO, null, BigDecimal.ZERO});
                    d[0] = d[0] == null ? rs.getBigDecimal(3) : d[0].min(rs.getBigDecimal(3));
                    d[1] = d[1].add(rs.getBigDecimal(4));
                    d[2] = d[2] == null ? rs.getBigDecimal(5) : d[2].max(rs.getBigDecimal(5));
                    d[3] = d[3].add(BigDecimal.valueOf(rs.getLong(6)));
                }
            }
        } catch (SQLException | GgsciException e) {
            ctx.out().println();
            ctx.out().println("No lag history: " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        ctx.out().println("Lag History");
        ctx.out().println(String.format("%-12s %-10s %-10s %s", "DATE", "MIN", "AVG", "MAX"));
        if (days.isEmpty()) ctx.out().println("(no heartbeat in " + Heartbeat.LAG_HISTORY_VIEW + " for REPLICAT " + pattern + ")");
        days.forEach((day, d) -> ctx.out().println(String.format("%-12s %-10s %-10s %s", day, secs(d[0]),
                secs(d[1].divide(d[3], 3, java.math.RoundingMode.HALF_UP)), secs(d[2]))));
    }

    /** LAG REPLICAT: the Replicat of the path; LAG EXTRACT: its Extract or one of its pumps. */
    static boolean onPath(String program, String pattern, String extract, String routing, String replicat) {
        if (program.equals("REPLICAT")) return Wildcards.matches(pattern, replicat);
        if (Wildcards.matches(pattern, extract)) return true;
        for (String hop : routing.split(" ==> ")) if (!hop.isEmpty() && Wildcards.matches(pattern, hop)) return true;
        return false;
    }

    /** GoldenGate's form: {@code 5.77s}, {@code 10m 22.87s}, {@code 2h 3m 4.00s}. */
    static String secs(BigDecimal s) {
        if (s == null) return "-";
        double v = s.doubleValue();
        String sign = v < 0 ? "-" : "";
        v = Math.abs(v);
        long h = (long) (v / 3600);
        long m = (long) (v % 3600 / 60);
        String sec = String.format(Locale.ROOT, "%.2fs", v % 60);
        return sign + (h > 0 ? h + "h " + m + "m " + sec : m > 0 ? m + "m " + sec : sec);
    }
}
