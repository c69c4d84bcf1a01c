package io.redotrail.replicat;

/**
 * A read-only copy of a Replicat's counters for metrics ({@link ReplicatApplier#applyView()}), published by the
 * apply thread after each exchange so a reader never waits for an apply (or a target that does not answer):
 * transactions and operations committed, transactions skipped as already applied, BATCHSQL batches and the
 * statements they carried, source transactions applied but not yet committed, and the REPERROR /
 * HANDLECOLLISIONS counts ({@link ReplicatApplier.Counters}), and the connections applying (a parallel Replicat's
 * active appliers, which MIN/MAX_APPLY_PARALLELISM moves; 1 for a serial Replicat). Immutable.
 */
public record ApplyView(long appliedTransactions, long appliedOperations, long skippedTransactions, long batches,
                        long batchedStatements, int openTransactions, long discarded, long ignored, long retriedOps,
                        long transAborts, long replays, long transDiscarded, long collisions, int appliers) {
    public static final ApplyView EMPTY = new ApplyView(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    static ApplyView of(ReplicatStats s, long[] batchCounts, int open, int appliers) {
        ReplicatApplier.Counters c = s.counters;
        return new ApplyView(s.appliedTransactions, s.appliedOperations, s.skippedTransactions, batchCounts[0],
                batchCounts[1], open, c.discarded, c.ignored, c.retriedOps, c.transAborts, c.replays, c.transDiscarded,
                c.collisions(), appliers);
    }
}
