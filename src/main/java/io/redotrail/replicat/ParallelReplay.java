package io.redotrail.replicat;

import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * REPERROR and HANDLECOLLISIONS for the parallel Replicat: an applier whose piece of work failed rolls it back and
 * replays it with the serial Replicat's {@link OperationReplayer}, on its own connection, so the replayed rows
 * commit with its applier row and _LOX rows ({@link ParallelWorker}); exactly-once holds as without errors. The
 * targets were resolved and mapped by the trail thread ({@link ParallelUnit#resolved}): the {@link TargetResolver} is not
 * shared with the appliers. Discard records commit with the piece as with the serial Replicat's group
 * ({@code DiscardFile#commit}: side file, commit, append); STATS tallies and REPERROR counters are handed to the trail thread, which adds them to the
 * Replicat's ({@link #drainInto}) when it writes the low watermark.
 * <p>
 * Thread-safe: {@link ForApplier} is confined to its applier's thread; the outcomes list is guarded by this object.
 */
final class ParallelReplay {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private final ReplicatApplier cfg;
    private final TargetSession session;
    /** Committed pieces' STATS tallies and counters not yet added to the Replicat's (guarded by this). */
    private final List<Object[]> outcomes = new ArrayList<>();
    /** TRANSABORTs rolled back so far, counted as they happen (the counters reach the Replicat only at commits). */
    private final java.util.concurrent.atomic.AtomicLong transAbortsSoFar = new java.util.concurrent.atomic.AtomicLong();

    /** TRANSABORTs rolled back so far by every applier, committed or still being retried. */
    long transAbortsSoFar() {
        return transAbortsSoFar.get();
    }

    ParallelReplay(ReplicatApplier cfg, TargetSession session) {
        this.cfg = cfg;
        this.session = session;
    }

    /** One applier's replays, on its connection and statement applier; {@code rollback} undoes its transaction. */
    ForApplier forApplier(Connection conn, ChangeApplier applier, Runnable rollback) {
        return new ForApplier(conn, applier, rollback);
    }

    /** On the trail thread: adds what the appliers committed since the last call to the Replicat's STATS and counters. */
    void drainInto(ReplicatStats stats, GroupRuntime rt, UnaryOperator<String> targetName) {
        List<Object[]> done;
        synchronized (this) {
            if (outcomes.isEmpty()) return;
            done = new ArrayList<>(outcomes);
            outcomes.clear();
        }
        for (Object[] o : done) {
            if (o[1] != null) stats.counters.add((ReplicatApplier.Counters) o[1]);
            ReplicatApplier.Counters a = (ReplicatApplier.Counters) o[2];
            stats.counters.retriedOps += a.retriedOps;
            stats.counters.transAborts += a.transAborts;
            stats.counters.replays += a.replays;
            if (rt != null) rt.batchDone((GroupStats.Tally) o[0], targetName);
        }
    }

    private synchronized void post(GroupStats.Tally tally, ReplicatApplier.Counters counters, ReplicatApplier.Counters attempts) {
        outcomes.add(new Object[]{tally, counters, attempts});
    }

    /** An applier's side: replays a failed piece, then records what its commit made final. */
    final class ForApplier implements OperationReplayer.Site {
        private final Connection conn;
        private final ChangeApplier applier;
        private final Runnable rollback;
        private final OperationReplayer replayer;
        /** Retries and aborts since the last commit (they count even when the piece rolled back). */
        private final ReplicatApplier.Counters attempts = new ReplicatApplier.Counters();
        private final Map<Transaction, ParallelUnit> replaying = new IdentityHashMap<>();

        private ForApplier(Connection conn, ChangeApplier applier, Runnable rollback) {
            this.conn = conn;
            this.applier = applier;
            this.rollback = rollback;
            this.replayer = new OperationReplayer(cfg, session, this, attempts);
        }

        /** Whether a unit must go straight to a replay: one of its changes could not be resolved or prepared. */
        boolean needsReplay(List<ParallelUnit> units) {
            for (ParallelUnit u : units) if (u.unresolved) return true;
            return false;
        }

        /**
         * After the fast path failed ({@code cause}, null when a change could not be resolved) and was rolled back:
         * the piece one operation at a time; its transaction stays open for the caller's checkpoint rows and commit.
         */
        OperationReplayer.Replayed replay(List<ParallelUnit> units, List<Transaction> txs, GroupStats.Tally tally, Exception cause)
                throws SQLException {
            LOG.debug("{}: replaying {} transaction(s) one operation at a time on an applier after: {}", cfg.getGroup(),
                    units.size(), cause == null ? "a change that could not be mapped" : cause.getMessage());
            attempts.replays++;
            replaying.clear();
            for (ParallelUnit u : units) replaying.put(u.tx, u);
            try {
                return replayer.replay(txs, tally);
            } finally {
                replaying.clear();
            }
        }

        /**
         * Commits the piece with its discard records, as the serial Replicat commits a group: exactly once across a
         * crash, the records of a full discard file abend the piece before its commit ({@code DiscardFile#commit}).
         * The records name the last transaction by its XID, and by the SPLIT_TRANS_RECS piece it is
         * ({@code lastPiece} not null: {@code xid#from+count/total}), which is what a restart finds in _LOX.
         */
        void commit(List<Transaction> txs, TransactionPiece lastPiece, OperationReplayer.Replayed replayed) throws SQLException {
            Transaction last = txs.get(txs.size() - 1);
            String xid = lastPiece == null ? last.xid().toString() : last.xid() + lastPiece.loxSuffix();
            session.discard().commit(replayed == null ? null : replayed.discards(), last.csn().value(), xid, conn::commit);
        }

        /** The piece committed: its tally and counters to the trail thread. */
        void committed(GroupStats.Tally tally, OperationReplayer.Replayed replayed) {
            ReplicatApplier.Counters a = new ReplicatApplier.Counters();
            a.retriedOps = attempts.retriedOps;
            a.transAborts = attempts.transAborts;
            a.replays = attempts.replays;
            attempts.retriedOps = attempts.transAborts = attempts.replays = 0;
            post(tally, replayed == null ? null : replayed.counters(), a);
        }

        @Override
        public Connection conn() {
            return conn;
        }

        @Override
        public void transAborted() {
            transAbortsSoFar.incrementAndGet();
        }

        @Override
        public ChangeApplier applier() {
            return applier;
        }

        @Override
        public void rollback() {
            rollback.run();
        }

        @Override
        public OperationReplayer.Resolved resolve(Transaction tx, int index, RowChange ch) {
            Object r = replaying.get(tx).resolved[index];
            if (r instanceof ApplyError e) throw e;
            return (OperationReplayer.Resolved) r;
        }
    }
}
