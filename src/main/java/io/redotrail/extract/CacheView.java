package io.redotrail.extract;

/**
 * A read-only copy of an extract's transaction cache for metrics ({@link TransactionAggregator#cacheView()}),
 * published by the route thread after each batch so a reader never waits for the route: open transactions, the
 * source time of the oldest one's first change (0: none open), cache heap bytes (estimated), changes and estimated
 * heap bytes spilled to {@code dirtmp/<GROUP>/} since start, and when the last Bounded Recovery checkpoint was taken
 * (wall clock; -1: none in this run). Immutable.
 */
public record CacheView(int openTransactions, long oldestOpenMillis, long memoryBytes, long spilledChanges,
                        long spilledBytes, long brCheckpointMillis) {
    public static final CacheView EMPTY = new CacheView(0, 0, 0, 0, 0, -1);
}
