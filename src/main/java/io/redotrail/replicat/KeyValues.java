package io.redotrail.replicat;

import io.redotrail.core.RowImage;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A row named by the values of one of its keys: table, key columns and their values, normalised by
 * {@link BatchSet#normal} so that values equal in SQL are equal here. {@link BatchSet} orders a batch's statements
 * by it, {@link ParallelKeys} the parallel Replicat's transactions; {@code cols} null (only from
 * {@link ParallelKeys}) names the whole table.
 * <p>
 * The hash is computed once: each key is hashed at least three times (looked up, stored, removed), and a list's
 * hash walks its boxed values every time, which was a tenth of the parallel Replicat's scheduling CPU.
 * Immutable: the values array is owned by the key.
 */
final class KeyValues {
    private final String table;
    private final List<String> cols;
    private final Object[] values;
    private final int hash;

    KeyValues(String table, List<String> cols, Object[] values) {
        this.table = table;
        this.cols = cols;
        this.values = values;
        this.hash = (31 * table.hashCode() + Objects.hashCode(cols)) * 31 + Arrays.hashCode(values);
    }

    /**
     * The values of {@code cols} in {@code img}, in the order {@code from} gives (positions in {@code cols}; null: as
     * listed), each {@link BatchSet#normal}ised; a column {@code img} lacks is taken from {@code fallback} (an
     * update's after image leaves unchanged columns out; null: none). Null when neither image has one of them.
     */
    static Object[] values(List<String> cols, int[] from, RowImage img, RowImage fallback) {
        Object[] v = new Object[cols.size()];
        for (int j = 0; j < v.length; j++) {
            String c = cols.get(from == null ? j : from[j]);
            int idx = img.indexOf(c);
            if (idx >= 0) {
                v[j] = BatchSet.normal(img.value(idx));
            } else if (fallback != null && (idx = fallback.indexOf(c)) >= 0) {
                v[j] = BatchSet.normal(fallback.value(idx));
            } else {
                return null;
            }
        }
        return v;
    }

    /**
     * An update ({@code update}) whose after image names none of the key {@code cols}, all columns of {@code t}, does
     * not change that key, so it cannot collide through it. A key naming something that is no column (a PostgreSQL
     * expression index) may change with any update.
     */
    static boolean unchanged(TargetTables.Table t, List<String> cols, boolean update, RowImage after) {
        if (!update || after == null) return false;
        for (String c : cols) if (after.indexOf(c) >= 0 || t.column(c) == null) return false;
        return true;
    }

    /** The whole table: conflicts with every key of it. */
    static KeyValues wholeTable(String table) {
        return new KeyValues(table, null, null);
    }

    String table() {
        return table;
    }

    /** The key's column names, or null for the whole table. */
    List<String> cols() {
        return cols;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValues k && hash == k.hash && table.equals(k.table) && Objects.equals(cols, k.cols)
                && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return cols == null ? table : table + cols + Arrays.toString(values);
    }
}
