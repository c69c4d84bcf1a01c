package io.redotrail.replicat;

import io.redotrail.core.RowChange;
import io.redotrail.core.ThreadCpu;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One applier of the parallel Replicat: its own JDBC connection (autoCommit off), taking work from the
 * {@link ParallelScheduler} and committing each piece with its applier checkpoint row and _LOX rows
 * ({@link ParallelCheckpoints}) in the same target transaction. BATCHSQL: the statements of one piece run as
 * JDBC batches in dependency order ({@link BatchSet}); otherwise one by one in trail order.
 * <p>
 * A failed piece is rolled back and replayed one operation at a time on this connection, where HANDLECOLLISIONS and
 * REPERROR decide as in the serial Replicat ({@link ParallelReplay}, {@link OperationReplayer}); it then commits with
 * the same rows. Its units stay in flight meanwhile (also across TRANSABORT retries), so no dependent transaction
 * passes them. An error the replay does not handle (ABEND) rolls the piece back and fails the scheduler: the
 * Replicat abends, naming the operation. Nothing is lost: what was not committed is not in _LOX and is applied
 * after the restart.
 * <p>
 * Thread-safety: confined to its one thread ({@link #run}); the connection is closed by that thread at exit.
 */
final class ParallelWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private final String group;
    private final int index;
    private final Connection conn;
    private final ParallelScheduler scheduler;
    private final ParallelCheckpoints checkpoints;
    private final HeartbeatApply heartbeats;
    private final boolean batchSql;
    private final boolean full;
    private final int maxOps;
    private final ChangeApplier applier;
    private final BatchSet batch = new BatchSet();
    private final ParallelReplay.ForApplier replay;
    /**
     * Commits, transactions and operations this applier committed; nanoseconds writing rows, checkpoint rows,
     * committing, reporting commits to the scheduler.
     */
    private long commits, txCount, opCount, rowNanos, checkpointNanos, commitNanos, completedNanos;

    ParallelWorker(String group, int index, Connection conn, int batchSize, ParallelScheduler scheduler,
                   ParallelCheckpoints checkpoints, HeartbeatApply heartbeats, boolean batchSql, boolean full, int maxOps,
                   ParallelReplay replays) {
        this.group = group;
        this.index = index;
        this.conn = conn;
        this.scheduler = scheduler;
        this.checkpoints = checkpoints;
        this.heartbeats = heartbeats;
        this.batchSql = batchSql;
        this.full = full;
        this.maxOps = maxOps;
        this.applier = new ChangeApplier(group, conn, batchSize);
        this.replay = replays.forApplier(conn, applier, this::rollbackQuietly);
    }

    @Override
    public void run() {
        long cpu = ThreadCpu.now();
        try {
            List<ParallelUnit> units;
            while ((units = scheduler.take(index, maxOps)) != null) {
                apply(units);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.failed(new ReplicatException(group + ": applier " + (index + 1) + " interrupted", e));
        } catch (Throwable e) {
            rollbackQuietly();
            ReplicatException re = e instanceof ReplicatException r ? r
                    : new ReplicatException(group + ": applier " + (index + 1) + " failed: " + e.getMessage(), e);
            LOG.error("{}: applier {} failed: {}", group, index + 1, re.getMessage());
            scheduler.failed(re);
        } finally {
            long[] idle = scheduler.idle(index);
            LOG.info("{}: applier {} committed {} transaction(s) or SPLIT_TRANS_RECS piece(s), {} operation(s) in {} commit(s); CPU {} ms; {} ms writing rows, "
                    + "{} ms writing checkpoint rows, {} ms committing, {} ms waiting for work, {} ms for a commit's worth, {} ms reporting commits to the scheduler",
                    group, index + 1, txCount, opCount, commits, (ThreadCpu.now() - cpu) / 1_000_000, rowNanos / 1_000_000, checkpointNanos / 1_000_000,
                    commitNanos / 1_000_000, idle[0] / 1_000_000, idle[1] / 1_000_000,
                    completedNanos / 1_000_000);
            applier.close();
            try {
                conn.rollback();
                conn.close();
            } catch (SQLException e) {
                LOG.warn("{}: closing applier {} connection: {}", group, index + 1, e.getMessage());
            }
        }
    }

    private void apply(List<ParallelUnit> units) throws SQLException, InterruptedException {
        List<Transaction> txs = new ArrayList<>(units.size());
        List<TransactionPiece> pieces = new ArrayList<>(units.size());
        List<HeartbeatTables.Received> beats = new ArrayList<>(0);
        for (ParallelUnit u : units) {
            txs.add(u.tx);
            pieces.add(u.piece);
            beats.addAll(u.heartbeats);
        }
        long t0 = System.nanoTime();
        GroupStats.Tally tally = new GroupStats.Tally();
        OperationReplayer.Replayed replayed = null;
        if (replay.needsReplay(units)) {
            replayed = replay.replay(units, txs, tally, null);
        } else {
            try {
                for (ParallelUnit u : units) {
                    for (int i = 0; i < u.stmts.size(); i++) {
                        if (batchSql) batch.add(u.stmts.get(i), u.rowKeys == null ? BatchSet.OWN : u.rowKeys.get(i));
                        else applier.executeBatch(u.stmts, i, i + 1); // one statement: executed alone, NOTFOUND checked
                    }
                }
                if (batchSql) batch.execute(applier);
                for (Transaction tx : txs) for (RowChange ch : tx.changes()) tally.add(ch.table(), ch.op()); // STATS
            } catch (ApplyError | SQLException e) {
                rollbackQuietly();
                replayed = replay.replay(units, txs, tally, e);
            }
        }
        long t1 = System.nanoTime();
        heartbeats.write(conn, beats); // with the _LOX rows that say their transactions are applied: exactly once
        checkpoints.applied(conn, index + 1, txs, pieces);
        long t2 = System.nanoTime();
        if (full) scheduler.awaitTurn(units.get(0));
        replay.commit(txs, pieces.get(pieces.size() - 1), replayed); // conn.commit(), with the piece's discard records exactly once
        long t3 = System.nanoTime();
        rowNanos += t1 - t0;
        checkpointNanos += t2 - t1;
        commitNanos += t3 - t2;
        commits++;
        txCount += units.size();
        for (ParallelUnit u : units) opCount += u.ops();
        replay.committed(tally, replayed);
        long t4 = System.nanoTime();
        scheduler.completed(units);
        completedNanos += System.nanoTime() - t4;
    }

    private void rollbackQuietly() {
        batch.clear();
        applier.reset();
        try {
            conn.rollback();
        } catch (SQLException e) {
            LOG.warn("{}: applier {} rollback failed: {}", group, index + 1, e.getMessage());
        }
    }
}
