package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.HeartbeatSettings;
import io.redotrail.core.Heartbeat;
import io.redotrail.replicat.HeartbeatTables;
import io.redotrail.sim.SourceHeartbeat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ADD | ALTER | DELETE | INFO HEARTBEATTABLE} (docs/ggsci.md, docs/observability.md "Heartbeat table"). The
 * options live in {@code dirprm/heartbeat.properties} ({@link HeartbeatSettings}), read by the source's heartbeat
 * job and the Replicat. ADD creates the seed table {@value Heartbeat#SEED} in the home's simulated source database
 * (not with TARGETONLY) and GG_HEARTBEAT, GG_HEARTBEAT_HISTORY and the GG_LAG view in the session's database
 * ({@link SessionDatabase}: DBLOGIN, else the configured target); DELETE drops them; ALTER changes options (the job
 * reads them within a second); INFO shows what exists and the options. One instance per verb; stateless.
 */
final class HeartbeatTableCommand implements GgsciCommand {
    private static final Map<String, Integer> ARITY = Map.of("FREQUENCY", 1, "RETENTION_TIME", 1, "PURGE_FREQUENCY", 1,
            "TARGETONLY", 0, "NOTARGETONLY", 0);
    private final String verb;

    HeartbeatTableCommand(String verb) {
        this.verb = verb;
    }

    @Override
    public String verb() {
        return verb;
    }

    @Override
    public String object() {
        return "HEARTBEATTABLE";
    }

    @Override
    public String usage() {
        return switch (verb) {
            case "ADD" -> "ADD HEARTBEATTABLE [, FREQUENCY <seconds>] [, RETENTION_TIME <days>] [, PURGE_FREQUENCY <days>] [, TARGETONLY]";
            case "ALTER" -> "ALTER HEARTBEATTABLE [, FREQUENCY <seconds>] [, RETENTION_TIME <days>] [, PURGE_FREQUENCY <days>] [, TARGETONLY | NOTARGETONLY]";
            default -> verb + " HEARTBEATTABLE";
        };
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        List<String> words = new ArrayList<>();
        if (c.groupAsTyped() != null) words.add(c.groupAsTyped()); // ADD HEARTBEATTABLE FREQUENCY 1 (no comma)
        words.addAll(c.words());
        Optional<HeartbeatSettings> current = HeartbeatSettings.read(ctx.home());
        return switch (verb) {
            case "ADD" -> add(words, ctx, current);
            case "ALTER" -> alter(words, ctx, current.orElseThrow(() -> notAdded(ctx)));
            case "DELETE" -> delete(words, ctx);
            default -> info(words, ctx, current.orElseThrow(() -> notAdded(ctx)));
        };
    }

    private static GgsciException notAdded(GgsciContext ctx) {
        return new GgsciException("No heartbeat table in this home (no " + HeartbeatSettings.pathOf(ctx.home())
                + "): ADD HEARTBEATTABLE first.");
    }

    /** The options applied to {@code base}; each value checked against its range, naming the option. */
    static HeartbeatSettings options(List<String> words, HeartbeatSettings base, boolean alter) {
        HeartbeatSettings s = base;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i).toUpperCase(Locale.ROOT);
            Integer n = ARITY.get(w);
            if (n == null || (!alter && w.equals("NOTARGETONLY"))) {
                throw new GgsciException("Unknown option '" + words.get(i) + "' for " + (alter ? "ALTER" : "ADD")
                        + " HEARTBEATTABLE (it takes FREQUENCY, PURGE_FREQUENCY, RETENTION_TIME, TARGETONLY"
                        + (alter ? ", NOTARGETONLY" : "") + ").");
            }
            if (n == 0) {
                s = s.withTargetOnly(w.equals("TARGETONLY"));
                continue;
            }
            if (i + 1 >= words.size()) throw new GgsciException(w + " needs a number.");
            String v = words.get(++i);
            int value;
            try {
                value = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new GgsciException(w + " '" + v + "' is not a whole number.");
            }
            try {
                s = switch (w) {
                    case "FREQUENCY" -> s.withFrequency(value);
                    case "RETENTION_TIME" -> s.withRetention(value);
                    default -> s.withPurgeFrequency(value);
                };
            } catch (IllegalArgumentException e) {
                throw new GgsciException(e.getMessage() + ".");
            }
        }
        return s;
    }

    private int add(List<String> words, GgsciContext ctx, Optional<HeartbeatSettings> current) throws SQLException {
        if (current.isPresent()) {
            throw new GgsciException("A heartbeat table exists in this home (" + HeartbeatSettings.pathOf(ctx.home())
                    + "); ALTER HEARTBEATTABLE changes its options, DELETE HEARTBEATTABLE removes it.");
        }
        HeartbeatSettings s = options(words, HeartbeatSettings.DEFAULTS, false);
        if (!s.targetOnly()) {
            boolean made = SourceHeartbeat.createSeed(ctx.home());
            ctx.out().println((made ? "Successfully created" : "Found existing") + " heartbeat seed table [\"" + Heartbeat.SEED
                    + "\"] in the source database.");
        }
        String url = SessionDatabase.url(ctx, Heartbeat.TABLE);
        try (Connection conn = SessionDatabase.connect(ctx, Heartbeat.TABLE)) {
            List<String> made = HeartbeatTables.create(conn);
            for (String t : OBJECTS) {
                String kind = isView(t) ? "view" : t.equals(Heartbeat.HISTORY) ? "heartbeat history table" : "heartbeat table";
                ctx.out().println((made.contains(t) ? "Successfully created " : "Found existing ") + kind + " [\"" + t + "\"].");
            }
        } catch (SQLException e) {
            throw new GgsciException("cannot create the heartbeat tables in " + url + ": " + e.getMessage());
        }
        s.write(ctx.home());
        printOptions(ctx, s, "added");
        return 0;
    }

    private int alter(List<String> words, GgsciContext ctx, HeartbeatSettings current) {
        if (words.isEmpty()) throw new GgsciException("usage: " + usage());
        HeartbeatSettings s = options(words, current, true);
        s.write(ctx.home());
        printOptions(ctx, s, "altered");
        return 0;
    }

    private static void printOptions(GgsciContext ctx, HeartbeatSettings s, String what) {
        ctx.out().println("Successfully updated heartbeat table with frequency [" + s.frequency() + "].");
        ctx.out().println("Successfully updated heartbeat table with purge frequency [" + s.purgeFrequencyDays() + "].");
        ctx.out().println("Successfully updated heartbeat table with retention time [" + s.retentionDays() + "].");
        ctx.out().println("Successfully " + what + " heartbeat table" + (s.targetOnly() ? " (TARGETONLY)." : "."));
    }

    private int delete(List<String> words, GgsciContext ctx) throws SQLException {
        if (!words.isEmpty()) throw new GgsciException("usage: " + usage());
        if (SourceHeartbeat.dropSeed(ctx.home())) ctx.out().println("Successfully deleted heartbeat seed table [\"" + Heartbeat.SEED + "\"].");
        String url = SessionDatabase.url(ctx, Heartbeat.TABLE);
        try (Connection conn = SessionDatabase.connect(ctx, Heartbeat.TABLE)) {
            for (String t : HeartbeatTables.drop(conn)) ctx.out().println("Successfully deleted [\"" + t + "\"].");
        } catch (SQLException e) {
            throw new GgsciException("cannot drop the heartbeat tables in " + url + ": " + e.getMessage());
        }
        HeartbeatSettings.delete(ctx.home());
        ctx.out().println("Successfully deleted heartbeat table.");
        return 0;
    }

    /** The target objects, in the order ADD and INFO name them. */
    private static final List<String> OBJECTS = List.of(Heartbeat.TABLE, Heartbeat.HISTORY, Heartbeat.LAG_VIEW, Heartbeat.LAG_HISTORY_VIEW);

    private static boolean isView(String t) {
        return t.equals(Heartbeat.LAG_VIEW) || t.equals(Heartbeat.LAG_HISTORY_VIEW);
    }

    /**
     * INFO's summary of GG_LAG_HISTORY: per source, thread and path, the heartbeats the history holds and their
     * end-to-end lag (INCOMING_LAG) at receipt, minimum, average and maximum, and the last receipt.
     */
    private static void lagHistory(Connection conn, GgsciContext ctx) throws SQLException {
        String format = "%-10s %-6s %10s %10s %10s %10s  %-19s  %s";
        try (java.sql.Statement st = conn.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT REMOTE_DATABASE,"
                + " REDO_THREAD, COUNT(*), MIN(INCOMING_LAG), AVG(INCOMING_LAG), MAX(INCOMING_LAG), MAX(HEARTBEAT_RECEIVED_TS),"
                + " INCOMING_PATH FROM " + Heartbeat.LAG_HISTORY_VIEW + " GROUP BY REMOTE_DATABASE, REDO_THREAD, INCOMING_PATH"
                + " ORDER BY REMOTE_DATABASE, REDO_THREAD, INCOMING_PATH")) {
            ctx.out().println("Lag history (" + Heartbeat.LAG_HISTORY_VIEW + ", INCOMING_LAG in seconds):");
            ctx.out().println(String.format(format, "FROM", "THREAD", "HEARTBEATS", "MIN", "AVG", "MAX", "LAST RECEIVED (UTC)", "PATH"));
            int rows = 0;
            while (rs.next()) {
                rows++;
                java.time.LocalDateTime last = rs.getObject(7, java.time.LocalDateTime.class);
                ctx.out().println(String.format(format, rs.getString(1), rs.getString(2), rs.getLong(3), seconds(rs.getBigDecimal(4)),
                        seconds(rs.getBigDecimal(5)), seconds(rs.getBigDecimal(6)),
                        last == null ? "" : last.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")), rs.getString(8)));
            }
            if (rows == 0) ctx.out().println("(no heartbeat received yet)");
        }
    }

    private static String seconds(java.math.BigDecimal v) {
        return v == null ? "" : v.setScale(3, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private int info(List<String> words, GgsciContext ctx, HeartbeatSettings s) throws SQLException {
        if (!words.isEmpty()) throw new GgsciException("usage: " + usage());
        int rc = 0;
        if (!s.targetOnly()) {
            boolean seed = SourceHeartbeat.seedExists(ctx.home());
            ctx.out().println("HEARTBEAT table " + Heartbeat.SEED + (seed ? " exists" : " does not exist") + " in the source database.");
            if (!seed) rc = 1;
        }
        try (Connection conn = SessionDatabase.connect(ctx, Heartbeat.TABLE)) {
            for (String t : OBJECTS) {
                boolean ok = HeartbeatTables.exists(conn, t);
                ctx.out().println("HEARTBEAT " + (isView(t) ? "view " : "table ") + t + (ok ? " exists." : " does not exist."));
                if (!ok) rc = 1;
            }
            if (HeartbeatTables.exists(conn, Heartbeat.LAG_HISTORY_VIEW)) lagHistory(conn, ctx);
        }
        ctx.out().println("Frequency interval: " + s.frequency() + " seconds" + (s.frequency() == 0 ? " (paused)." : "."));
        ctx.out().println("Purge frequency interval: " + s.purgeFrequencyDays() + " days.");
        ctx.out().println("Retention time: " + s.retentionDays() + " days.");
        if (s.targetOnly()) ctx.out().println("TARGETONLY: no heartbeat job in this home's source database.");
        return rc;
    }
}
