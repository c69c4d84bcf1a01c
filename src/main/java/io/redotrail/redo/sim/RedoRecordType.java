package io.redotrail.redo.sim;

import io.redotrail.core.ChangeOp;

/**
 * Kind of one redo record the simulator emits: a row change or the end of a transaction.
 * <p>
 * Mirror of {@code io.redotrail.redo.RedoOp}, which was not on this branch's base when it was written (main has
 * it now, but main's cli does not compile on its own yet). The constants have the same names, so the sink
 * adapter maps with {@code RedoOp.valueOf(type.name())}; replace this enum by RedoOp once the branches meet.
 * Immutable, thread-safe.
 */
public enum RedoRecordType {
    INSERT, UPDATE, DELETE, PK_UPDATE, COMMIT, ROLLBACK;

    /** The record type that carries a row change of this operation. */
    public static RedoRecordType of(ChangeOp op) {
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
}
