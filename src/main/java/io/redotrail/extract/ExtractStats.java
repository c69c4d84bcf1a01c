package io.redotrail.extract;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one extract group; read from other threads (progress, summary), written by the route thread. */
public final class ExtractStats {
    public final AtomicLong recordsRead = new AtomicLong();
    /** Redo bytes read since start (what a restart re-reads is the interesting part). */
    public final AtomicLong redoBytesRead = new AtomicLong();
    /** SCN of the last redo record read. */
    public volatile long lastReadScn;
    public final AtomicLong transactionsCommitted = new AtomicLong();
    public final AtomicLong rowsCommitted = new AtomicLong();
    public final AtomicLong transactionsRolledBack = new AtomicLong();
    public final AtomicLong rowsRolledBack = new AtomicLong();
    public final AtomicLong transactionsBeforeRecoveryPoint = new AtomicLong();
    public volatile long lastCsn;

    @Override
    public String toString() {
        return "captured " + transactionsCommitted + " transactions / " + rowsCommitted + " row changes, rolled back "
                + transactionsRolledBack + " / " + rowsRolledBack;
    }
}
