package io.redotrail.core;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.Arrays;
import java.util.Objects;

/**
 * Column names and values of one row image (before or after). Values are
 * {@code null}, {@link Long}, {@link java.math.BigDecimal}, {@link String}, {@link java.time.LocalDateTime},
 * {@link java.time.LocalDate}, {@link Double}, {@link Boolean} or {@code byte[]} — see {@link ValueCodec}.
 * Arrays are owned by the image; callers must not modify them.
 * Jackson writes it in the change-event JSON form of docs/events.md (any ObjectMapper, e.g. behind {@code marshal: json}).
 */
@JsonSerialize(using = ChangeEventJson.ImageSerializer.class)
public final class RowImage {
    private final String[] columns;
    private final Object[] values;

    public RowImage(String[] columns, Object[] values) {
        if (columns.length != values.length) {
            throw new IllegalArgumentException(columns.length + " columns but " + values.length + " values");
        }
        this.columns = columns;
        this.values = values;
    }

    public int size() {
        return columns.length;
    }

    public String column(int i) {
        return columns[i];
    }

    public Object value(int i) {
        return values[i];
    }

    public String[] columns() {
        return columns;
    }

    public Object[] values() {
        return values;
    }

    /** Index of a column (case-sensitive, names are stored upper case), or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equals(column)) return i;
        }
        return -1;
    }

    public Object get(String column) {
        int i = indexOf(column);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RowImage r)) return false;
        if (!Arrays.equals(columns, r.columns) || values.length != r.values.length) return false;
        for (int i = 0; i < values.length; i++) {
            if (!ValueCodec.sameValue(values[i], r.values[i])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(columns), values.length);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(columns[i]).append('=').append(ValueCodec.display(values[i]));
        }
        return sb.append('}').toString();
    }
}
