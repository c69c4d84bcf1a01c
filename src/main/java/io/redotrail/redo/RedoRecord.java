package io.redotrail.redo;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;

/**
 * One record read from a redo log. {@code position} is where the record starts; {@code length} its size on
 * disk, so the next record starts at {@code position.rba() + length}. {@code first} marks the first change of
 * its transaction (a reader that starts mid-transaction can tell it missed the beginning). {@code change} is
 * null for COMMIT and ROLLBACK. {@code redoFile} is the path the record was read from (online or archived).
 */
public record RedoRecord(RedoPosition position, int length, RedoOp op, Xid xid, Scn scn, long timestampMillis,
                         boolean first, RowChange change, String redoFile) {

    public RedoPosition next() {
        return position.withRba(position.rba() + length);
    }
}
