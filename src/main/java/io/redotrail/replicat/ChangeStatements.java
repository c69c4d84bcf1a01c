package io.redotrail.replicat;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.ValueCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a row change becomes in SQL, before anything runs: {@link #prepare} gives its {@link Stmt} (interned
 * {@link Shape} with the SQL text and JDBC types, and the key values); mapping problems (a missing column, no
 * usable key) are {@link ApplyError}s naming the transaction. Also the descriptions of changes used in messages.
 * {@link ChangeApplier} runs the statements.
 * <p>
 * Keys: the target's primary key (DatabaseMetaData), or KEYCOLS. A table without either uses every non-LOB
 * column of the before image as the key (GoldenGate does the same without KEYCOLS); if duplicate rows exist,
 * an update or delete then touches all of them. Key values come from the before image (after image if absent).
 * <p>
 * Thread-safe: {@link #prepare} runs on MAP_PARALLELISM's mappers at once ({@link ParallelMappers}); a shape is
 * interned with putIfAbsent, so there is one instance per shape whichever thread saw it first.
 */
final class ChangeStatements {
    private final String group;
    private final Map<Shape, Shape> shapes = new ConcurrentHashMap<>();

    ChangeStatements(String group) {
        this.group = group;
    }

    /**
     * What makes two changes share a statement: same table, operation, SET columns, key columns and NULL keys, and
     * the columns their mapping derives (two MAPs into one table check rounding each as its COLMAP says).
     * Interned by {@link #prepare}, so shapes compare by identity after that; the SQL and JDBC types are
     * computed once per shape.
     */
    static final class Shape {
        final TargetTables.Table table;
        final ChangeOp op;
        final String[] setCols;
        final String[] keyCols;
        final boolean[] keyNull;
        /** Target columns a COLMAP constant or token fills ({@link ValueFit} leaves them unchecked). */
        final java.util.Set<String> derived;
        private final int hash;
        String sql;
        int[] setTypes;
        int[] keyTypes;
        /** Per SET column, the digits the target keeps ({@link ValueFit#kept}); null when none needs a check. */
        int[] setKept;
        /**
         * Where the last row bound found the first SET column in its after image: a hint, read and written racily;
         * any position a row of the shape wrote works, since every such row holds every SET column.
         */
        int setShift;

        Shape(TargetTables.Table table, ChangeOp op, String[] setCols, String[] keyCols, boolean[] keyNull,
              java.util.Set<String> derived) {
            this.table = table;
            this.op = op;
            this.setCols = setCols;
            this.keyCols = keyCols;
            this.keyNull = keyNull;
            this.derived = derived;
            this.hash = ((table.name().hashCode() * 31 + op.hashCode()) * 31 + Arrays.hashCode(setCols)) * 31
                    + Arrays.hashCode(keyCols) * 7 + Arrays.hashCode(keyNull) + derived.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shape s && s.hash == hash && s.op == op && s.table.name().equals(table.name())
                    && Arrays.equals(s.setCols, setCols) && Arrays.equals(s.keyCols, keyCols)
                    && Arrays.equals(s.keyNull, keyNull) && s.derived.equals(derived);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * One mapped change ready to bind: its shape, the change (after image = SET values), its key values, and the
     * table's KEYCOLS (empty when none).
     */
    record Stmt(Shape shape, Transaction tx, RowChange change, Object[] keyVals, List<String> keyColsOverride) {
    }

    /**
     * The change's statement: shape (interned) and key values. {@code derived}: the target columns its mapping's COLMAP
     * fills with a constant or token. Mapping problems are {@link ApplyError}s.
     */
    Stmt prepare(Transaction tx, RowChange ch, TargetTables.Table t, List<String> keyColsOverride, java.util.Set<String> derived) {
        ChangeOp op = ch.op();
        String[] setCols = null;
        String[] keyCols = null;
        Object[] keyVals = null;
        List<String> key = keyColsOverride != null && !keyColsOverride.isEmpty() ? keyColsOverride : t.primaryKey();
        if (op == ChangeOp.INSERT) {
            setCols = ch.after().columns();
        } else {
            keyCols = key.isEmpty() ? nonLobColumns(t, ch.before(), tx) : key.toArray(String[]::new);
            keyVals = keyValues(t, ch, keyCols, tx);
            if (op != ChangeOp.DELETE) {
                if (op == ChangeOp.UPDATE && !key.isEmpty() && !keyChanged(ch.after(), keyCols, keyVals)) {
                    setCols = withoutKeys(ch.after().columns(), key);
                }
                if (setCols == null || setCols.length == 0) {
                    op = ChangeOp.PK_UPDATE; // key changed, or nothing but keys to set: set every after column
                    setCols = ch.after().columns();
                }
            }
        }
        boolean[] keyNull = null;
        if (keyVals != null) {
            keyNull = new boolean[keyVals.length];
            for (int i = 0; i < keyVals.length; i++) keyNull[i] = keyVals[i] == null;
        }
        Shape probe = new Shape(t, op, setCols, keyCols, keyNull, derived);
        Shape shape = shapes.get(probe);
        if (shape == null) {
            probe.sql = sql(t, op, setCols, keyCols, keyNull, tx); // checks every column exists
            probe.setTypes = types(t, setCols);
            probe.keyTypes = types(t, keyCols);
            probe.setKept = ValueFit.kept(t, setCols, derived);
            // filled before it is published: a thread that finds it in the map sees its SQL and types
            Shape first = shapes.putIfAbsent(probe, probe);
            shape = first != null ? first : probe;
        }
        return new Stmt(shape, tx, ch, keyVals, keyColsOverride == null ? List.of() : keyColsOverride);
    }

    /** Whether the change would run as a key-changing update (PK update) against {@code t}. */
    static boolean changesKey(RowChange ch, TargetTables.Table t, List<String> keyColsOverride) {
        if (ch.op() == ChangeOp.PK_UPDATE) return true;
        if (ch.op() != ChangeOp.UPDATE) return false;
        List<String> key = keyColsOverride != null && !keyColsOverride.isEmpty() ? keyColsOverride : t.primaryKey();
        for (String k : key) {
            int a = ch.after().indexOf(k);
            int b = ch.before().indexOf(k);
            if (a >= 0 && b >= 0 && !ValueCodec.sameValue(ch.after().value(a), ch.before().value(b))) return true;
        }
        return false;
    }

    /** Forgets the interned shapes (at close, with the cached statements). */
    void clear() {
        shapes.clear();
    }

    private String sql(TargetTables.Table t, ChangeOp op, String[] setCols, String[] keyCols, boolean[] keyNull,
                       Transaction tx) {
        StringBuilder sb = new StringBuilder(128);
        if (op == ChangeOp.INSERT && setCols.length == 0) {
            // e.g. MAP YDJK.*, TARGET YDJK.ACCOUNT: every table into one whose columns none of this one's match
            throw new ApplyError("MAPPING", group + ": an INSERT into target table " + t.name() + " has no column to write:"
                    + " the mapping leaves none of the source row's columns (no target column of the same name, no COLMAP)"
                    + where(tx), null, null);
        }
        if (op == ChangeOp.INSERT) {
            sb.append("INSERT INTO ").append(t.sqlName()).append(" (");
            for (int i = 0; i < setCols.length; i++) {
                sb.append(i > 0 ? ", " : "").append(col(t, setCols[i], tx));
            }
            sb.append(") VALUES (").append("?, ".repeat(setCols.length - 1)).append("?)");
            return sb.toString();
        }
        if (op == ChangeOp.DELETE) {
            sb.append("DELETE FROM ").append(t.sqlName());
        } else {
            sb.append("UPDATE ").append(t.sqlName()).append(" SET ");
            for (int i = 0; i < setCols.length; i++) {
                sb.append(i > 0 ? ", " : "").append(col(t, setCols[i], tx)).append(" = ?");
            }
        }
        sb.append(" WHERE ");
        for (int i = 0; i < keyCols.length; i++) {
            sb.append(i > 0 ? " AND " : "").append(col(t, keyCols[i], tx)).append(keyNull[i] ? " IS NULL" : " = ?");
        }
        return sb.toString();
    }

    /** JDBC types of the columns (the SQL was built first, so every column exists). */
    private static int[] types(TargetTables.Table t, String[] cols) {
        if (cols == null) return null;
        int[] out = new int[cols.length];
        for (int i = 0; i < cols.length; i++) out[i] = t.column(cols[i]).sqlType();
        return out;
    }

    private String col(TargetTables.Table t, String name, Transaction tx) {
        TargetTables.Column c = t.column(name);
        if (c == null) {
            throw new ApplyError("MAPPING", group + ": target table " + t.name() + " has no column " + name + where(tx), null, null);
        }
        return c.sqlName();
    }

    private String[] nonLobColumns(TargetTables.Table t, RowImage before, Transaction tx) {
        List<String> out = new ArrayList<>(before.size());
        for (String c : before.columns()) {
            TargetTables.Column col = t.column(c);
            if (col == null) throw new ApplyError("MAPPING", group + ": target table " + t.name() + " has no column " + c + where(tx), null, null);
            if (!col.lob()) out.add(c);
        }
        if (out.isEmpty()) {
            throw new ApplyError("MAPPING", group + ": table " + t.name() + " has no primary key and the before image "
                    + "has no comparable column to use as a key" + where(tx), null, null);
        }
        return out.toArray(String[]::new);
    }

    private Object[] keyValues(TargetTables.Table t, RowChange ch, String[] keyCols, Transaction tx) {
        Object[] v = new Object[keyCols.length];
        for (int i = 0; i < keyCols.length; i++) {
            int b = ch.before().indexOf(keyCols[i]);
            if (b >= 0) {
                v[i] = ch.before().value(b);
            } else if (ch.after() != null && ch.after().indexOf(keyCols[i]) >= 0) {
                v[i] = ch.after().get(keyCols[i]);
            } else {
                throw new ApplyError("MAPPING", group + ": " + ch.op() + " on " + t.name() + " lacks key column "
                        + keyCols[i] + " in its before image" + where(tx), null, null);
            }
        }
        return v;
    }

    private static boolean keyChanged(RowImage after, String[] keyCols, Object[] keyVals) {
        for (int i = 0; i < keyCols.length; i++) {
            int a = after.indexOf(keyCols[i]);
            if (a >= 0 && !ValueCodec.sameValue(after.value(a), keyVals[i])) return true;
        }
        return false;
    }

    private static String[] withoutKeys(String[] cols, List<String> keys) {
        int n = 0;
        for (String c : cols) if (!keys.contains(c)) n++;
        if (n == cols.length) return cols; // keep identity: binding can then use positions directly
        String[] out = new String[n];
        int j = 0;
        for (String c : cols) if (!keys.contains(c)) out[j++] = c;
        return out;
    }

    static String describe(Stmt p) {
        return describe(p.change(), p.shape().op, p.shape().keyCols, p.keyVals());
    }

    private static String describe(RowChange ch, ChangeOp op, String[] keyCols, Object[] keyVals) {
        StringBuilder sb = new StringBuilder().append(op == ChangeOp.PK_UPDATE && ch.op() == ChangeOp.UPDATE
                ? "UPDATE" : ch.op().name()).append(" on ").append(ch.table());
        if (keyCols != null) {
            sb.append(" with key (");
            for (int i = 0; i < keyCols.length; i++) {
                String v = ValueCodec.display(keyVals[i]);
                if (v.length() > 200) v = v.substring(0, 200) + "...";
                sb.append(i > 0 ? ", " : "").append(keyCols[i]).append('=').append(v);
            }
            sb.append(')');
        } else if (ch.after() != null) {
            String row = ch.after().toString();
            sb.append(' ').append(row.length() > 300 ? row.substring(0, 300) + "...}" : row);
        }
        return sb.toString();
    }

    /** "UPDATE on OWNER.TABLE with key (ID=5)" for a (mapped) change, for messages. */
    String describe(Transaction tx, RowChange ch, TargetTables.Table t, List<String> keyColsOverride) {
        if (ch.op() == ChangeOp.INSERT || t == null) return describe(ch, ch.op(), null, null);
        try {
            List<String> key = keyColsOverride != null && !keyColsOverride.isEmpty() ? keyColsOverride : t.primaryKey();
            String[] keyCols = key.isEmpty() ? nonLobColumns(t, ch.before(), tx) : key.toArray(String[]::new);
            return describe(ch, ch.op(), keyCols, keyValues(t, ch, keyCols, tx));
        } catch (ReplicatException e) {
            return ch.op() + " on " + ch.table();
        }
    }

    /** " (transaction XID 10.16.1533 CSN 9137521 at trail seqno 3 RBA 1755)" */
    static String where(Transaction tx) {
        return " (transaction XID " + tx.xid() + " CSN " + tx.csn() + " at trail "
                + (tx.trailStart() == null ? "position unknown" : tx.trailStart().toString()) + ")";
    }
}
