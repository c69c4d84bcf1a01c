package io.redotrail.report;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text of GoldenGate's STATS for a {@link GroupStats}: the reply to {@code STATS [TOTAL|LATEST|DAILY|HOURLY]
 * [TABLE pattern] [REPORTRATE SEC|MIN|HR] [RESET]} and the block written to the report at REPORT and at stop.
 * <pre>
 * Start of Statistics at 2026-12-02 12:00:00.
 *
 * Output to ./dirdat/ha:
 *
 * Link to the collector (COMPRESS LZ4 COMPRESSTHRESHOLD 1000): raw 1048576 bytes, wire 262144 bytes, ratio 4.00:1, 81 of 82 frames compressed.
 *
 * Extracting from YDJK.T1 to YDJK.T1:
 *
 * *** Total statistics since 2026-12-02 11:50:00 ***
 * 	Total inserts                   	        8000.00
 * 	Total updates ... Total deletes ... Total upserts ... Total discards ... [Total ignores ...]
 * 	Total operations                	        8000.00
 * End of Statistics.
 * </pre>
 * With nothing processed: "No active extraction maps." (extract, pump) / "No active replication maps." (replicat).
 * Immutable options; thread-safe.
 */
public final class StatsText {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Set<GroupStats.Window> windows;
    private final Pattern table;
    private final String rateUnit;
    private final long rateMillis;
    private final boolean reset;

    private StatsText(Set<GroupStats.Window> windows, Pattern table, String rateUnit, long rateMillis, boolean reset) {
        this.windows = windows;
        this.table = table;
        this.rateUnit = rateUnit;
        this.rateMillis = rateMillis;
        this.reset = reset;
    }

    /** Every window, every table, counts (the REPORT and stop block). */
    public static StatsText all() {
        return new StatsText(EnumSet.allOf(GroupStats.Window.class), null, null, 0, false);
    }

    /** Parses the STATS options (commas allowed between them, as GGSCI passes them on). */
    public static StatsText parse(List<String> args) {
        EnumSet<GroupStats.Window> w = EnumSet.noneOf(GroupStats.Window.class);
        Pattern table = null;
        String unit = null;
        long millis = 0;
        boolean reset = false;
        List<String> words = args.stream().flatMap(a -> java.util.Arrays.stream(a.split("[,\\s]+")))
                .filter(s -> !s.isEmpty()).toList();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i).toUpperCase(Locale.ROOT);
            switch (word) {
                case "TOTAL" -> w.add(GroupStats.Window.TOTAL);
                case "DAILY" -> w.add(GroupStats.Window.DAILY);
                case "HOURLY" -> w.add(GroupStats.Window.HOURLY);
                case "LATEST" -> w.add(GroupStats.Window.LATEST);
                case "RESET" -> reset = true;
                case "TABLE" -> {
                    if (++i >= words.size()) throw new IllegalArgumentException("STATS TABLE needs a table name or pattern");
                    table = glob(words.get(i));
                }
                case "REPORTRATE" -> {
                    String u = ++i < words.size() ? words.get(i).toUpperCase(Locale.ROOT) : "";
                    switch (u) {
                        case "SEC", "SECS", "SECOND", "SECONDS" -> { unit = "second"; millis = 1000; }
                        case "MIN", "MINS", "MINUTE", "MINUTES" -> { unit = "minute"; millis = 60_000; }
                        case "HR", "HRS", "HOUR", "HOURS" -> { unit = "hour"; millis = 3_600_000; }
                        default -> throw new IllegalArgumentException("STATS REPORTRATE needs SEC, MIN or HR, got '" + u + "'");
                    }
                }
                default -> throw new IllegalArgumentException("STATS: unknown option '" + words.get(i)
                        + "' (TOTAL, LATEST, DAILY, HOURLY, TABLE name, REPORTRATE SEC|MIN|HR, RESET)");
            }
        }
        if (w.isEmpty()) w = EnumSet.allOf(GroupStats.Window.class);
        return new StatsText(w, table, unit, millis, reset);
    }

    private static Pattern glob(String p) {
        StringBuilder re = new StringBuilder();
        for (String part : p.toUpperCase(Locale.ROOT).split("\\*", -1)) {
            if (!re.isEmpty()) re.append(".*");
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }

    public boolean reset() {
        return reset;
    }

    /** The text for {@code stats} of a group running {@code program} (EXTRACT or REPLICAT); applies RESET after. */
    public String render(GroupStats stats, String program, ZoneId zone) {
        long now = System.currentTimeMillis();
        GroupStats.Snapshot s = stats.snapshot(now);
        boolean replicat = "REPLICAT".equalsIgnoreCase(program);
        List<GroupStats.Entry> shown = s.tables().stream()
                .filter(e -> table == null || table.matcher(e.source.toUpperCase(Locale.ROOT)).matches()
                        || table.matcher(e.target.toUpperCase(Locale.ROOT)).matches())
                .toList();
        if (s.tables().isEmpty()) {
            return replicat ? "No active replication maps.\n" : "No active extraction maps.\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Start of Statistics at ").append(ts(now, zone)).append(".\n\n");
        if (!replicat && s.output() != null) sb.append("Output to ").append(s.output()).append(":\n\n");
        String link = stats.linkText();
        if (link != null) sb.append(link).append("\n\n");
        for (GroupStats.Entry e : shown) {
            sb.append(replicat ? "Replicating from " : "Extracting from ").append(e.source).append(" to ").append(e.target)
                    .append(":\n");
            for (GroupStats.Window w : GroupStats.Window.values()) {
                if (!windows.contains(w)) continue;
                long since = s.windowStart()[w.ordinal()];
                sb.append("\n*** ").append(name(w)).append(" statistics since ").append(ts(since, zone)).append(" ***\n");
                long[] c = e.counts[w.ordinal()];
                long ops = e.operations(w);
                if (ops == 0 && c[GroupStats.DISCARDS] == 0 && c[GroupStats.IGNORES] == 0) {
                    sb.append("\tNo database operations have been performed.\n");
                    continue;
                }
                double per = rateMillis == 0 ? 1 : Math.max(1, now - since) / (double) rateMillis;
                line(sb, "inserts", c[GroupStats.INSERTS] / per);
                line(sb, "updates", c[GroupStats.UPDATES] / per);
                line(sb, "deletes", c[GroupStats.DELETES] / per);
                // GoldenGate counts upserts of sources that log them as such; no redo operation here is one
                line(sb, "upserts", 0);
                line(sb, "discards", c[GroupStats.DISCARDS] / per);
                if (c[GroupStats.IGNORES] > 0) line(sb, "ignores", c[GroupStats.IGNORES] / per); // REPERROR IGNORE
                line(sb, "operations", ops / per);
            }
            sb.append('\n');
        }
        if (shown.isEmpty()) sb.append("No statistics for table ").append(table.pattern()).append(".\n\n");
        sb.append("End of Statistics.\n");
        if (reset) stats.resetLatest(now);
        return sb.toString();
    }

    private void line(StringBuilder sb, String label, double value) {
        String name = "Total " + label + (rateUnit == null ? "" : "/" + rateUnit);
        sb.append(String.format(Locale.ROOT, "\t%-32s\t%15.2f\n", name, value));
    }

    private static String name(GroupStats.Window w) {
        return switch (w) {
            case TOTAL -> "Total";
            case DAILY -> "Daily";
            case HOURLY -> "Hourly";
            case LATEST -> "Latest";
        };
    }

    private static String ts(long millis, ZoneId zone) {
        return TS.format(Instant.ofEpochMilli(millis).atZone(zone));
    }
}
