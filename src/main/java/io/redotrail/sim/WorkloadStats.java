package io.redotrail.sim;

import io.redotrail.core.Scn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one workload run did: transactions and row changes committed and rolled back, per table, the SCN
 * range used and the time taken. Immutable, thread-safe.
 *
 * @param tables  per table {@code OWNER.TABLE}, in schema order
 * @param firstScn first SCN the run allocated ({@code null} when it wrote no record)
 * @param lastScn  last SCN the run allocated ({@code null} when it wrote no record)
 */
public record WorkloadStats(long committedTransactions, long rolledBackTransactions, long committedRowChanges,
                            long rolledBackRowChanges, Map<String, TableStats> tables, Scn firstScn, Scn lastScn,
                            long redoRecords, long elapsedNanos) {

    public WorkloadStats {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** Committed row changes per second over the run (0 for an empty run). */
    public double rowChangesPerSecond() {
        long all = committedRowChanges + rolledBackRowChanges;
        return elapsedNanos == 0 ? 0 : all * 1e9 / elapsedNanos;
    }

    /** Row changes of one table: committed per operation, and rolled back. */
    public record TableStats(long inserts, long updates, long deletes, long pkUpdates, long rolledBack) {
        public long committed() {
            return inserts + updates + deletes + pkUpdates;
        }
    }

    @Override
    public String toString() {
        return "committed " + committedTransactions + " tx / " + committedRowChanges + " rows, rolled back "
                + rolledBackTransactions + " tx / " + rolledBackRowChanges + " rows, " + redoRecords
                + " redo records, SCN " + firstScn + ".." + lastScn + ", " + elapsedNanos / 1_000_000 + " ms, "
                + tables;
    }
}
