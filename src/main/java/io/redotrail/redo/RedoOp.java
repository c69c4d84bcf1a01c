package io.redotrail.redo;

/** Kinds of redo records. Row changes carry a {@link io.redotrail.core.RowChange}; COMMIT and ROLLBACK end a transaction. */
public enum RedoOp {
    INSERT(1), UPDATE(2), DELETE(3), PK_UPDATE(4), COMMIT(5), ROLLBACK(6);

    /** By code: the reader looks one up per redo record, and {@code values()} copies the array at every call. */
    private static final RedoOp[] BY_CODE = new RedoOp[7];

    static {
        for (RedoOp op : values()) BY_CODE[op.code] = op;
    }

    private final int code;

    RedoOp(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isRowChange() {
        return code <= 4;
    }

    /** The record type that carries a row change of this operation. */
    public static RedoOp of(io.redotrail.core.ChangeOp op) {
        return switch (op) {
            case INSERT -> INSERT;
            case UPDATE -> UPDATE;
            case DELETE -> DELETE;
            case PK_UPDATE -> PK_UPDATE;
        };
    }

    /** True for COMMIT and ROLLBACK, which end a transaction and carry no row change. */
    public boolean endsTransaction() {
        return this == COMMIT || this == ROLLBACK;
    }

    /** The op of a record type code, or null for a code no op has. */
    public static RedoOp ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
