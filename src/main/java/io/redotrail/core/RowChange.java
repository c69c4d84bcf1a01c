package io.redotrail.core;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.Objects;

/**
 * One row operation on a table named {@code OWNER.TABLE}. INSERT has only an after image, DELETE only a
 * before image (at least the key columns), UPDATE and PK_UPDATE both.
 * Jackson writes and reads it in the change-event JSON form of docs/events.md (any ObjectMapper, e.g. behind {@code marshal: json}).
 */
@JsonSerialize(using = ChangeEventJson.ChangeSerializer.class)
@JsonDeserialize(using = ChangeEventJson.ChangeDeserializer.class)
public record RowChange(String table, ChangeOp op, RowImage before, RowImage after) {

    public RowChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        switch (op) {
            case INSERT -> require(after != null && before == null, table, op, "an after image only");
            case DELETE -> require(before != null && after == null, table, op, "a before image only");
            case UPDATE, PK_UPDATE -> require(before != null && after != null, table, op, "before and after images");
        }
    }

    private static void require(boolean ok, String table, ChangeOp op, String what) {
        if (!ok) throw new IllegalArgumentException(op + " on " + table + " needs " + what);
    }

    public String owner() {
        int dot = table.indexOf('.');
        return dot < 0 ? "" : table.substring(0, dot);
    }

    public String tableName() {
        int dot = table.indexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }
}
