package io.redotrail.extract.br;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.Xid;

/**
 * A transaction saved by a BR checkpoint: its first record ({@code start}), and how many changes
 * ({@code changes}) occupying how many bytes ({@code bytes}) of its object file are valid.
 */
public record PersistedTransaction(Xid xid, int thread, CheckpointPoint start, long changes, long bytes, String file) {
}
