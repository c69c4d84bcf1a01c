package io.redotrail.extract;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.Xid;
import io.redotrail.core.spill.ChangeBuffer;

/**
 * A transaction the extract has seen changes of but no COMMIT/ROLLBACK yet. {@code start} is its first
 * record's position (its thread's Recovery checkpoint while it is the oldest open one). {@code complete} is
 * false when reading began after its first change, so some of its changes were never seen. {@code restored}
 * marks a transaction brought back from Bounded Recovery files; {@code persistedChanges/Bytes} say how much
 * of it the BR object file already holds.
 */
final class OpenTransaction {
    final Xid xid;
    final int thread;
    final CheckpointPoint start;
    final boolean complete;
    final ChangeBuffer changes;
    boolean restored;
    long persistedChanges;
    long persistedBytes;

    OpenTransaction(Xid xid, int thread, CheckpointPoint start, boolean complete, ChangeBuffer changes) {
        this.xid = xid;
        this.thread = thread;
        this.start = start;
        this.complete = complete;
        this.changes = changes;
    }
}
