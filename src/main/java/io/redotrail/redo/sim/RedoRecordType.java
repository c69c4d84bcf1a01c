package io.redotrail.redo.sim;

import io.redotrail.core.ChangeOp;

/**
 * Kind of one redo record the simulator emits: a row change or the end of a transaction.
 * <p>
 * Stand-in for {@code io.redotrail.redo.RedoOp}, which the redo writer/reader work has not published yet; the
 * constant names are the natural ones so the later sink adapter can map with {@code RedoOp.valueOf(type.name())}.
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
