package io.redotrail.report;

import io.redotrail.core.ChangeOp;
import io.redotrail.net.compress.CompressionCounters;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What a running group processed, as GoldenGate's STATS shows it, and the lag of its last record (LAG, the
 * checkpoint's "Lag at Chkpt"). One per group and CamelContext ({@link GroupRuntime#stats()}), one model for
 * extract, pump and replicat: per source table (a replicat: per source → target map) the inserts, updates,
 * deletes, discards (REPERROR DISCARD / TRANSDISCARD: written to the discard file) and ignores (REPERROR IGNORE:
 * skipped); a discarded or ignored operation is not counted as an operation. In four windows (GoldenGate's): TOTAL since the start, DAILY since midnight, HOURLY since
 * the hour began, LATEST since the start or the last {@code STATS ... RESET}.
 * <p>
 * Counting costs no allocation per row: a route step tallies its batch in its own reusable {@link Tally}
 * (a hash lookup per row, skipped while consecutive rows name the same table) and merges it once per batch under
 * this object's lock. Text: {@link StatsText}. Thread-safe (one lock; merges are per batch, readers are rare).
 */
public final class GroupStats {
    /** Counter slots: inserts, updates (PK updates included), deletes, discards, ignores. */
    static final int INSERTS = 0, UPDATES = 1, DELETES = 2, DISCARDS = 3, IGNORES = 4, SLOTS = 5;
    /** Windows, in the order GoldenGate prints them. */
    enum Window { TOTAL, DAILY, HOURLY, LATEST }

    /** One table's counters per window, and the target it maps to (the source name for extract and pump). */
    static final class Entry {
        final String source;
        final String target;
        final long[][] counts = new long[Window.values().length][SLOTS];

        Entry(String source, String target) {
            this.source = source;
            this.target = target;
        }

        long operations(Window w) {
            long[] c = counts[w.ordinal()];
            return c[INSERTS] + c[UPDATES] + c[DELETES];
        }
    }

    private final ZoneId zone;
    private final Map<String, Entry> tables = new TreeMap<>();
    private final long[] windowStart = new long[Window.values().length];
    private long started;
    private String output;
    private long records;
    // lag: source time of the last record processed and when it was processed; EOF of the reader
    private long lastRecordMillis;
    private long lastRecordLagMillis = -1;
    private boolean atEof;
    // a pump's link to its collector (RMTHOST): its COMPRESS setting and byte counters; null for other groups
    private String linkSettings;
    private CompressionCounters link;

    GroupStats(ZoneId zone) {
        this.zone = zone;
        restart(System.currentTimeMillis());
    }

    /** The group (re)starts: every window begins now, counters and lag are cleared. */
    public synchronized void restart(long now) {
        tables.clear();
        started = now;
        java.util.Arrays.fill(windowStart, now);
        records = 0;
        lastRecordMillis = 0;
        lastRecordLagMillis = -1;
        atEof = false;
    }

    /** The output trail ("./dirdat/ha") an extract or pump writes: STATS says "Output to ./dirdat/ha:". */
    public synchronized void output(String trail) {
        this.output = trail;
    }

    synchronized String output() {
        return output;
    }

    /** A pump's remote link opened with COMPRESS {@code settings}: STATS shows its bytes and compression ratio. */
    public synchronized void link(String settings, CompressionCounters counters) {
        this.linkSettings = settings;
        this.link = counters;
    }

    /** The byte counters of a pump's link to its collector, or null when the group sends to no collector. */
    public synchronized CompressionCounters linkCounters() {
        return link;
    }

    /** The STATS line of the link, or null when the group sends to no collector. */
    synchronized String linkText() {
        return link == null ? null : "Link to the collector (" + linkSettings + "): " + link.summary() + ".";
    }

    /**
     * Adds a batch's tally ({@code target}: the target table of a source table, null for extract and pump) and
     * clears the tally for reuse. Returns the records processed since start (REPORTCOUNT).
     */
    public synchronized long merge(Tally t, UnaryOperator<String> target) {
        if (t.isEmpty()) return records;
        long now = System.currentTimeMillis();
        rollWindows(now);
        for (Map.Entry<String, long[]> e : t.counts.entrySet()) {
            long[] c = e.getValue();
            if (java.util.Arrays.stream(c).allMatch(n -> n == 0)) continue;
            String source = e.getKey();
            Entry en = tables.get(source);
            if (en == null) {
                String tg = target == null ? source : target.apply(source);
                en = new Entry(source, tg == null ? source : tg);
                tables.put(source, en);
            }
            for (long[] w : en.counts) {
                for (int i = 0; i < SLOTS; i++) w[i] += c[i];
            }
            records += c[INSERTS] + c[UPDATES] + c[DELETES] + c[DISCARDS] + c[IGNORES];
        }
        t.clear();
        return records;
    }

    /**
     * A record was processed: {@code sourceMillis} is its source commit (or redo) time, {@code now} when it was
     * processed. Lag = now - source time (never negative: clocks of two hosts may differ).
     */
    public synchronized void processed(long sourceMillis, long now) {
        if (sourceMillis <= 0) return;
        lastRecordMillis = sourceMillis;
        lastRecordLagMillis = Math.max(0, now - sourceMillis);
    }

    /** Whether the reader has reached the end of its source (nothing more to process). */
    public synchronized void atEof(boolean eof) {
        this.atEof = eof;
    }

    public synchronized boolean isAtEof() {
        return atEof;
    }

    /** Lag of the last record when it was processed, -1 when no record was processed since start. */
    public synchronized long lastRecordLagMillis() {
        return lastRecordLagMillis;
    }

    /** Lag as a checkpoint records it: 0 at EOF, else the last record's lag (-1: unknown). */
    public synchronized long checkpointLagMillis() {
        return atEof ? 0 : lastRecordLagMillis;
    }

    /** Records (row operations, discards and ignores) processed since start. */
    public synchronized long records() {
        return records;
    }

    public synchronized long startedMillis() {
        return started;
    }

    /** STATS ... RESET: the LATEST window starts again now. */
    public synchronized void resetLatest(long now) {
        for (Entry e : tables.values()) java.util.Arrays.fill(e.counts[Window.LATEST.ordinal()], 0);
        windowStart[Window.LATEST.ordinal()] = now;
    }

    /**
     * One table's counters since the group started (the TOTAL window), a read-only copy for metrics: source and
     * target table, inserts, updates, deletes, discards, ignores.
     */
    public record TableTotals(String source, String target, long inserts, long updates, long deletes, long discards,
                              long ignores) {
    }

    /** Every table's TOTAL counters, in table order. */
    public synchronized List<TableTotals> totals() {
        List<TableTotals> out = new ArrayList<>(tables.size());
        for (Entry e : tables.values()) {
            long[] c = e.counts[Window.TOTAL.ordinal()];
            out.add(new TableTotals(e.source, e.target, c[INSERTS], c[UPDATES], c[DELETES], c[DISCARDS], c[IGNORES]));
        }
        return out;
    }

    /** Source time of the last record processed since start, 0 when none. */
    public synchronized long lastRecordMillis() {
        return lastRecordMillis;
    }

    /** A consistent copy for rendering: window start times and each table's counters. */
    synchronized Snapshot snapshot(long now) {
        rollWindows(now);
        List<Entry> copy = new ArrayList<>();
        for (Entry e : tables.values()) {
            Entry c = new Entry(e.source, e.target);
            for (int w = 0; w < c.counts.length; w++) System.arraycopy(e.counts[w], 0, c.counts[w], 0, SLOTS);
            copy.add(c);
        }
        return new Snapshot(now, windowStart.clone(), copy, output);
    }

    record Snapshot(long now, long[] windowStart, List<Entry> tables, String output) {
    }

    /** DAILY restarts at midnight, HOURLY at each hour (local time of this host, as GoldenGate's). */
    private void rollWindows(long now) {
        LocalDateTime t = LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(now), zone);
        long midnight = LocalDate.from(t).atStartOfDay(zone).toInstant().toEpochMilli();
        long hour = t.truncatedTo(ChronoUnit.HOURS).atZone(zone).toInstant().toEpochMilli();
        roll(Window.DAILY, midnight);
        roll(Window.HOURLY, hour);
    }

    private void roll(Window w, long boundary) {
        if (windowStart[w.ordinal()] >= boundary) return;
        windowStart[w.ordinal()] = boundary;
        for (Entry e : tables.values()) java.util.Arrays.fill(e.counts[w.ordinal()], 0);
    }

    /**
     * One batch's counts per source table, kept by the route step that counts (not thread-safe) and reused
     * batch after batch: a row costs a comparison (same table as the previous row) or a hash lookup.
     */
    public static final class Tally {
        private final Map<String, long[]> counts = new HashMap<>();
        private String lastTable;
        private long[] last;
        private boolean empty = true;

        /** One row operation of {@code table}. */
        public void add(String table, ChangeOp op) {
            slots(table)[op == ChangeOp.INSERT ? INSERTS : op == ChangeOp.DELETE ? DELETES : UPDATES]++;
        }

        /** One row operation of {@code table} was discarded (REPERROR DISCARD): a discard, not an operation. */
        public void discarded(String table, ChangeOp op) {
            instead(table, op, DISCARDS);
        }

        /** One row operation of {@code table} was ignored (REPERROR IGNORE): an ignore, not an operation. */
        public void ignored(String table, ChangeOp op) {
            instead(table, op, IGNORES);
        }

        private void instead(String table, ChangeOp op, int slot) {
            long[] c = slots(table);
            c[slot]++;
            c[op == ChangeOp.INSERT ? INSERTS : op == ChangeOp.DELETE ? DELETES : UPDATES]--;
        }

        public boolean isEmpty() {
            return empty;
        }

        private long[] slots(String table) {
            // identity first: a batch names few tables, the same String instance row after row
            if (table != lastTable) {
                last = counts.computeIfAbsent(table, k -> new long[SLOTS]);
                lastTable = table;
            }
            empty = false;
            return last;
        }

        /** Zeroes the counters, keeping the arrays for the next batch. */
        public void clear() {
            for (long[] c : counts.values()) java.util.Arrays.fill(c, 0);
            if (counts.size() > 1024) { // a trail of very many tables: do not keep them all forever
                counts.clear();
                lastTable = null;
                last = null;
            }
            empty = true;
        }
    }
}
