package io.redotrail.core;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The heartbeat record as it travels (docs/observability.md, "Heartbeat table"): an UPDATE of the source's
 * {@value #SEED} row of one redo thread, written through the redo like any change. Its after image carries the
 * source's {@code HEARTBEAT_TIMESTAMP}; each stage that passes it on fills its own columns of that image — the
 * Extract {@code INCOMING_EXTRACT} / {@code INCOMING_EXTRACT_TS}, each pump {@code INCOMING_ROUTING_PATH} (its
 * group appended, {@code " ==> "} between hops) / {@code INCOMING_ROUTING_TS} — and the Replicat turns it into rows of
 * the target's {@code GG_HEARTBEAT} and {@code GG_HEARTBEAT_HISTORY}. Timestamps are UTC {@link LocalDateTime}s.
 * Stateless.
 */
public final class Heartbeat {
    /** The schema of every heartbeat object, in the source and in the target. */
    public static final String SCHEMA = "GGADMIN";
    public static final String SEED = SCHEMA + ".GG_HEARTBEAT_SEED";
    public static final String TABLE = SCHEMA + ".GG_HEARTBEAT";
    public static final String HISTORY = SCHEMA + ".GG_HEARTBEAT_HISTORY";
    public static final String LAG_VIEW = SCHEMA + ".GG_LAG";
    public static final String LAG_HISTORY_VIEW = SCHEMA + ".GG_LAG_HISTORY";

    public static final String LOCAL_DATABASE = "LOCAL_DATABASE";
    public static final String REDO_THREAD = "REDO_THREAD";
    public static final String HEARTBEAT_TIMESTAMP = "HEARTBEAT_TIMESTAMP";
    public static final String INCOMING_EXTRACT = "INCOMING_EXTRACT";
    public static final String INCOMING_EXTRACT_TS = "INCOMING_EXTRACT_TS";
    public static final String INCOMING_ROUTING_PATH = "INCOMING_ROUTING_PATH";
    public static final String INCOMING_ROUTING_TS = "INCOMING_ROUTING_TS";

    /** The seed row's columns, in the order of its images. */
    public static final List<String> SEED_COLUMNS = List.of(LOCAL_DATABASE, REDO_THREAD, HEARTBEAT_TIMESTAMP,
            INCOMING_EXTRACT, INCOMING_EXTRACT_TS, INCOMING_ROUTING_PATH, INCOMING_ROUTING_TS);

    /** Who stamps the record as it passes. */
    public enum Hop { EXTRACT, ROUTING }

    private Heartbeat() {
    }

    public static boolean isHeartbeat(RowChange c) {
        return SEED.equals(c.table());
    }

    /** Whether a (heap) transaction holds a heartbeat change; a spilled one never does (the source writes it alone). */
    public static boolean holdsHeartbeat(Transaction tx) {
        List<RowChange> changes = tx.changes();
        if (changes instanceof StreamedChanges) return false;
        // by index: every transaction passes here, and an iterator per transaction is garbage
        for (int i = 0, n = changes.size(); i < n; i++) if (isHeartbeat(changes.get(i))) return true;
        return false;
    }

    /** UTC date-time of epoch millis, as the heartbeat columns hold it. */
    public static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    /** Epoch millis of a heartbeat column's value (a UTC date-time); -1 for null. */
    public static long millis(Object v) {
        if (v instanceof LocalDateTime t) return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        if (v instanceof java.sql.Timestamp t) return t.toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
        return -1;
    }

    /**
     * The seed row of {@code thread} in database {@code db} as the source writes it: its heartbeat time and no
     * stamps (the stages fill those in the trail's image only).
     */
    public static RowImage seedImage(String db, int thread, LocalDateTime heartbeat) {
        return new RowImage(SEED_COLUMNS.toArray(String[]::new),
                new Object[]{db, (long) thread, heartbeat, null, null, null, null});
    }

    /**
     * The transactions with every heartbeat change's after image stamped by {@code hop} {@code group} at
     * {@code nowMillis}; the list itself when it holds no heartbeat. Sealed (encrypted, not decrypted) images are
     * passed on unstamped: their values cannot be read.
     */
    public static List<Transaction> stamp(List<Transaction> txs, Hop hop, String group, long nowMillis) {
        List<Transaction> out = null;
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            if (!holdsHeartbeat(tx)) {
                if (out != null) out.add(tx);
                continue;
            }
            if (out == null) out = new ArrayList<>(txs.subList(0, i));
            List<RowChange> changes = new ArrayList<>(tx.size());
            for (RowChange c : tx.changes()) changes.add(isHeartbeat(c) ? stamp(c, hop, group, nowMillis) : c);
            out.add(tx.withChanges(changes));
        }
        return out == null ? txs : out;
    }

    static RowChange stamp(RowChange c, Hop hop, String group, long nowMillis) {
        if (c.after() == null || c.isSealed()) return c;
        String[] cols = c.after().columns();
        Object[] vals = c.after().values().clone();
        String name = group.toUpperCase(java.util.Locale.ROOT);
        if (hop == Hop.EXTRACT) {
            set(cols, vals, INCOMING_EXTRACT, name);
            set(cols, vals, INCOMING_EXTRACT_TS, utc(nowMillis));
        } else {
            int p = indexOf(cols, INCOMING_ROUTING_PATH);
            Object path = p < 0 ? null : vals[p];
            set(cols, vals, INCOMING_ROUTING_PATH, path == null || path.toString().isEmpty() ? name : path + " ==> " + name);
            set(cols, vals, INCOMING_ROUTING_TS, utc(nowMillis));
        }
        return new RowChange(c.table(), c.op(), c.before(), new RowImage(cols, vals));
    }

    private static void set(String[] cols, Object[] vals, String col, Object v) {
        int i = indexOf(cols, col);
        if (i < 0) throw new IllegalArgumentException("heartbeat record of " + SEED + " has no column " + col);
        vals[i] = v;
    }

    private static int indexOf(String[] cols, String col) {
        for (int i = 0; i < cols.length; i++) if (cols[i].equals(col)) return i;
        return -1;
    }
}
