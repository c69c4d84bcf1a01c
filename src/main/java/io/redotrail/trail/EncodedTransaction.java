package io.redotrail.trail;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;

/**
 * One whole transaction as {@link TrailWriter} appends it: its ROW records written into the writer's buffer
 * (encoded here from a {@link io.redotrail.core.Transaction}, or received already encoded from a pump by the
 * collector, which writes them byte for byte: an encrypted row image stays as it came). {@link #csn()} and
 * {@link #xid()} are read after {@link #writeRecords}.
 */
public interface EncodedTransaction {
    /**
     * True for a transaction that may be larger than the heap: the writer starts a new file for it (unless the
     * current one is empty) and drains its buffer while the records come.
     */
    boolean streamed();

    /** Appends every ROW record of the transaction to {@code w}, calling {@code afterRecord} after each one. */
    void writeRecords(BinaryWriter w, Runnable afterRecord);

    Scn csn();

    Xid xid();
}
