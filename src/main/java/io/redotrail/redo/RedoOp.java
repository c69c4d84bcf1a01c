package io.redotrail.redo;

/** Kinds of redo records. Row changes carry a {@link io.redotrail.core.RowChange}; COMMIT and ROLLBACK end a transaction. */
public enum RedoOp {
    INSERT(1), UPDATE(2), DELETE(3), PK_UPDATE(4), COMMIT(5), ROLLBACK(6);

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

    public static RedoOp ofCode(int code) {
        for (RedoOp op : values()) {
            if (op.code == code) return op;
        }
        return null;
    }
}
