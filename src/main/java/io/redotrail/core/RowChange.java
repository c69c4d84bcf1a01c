package io.redotrail.core;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.Objects;

/**
 * One row operation on a table named {@code OWNER.TABLE}. INSERT has only an after image, DELETE only a
 * before image (at least the key columns), UPDATE and PK_UPDATE both.
 * A change read from an encrypted trail by a reader that does not decrypt has no images but {@code sealed}
 * ({@link SealedImages}): the table and operation are known, the values are not.
 * Jackson writes and reads it in the change-event JSON form of docs/events.md (any ObjectMapper, e.g. behind {@code marshal: json}).
 */
@JsonSerialize(using = ChangeEventJson.ChangeSerializer.class)
@JsonDeserialize(using = ChangeEventJson.ChangeDeserializer.class)
public record RowChange(String table, ChangeOp op, RowImage before, RowImage after, SealedImages sealed) {

    public RowChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        if (sealed != null) {
            require(before == null && after == null, table, op, "no images in the clear when they are sealed");
        } else {
            switch (op) {
                case INSERT -> require(after != null && before == null, table, op, "an after image only");
                case DELETE -> require(before != null && after == null, table, op, "a before image only");
                case UPDATE, PK_UPDATE -> require(before != null && after != null, table, op, "before and after images");
            }
        }
    }

    public RowChange(String table, ChangeOp op, RowImage before, RowImage after) {
        this(table, op, before, after, null);
    }

    /** A change whose images are encrypted ({@link SealedImages}). */
    public static RowChange sealed(String table, ChangeOp op, SealedImages sealed) {
        return new RowChange(table, op, null, null, Objects.requireNonNull(sealed, "sealed"));
    }

    public boolean isSealed() {
        return sealed != null;
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
