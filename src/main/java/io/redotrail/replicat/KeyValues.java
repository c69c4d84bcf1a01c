package io.redotrail.replicat;

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
