package io.redotrail.extract;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.RowChange;
import io.redotrail.core.Xid;

import java.util.ArrayList;
import java.util.List;

/**
 * A transaction the extract has seen changes of but no COMMIT/ROLLBACK yet. {@code start} is its first
 * record's position (its thread's Recovery checkpoint while it is the oldest open one). {@code complete} is
 * false when reading began after its first change, so some of its changes were never seen.
 */
final class OpenTransaction {
    final Xid xid;
    final int thread;
    final CheckpointPoint start;
    final boolean complete;
    final List<RowChange> changes = new ArrayList<>();

    OpenTransaction(Xid xid, int thread, CheckpointPoint start, boolean complete) {
        this.xid = xid;
        this.thread = thread;
        this.start = start;
        this.complete = complete;
    }
}
