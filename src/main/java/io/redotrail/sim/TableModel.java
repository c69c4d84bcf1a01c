package io.redotrail.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The generator's picture of one table: committed rows by key (with an index for picking a random row in
 * O(1)), row locks held by open transactions, and the key counters that make fresh keys. Fresh keys are
 * "max ever used + 1", per parent key for child tables, so keys of rolled-back inserts are not reused in a run.
 * The row locks are the source session model that the generator's transactions and the scenario runner's scripted
 * ones ({@code io.redotrail.scenario.ScriptedSource}, through {@link OpenTransaction}) share. Not thread-safe: owned
 * by one generator or one scripted source.
 */
public final class TableModel {
    /** Picks of an existing row go to the newest HOT_ROWS rows with probability HOT_SHARE. */
    private static final int HOT_ROWS = 1000;
    private static final double HOT_SHARE = 0.8;
    final TableDef def;
    private final Map<List<Object>, Object[]> rows = new HashMap<>();
    private final List<List<Object>> keys = new ArrayList<>();
    private final Map<List<Object>, Integer> keyIndex = new HashMap<>();
    private final Map<List<Object>, OpenTransaction> locks = new HashMap<>();
    /** Highest last-key-column value per key prefix (empty prefix for single-column keys). */
    private final Map<List<Object>, Long> maxCounter = new HashMap<>();

    public TableModel(TableDef def, List<Object[]> committedRows) {
        this.def = def;
        for (Object[] row : committedRows) {
            List<Object> key = def.keyOf(row);
            putCommitted(key, row);
            noteKey(key);
        }
    }

    int size() {
        return keys.size();
    }

    Object[] committed(List<Object> key) {
        return rows.get(key);
    }

    /** Snapshot of the committed rows, for tests and checks. */
    Map<List<Object>, Object[]> committedRows() {
        return Map.copyOf(rows);
    }

    /**
     * A random committed key, skewed towards recently inserted rows as in real OLTP (new orders change
     * status, new accounts get activity). The skew also keeps the source's B-tree writes local.
     */
    List<Object> randomKey(SplittableRandom rnd) {
        int n = keys.size();
        if (n == 0) return null;
        if (n > HOT_ROWS && rnd.nextDouble() < HOT_SHARE) {
            return keys.get(n - 1 - rnd.nextInt(HOT_ROWS)); // the end of the list holds mostly recent keys
        }
        return keys.get(rnd.nextInt(n));
    }

    /** The open transaction holding the row lock of {@code key}, or null. */
    public OpenTransaction lockHolder(List<Object> key) {
        return locks.get(key);
    }

    /** Takes the row lock for {@code tx}; it must be free or already held by {@code tx}. */
    void lock(List<Object> key, OpenTransaction tx) {
        OpenTransaction holder = locks.putIfAbsent(key, tx);
        if (holder != null && holder != tx) {
            throw new IllegalStateException("row " + key + " of " + def.name() + " is locked by " + holder.xid()
                    + ", cannot lock it for " + tx.xid());
        }
    }

    void unlock(List<Object> key, OpenTransaction tx) {
        if (!locks.remove(key, tx)) {
            throw new IllegalStateException("row " + key + " of " + def.name() + " is not locked by " + tx.xid());
        }
    }

    /** A key no row has had: same prefix, last column one above the highest value seen for that prefix. */
    List<Object> freshKey(List<Object> prefix) {
        if (prefix.size() != def.keyColumns().size() - 1) {
            throw new IllegalArgumentException("key prefix " + prefix + " does not fit the key " + def.keyColumns()
                    + " of " + def.name());
        }
        long next = maxCounter.getOrDefault(prefix, 0L) + 1;
        maxCounter.put(prefix, next);
        List<Object> key = new ArrayList<>(prefix);
        key.add(next);
        return List.copyOf(key);
    }

    /** Makes a committed transaction's final image of a row (null = deleted) the committed state. */
    void commit(List<Object> key, Object[] row) {
        if (row == null) {
            // absent when the same transaction inserted and then deleted (or PK-updated away) the row
            if (rows.containsKey(key)) removeCommitted(key);
        } else if (rows.containsKey(key)) {
            rows.put(key, row);
        } else {
            putCommitted(key, row);
        }
    }

    private void putCommitted(List<Object> key, Object[] row) {
        if (rows.put(key, row) != null) {
            throw new IllegalStateException("duplicate key " + key + " in " + def.name());
        }
        keyIndex.put(key, keys.size());
        keys.add(key);
    }

    private void removeCommitted(List<Object> key) {
        if (rows.remove(key) == null) {
            throw new IllegalStateException("committed delete of missing row " + key + " in " + def.name());
        }
        // swap-remove keeps the random-pick list dense
        int at = keyIndex.remove(key);
        List<Object> last = keys.remove(keys.size() - 1);
        if (at < keys.size()) {
            keys.set(at, last);
            keyIndex.put(last, at);
        }
    }

    private void noteKey(List<Object> key) {
        List<Object> prefix = key.subList(0, key.size() - 1);
        long counter = (Long) key.get(key.size() - 1);
        maxCounter.merge(List.copyOf(prefix), counter, Math::max);
    }
}
