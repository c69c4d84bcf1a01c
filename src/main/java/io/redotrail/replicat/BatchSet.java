package io.redotrail.replicat;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowImage;
import io.redotrail.replicat.ChangeStatements.Shape;
import io.redotrail.replicat.ChangeStatements.Stmt;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BATCHSQL for one target transaction: the group's statements, executed as JDBC batches of one {@link Shape}
 * in dependency order rather than trail order. Trail order interleaves tables and operations, so batching only
 * consecutive statements of one shape gives batches of two or three rows; GoldenGate's BATCHSQL sorts by
 * dependency, and so does this.
 * <p>
 * Each statement gets a <em>level</em>: the lowest level that runs after every earlier statement it must stay
 * behind. Two statements must keep their trail order when they touch the same <em>row</em>: a value of the
 * primary key, of KEYCOLS, of another unique key, or (for a table with none of those) of all its non-LOB
 * columns, taken from the before and the after image (an update that leaves a further key out of its after image
 * does not change it, and needs only the row's identity). When a statement's images do not name those values (a
 * partial image), it must keep order with its <em>whole table</em>. Tables linked by foreign keys keep trail
 * order among all of them, as one table. A statement that must follow one of the same shape may share that
 * statement's level: it is appended after it in the same batch, and a JDBC batch runs in order. Levels run one
 * after the other; within a level, batches of different shapes touch different rows, so their order is free.
 * <p>
 * The result equals applying the statements in trail order (BatchOrderTest checks it against a model, on H2 and
 * PostgreSQL). Any failure is the caller's to handle (roll back, replay one statement at a time).
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}.
 */
