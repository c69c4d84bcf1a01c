package io.redotrail.replicat;

import io.redotrail.core.Transaction;

import java.util.List;

/**
 * Counters of one {@link ReplicatApplier} since it was created: transactions skipped as already applied,
 * transactions and operations committed, and the REPERROR / HANDLECOLLISIONS {@link ReplicatApplier.Counters}.
 * Read by the applier's getters and its stop report.
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}.
 */
final class ReplicatStats {
    final ReplicatApplier.Counters counters = new ReplicatApplier.Counters();
    long skippedTransactions;
    long appliedTransactions;
    long appliedOperations;
    /** CPU of the route's thread in {@link ReplicatApplier#process} (see {@link ReplicatApplier#getRouteCpuNanos}). */
    long routeCpuNanos;
    /** CPU of the stage-ahead committer's thread in the groups it committed (see {@link ReplicatApplier#getCommitterCpuNanos}). */
    long committerCpuNanos;
    /**
     * Wall time the committer's thread spent on the groups it committed, and the route thread waiting for it to finish
     * one while it runs (room for the next, or all at an idle or caught-up commit; not the wait of an abend): with the
     * stage's time, where the pipeline stalls.
     */
    long committerBusyNanos, routeWaitNanos;
    /** Groups committed by the stage-ahead committer, and by the route thread itself (caught up, idle, stop, replay). */
    long groupsAhead, groupsInline;

    /**
     * A group committed: adds its transactions (but the {@code startCsnSkips} of them ATCSN / AFTERCSN skipped; a
     * source transaction without row changes still counts), operations and (when replayed) its REPERROR counters.
     */
    void committed(List<Transaction> txs, int startCsnSkips, ReplicatApplier.Counters c) {
        if (c != null) counters.add(c);
        long ops = 0;
        for (Transaction tx : txs) ops += tx.size();
        appliedTransactions += txs.size() - startCsnSkips;
        appliedOperations += ops;
    }
}
