package io.redotrail.report;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GoldenGate's REPORTCOUNT ({@code redotrail.reportCount}): "EVERY n RECORDS" | "EVERY n SECONDS" |
 * "EVERY n MINUTES" | "EVERY n HOURS" (empty = off). {@link #due} answers whether the report gets the line
 * "OGG-08549 8000 records processed as of 2026-12-02 12:00:00 (rate 100, delta 100)." now: by records each time
 * the count passes a multiple of n; by time every n seconds when something was processed since the last line
 * (GoldenGate prints nothing for an idle interval). Rate: records per second since start; delta: per second since
 * the last line. Not thread-safe: used under its {@link GroupRuntime}'s lock.
 */
public final class ReportCount {
    private static final Pattern SPEC = Pattern.compile(
            "(?i)\\s*(?:REPORTCOUNT\\s+)?(?:EVERY\\s+)?(\\d+)\\s*(RECORDS?|SECONDS?|SECS?|MINUTES?|MINS?|HOURS?|HRS?)\\s*(?:,\\s*RATE\\s*)?");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final long everyRecords;
    private final long everyMillis;
    private long lastRecords;
    private long lastMillis;

    private ReportCount(long everyRecords, long everyMillis) {
        this.everyRecords = everyRecords;
        this.everyMillis = everyMillis;
    }

    /** Null when off (null or blank); a spec that cannot be read is refused naming the key and the forms. */
    static ReportCount parse(String group, String spec) {
        if (spec == null || spec.isBlank()) return null;
        Matcher m = SPEC.matcher(spec);
        if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw new IllegalArgumentException(group + ": redotrail.reportCount / REPORTCOUNT '" + spec + "' is not "
                    + "EVERY n RECORDS | EVERY n SECONDS | EVERY n MINUTES | EVERY n HOURS (n > 0; empty = off)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        if (unit.startsWith("REC")) return new ReportCount(n, 0);
        long unitMillis = unit.startsWith("S") ? 1000 : unit.startsWith("M") ? 60_000 : 3_600_000;
        return new ReportCount(0, n * unitMillis);
    }

    /**
     * Checks a REPORTCOUNT spec (configuration check before anything starts).
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static void validate(String spec) {
        parse("REPORTCOUNT", spec);
    }

    void started(long now) {
        lastRecords = 0;
        lastMillis = now;
    }

    /** The report line to write now for {@code records} processed since {@code started}, or null. */
    String due(long records, long started, long now, ZoneId zone) {
        boolean due = everyRecords > 0 ? records / everyRecords > lastRecords / everyRecords
                : records > lastRecords && now - lastMillis >= everyMillis;
        if (!due) return null;
        long rate = records * 1000 / Math.max(1000, now - started);
        long delta = (records - lastRecords) * 1000 / Math.max(1000, now - lastMillis);
        lastRecords = records;
        lastMillis = now;
        return records + " records processed as of " + TS.format(Instant.ofEpochMilli(now).atZone(zone))
                + " (rate " + rate + ", delta " + delta + ").";
    }
}