final class BatchSet {
    /** Resource name shared by every table that has foreign keys. */
    private static final String FK_TABLES = "\u0000FOREIGN-KEY TABLES";

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE), LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private record Mark(int level, Shape shape) {
    }

    /** Per table (or {@link #FK_TABLES}): the highest level any statement on it has, and the last whole-table mark. */
    private static final class TableState {
        int maxLevel = -1;
        Shape shapeAtMax;
        boolean mixedAtMax;
        Mark whole;
    }

    private final Map<String, TableState> tables = new HashMap<>();
    private final Map<KeyValues, Mark> rows = new HashMap<>();
    private final List<LinkedHashMap<Shape, List<Stmt>>> levels = new ArrayList<>();
    private int size;
    /** Since the last {@link #clear}: whether the rows were given ({@code TRUE}), found here ({@code FALSE}), or none yet. */
    private Boolean given;
    // volatile: counted on the committer's thread, read by metrics on the route thread
    private volatile long batches;
    private volatile long batchedStatements;

    int size() {
        return size;
    }

    /** JDBC batches executed since this set was made (all groups). */
    long batches() {
        return batches;
    }

    /** Statements those batches carried. */
    long batchedStatements() {
        return batchedStatements;
    }

    /** For {@link #add(Stmt, List)}: the set finds the statement's rows itself. */
    static final List<KeyValues> OWN = java.util.Collections.unmodifiableList(new ArrayList<>(0)); // by identity

    /** Adds a statement after every statement added before it (in the order that must be kept). */
    void add(Stmt s) {
        add(s, OWN);
    }

    /**
     * As {@link #add(Stmt)}, with the rows the statement touches as the caller found them ({@link ParallelKeys}: its
     * own table's keys; null: the whole table), or {@link #OWN}. Rows given and rows found here are named
     * differently: one set takes all its statements' rows from one source until it is cleared (a mix throws).
     */
    void add(Stmt s, List<KeyValues> rowKeys) {
        Shape shape = s.shape();
        TargetTables.Table t = shape.table;
        boolean mine = rowKeys == OWN;
        if (given == null) {
            given = !mine;
        } else if (given == mine) {
            // keys named two ways never meet: the trail order between them would be lost without an error
            throw new IllegalStateException("BATCHSQL: statements with given row keys and with keys found here in one set");
        }
        List<KeyValues> tokens = t.foreignKeys() ? null : mine ? tokens(s) : rowKeys;
        TableState ts = tables.computeIfAbsent(t.foreignKeys() ? FK_TABLES : t.name(), k -> new TableState());
        int level;
        if (tokens == null) {
            // after every statement on the table: the same level only when all at the top share this shape
            level = ts.maxLevel < 0 ? 0 : !ts.mixedAtMax && ts.shapeAtMax == shape ? ts.maxLevel : ts.maxLevel + 1;
            ts.whole = new Mark(level, shape);
        } else {
            level = ts.whole == null ? 0 : after(ts.whole, shape);
            for (KeyValues tok : tokens) {
                Mark m = rows.get(tok);
                if (m != null) level = Math.max(level, after(m, shape));
            }
            Mark mark = new Mark(level, shape);
            for (KeyValues tok : tokens) rows.put(tok, mark);
        }
        if (level > ts.maxLevel) {
            ts.maxLevel = level;
            ts.shapeAtMax = shape;
            ts.mixedAtMax = false;
        } else if (level == ts.maxLevel && ts.shapeAtMax != shape) {
            ts.mixedAtMax = true;
        }
        while (levels.size() <= level) levels.add(new LinkedHashMap<>());
        levels.get(level).computeIfAbsent(shape, k -> new ArrayList<>()).add(s);
        size++;
    }

    /** Lowest level that runs after {@code m}: its own when the shape is the same (later in the same batch). */
    private static int after(Mark m, Shape shape) {
        return m.shape() == shape ? m.level() : m.level() + 1;
    }

    /** Runs every level in order, each shape's statements in batches of at most {@code maxBatch}; then empties the set. */
    void execute(ChangeApplier applier) throws SQLException {
        int max = applier.maxBatch();
        try {
            for (LinkedHashMap<Shape, List<Stmt>> level : levels) {
                for (List<Stmt> batch : level.values()) {
                    for (int from = 0; from < batch.size(); from += max) {
                        int to = Math.min(batch.size(), from + max);
                        applier.executeBatch(batch, from, to);
                        batches++;
                        batchedStatements += to - from;
                    }
                }
            }
        } finally {
            clear();
        }
    }

    void clear() {
        tables.clear();
        rows.clear();
        levels.clear();
        size = 0;
        given = null;
    }

    /**
     * The rows a statement touches, as tokens per key of its table, from the before image (update, delete) and
     * the after image (insert, update; a column the update leaves out keeps its before value); null when an
     * image does not name a key's values, so the statement must keep order with its whole table.
     */
    private static List<KeyValues> tokens(Stmt s) {
        TargetTables.Table t = s.shape().table;
        ChangeOp op = s.shape().op;
        RowImage before = op == ChangeOp.INSERT ? null : s.change().before();
        RowImage after = op == ChangeOp.DELETE ? null : s.change().after();
        List<List<String>> keys = keySets(t, s.keyColsOverride());
        List<KeyValues> out = new ArrayList<>(keys.size() * 2);
        for (int k = 0; k < keys.size(); k++) {
            List<String> cols = keys.get(k);
            // an update that leaves a further key's columns out of its after image does not change them, so it
            // cannot collide through that key; the first key (the row's identity) is always needed. A key that
            // names no column (a PostgreSQL expression index) may change with any update: whole table (below)
            if (k > 0 && KeyValues.unchanged(t, cols, op != ChangeOp.INSERT && op != ChangeOp.DELETE, after)) continue;
            KeyValues b = null;
            if (before != null) {
                Object[] v = KeyValues.values(cols, null, before, null);
                if (v == null) return null;
                out.add(b = new KeyValues(t.name(), cols, v));
            }
            if (after != null) {
                Object[] v = KeyValues.values(cols, null, after, before);
                if (v == null) return null;
                KeyValues a = new KeyValues(t.name(), cols, v);
                if (!a.equals(b)) out.add(a);
            }
        }
        return out;
    }

    /**
     * Every column list that identifies a row of {@code t}: primary key, KEYCOLS when they differ, other unique
     * keys; for a table with none of those, all its non-LOB columns.
     */
    private static List<List<String>> keySets(TargetTables.Table t, List<String> keyCols) {
        List<List<String>> keys = new ArrayList<>(2 + t.uniqueKeys().size());
        if (!t.primaryKey().isEmpty()) keys.add(t.primaryKey());
        if (!keyCols.isEmpty() && !keyCols.equals(t.primaryKey())) keys.add(keyCols);
        keys.addAll(t.uniqueKeys());
        if (keys.isEmpty()) {
            List<String> all = new ArrayList<>(t.columns().size());
            for (var e : t.columns().entrySet()) if (!e.getValue().lob()) all.add(e.getKey());
            keys.add(all);
        }
        return keys;
    }

    /**
     * Values equal as SQL values are equal as tokens (1.50 = 1.5, byte arrays by content, integer types alike):
     * a whole number that fits a long is a Long (most keys are: no BigDecimal per statement), any other number a
     * BigDecimal without trailing zeros.
     */
    static Object normal(Object v) {
        if (v instanceof Long) return v;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof BigDecimal d) {
            if (d.signum() == 0) return 0L;
            BigDecimal s = d.scale() <= 0 ? d : d.stripTrailingZeros();
            if (s.scale() <= 0 && s.precision() - s.scale() <= 19 && s.compareTo(LONG_MIN) >= 0 && s.compareTo(LONG_MAX) <= 0) {
                return s.longValueExact();
            }
            return s.scale() < 0 ? s.setScale(0) : s;
        }
        if (v instanceof byte[] b) return ByteBuffer.wrap(b);
        return v;
    }
}
