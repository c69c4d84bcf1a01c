package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.replicat.ParallelScheduler.Unit;
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
 * Any error rolls the piece back and fails the scheduler: the Replicat abends (REPERROR and HANDLECOLLISIONS
 * replays are the serial Replicat's; see docs/replicat.md). Nothing is lost: what was not committed is not in
 * _LOX and is applied after the restart.
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

    ParallelWorker(String group, int index, Connection conn, int batchSize, ParallelScheduler scheduler,
                   ParallelCheckpoints checkpoints, HeartbeatApply heartbeats, boolean batchSql, boolean full, int maxOps) {
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
    }

    @Override
    public void run() {
        try {
            List<Unit> units;
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
            applier.close();
            try {
                conn.rollback();
                conn.close();
            } catch (SQLException e) {
                LOG.warn("{}: closing applier {} connection: {}", group, index + 1, e.getMessage());
            }
        }
    }

    private void apply(List<Unit> units) throws SQLException, InterruptedException {
        List<Transaction> txs = new ArrayList<>(units.size());
        List<HeartbeatTables.Received> beats = new ArrayList<>(0);
        for (Unit u : units) {
            txs.add(u.tx);
            beats.addAll(u.heartbeats);
            for (int i = 0; i < u.stmts.size(); i++) {
                if (batchSql) batch.add(u.stmts.get(i));
                else applier.executeBatch(u.stmts, i, i + 1); // one statement: executed alone, NOTFOUND checked
            }
        }
        if (batchSql) batch.execute(applier);
        heartbeats.write(conn, beats); // with the _LOX rows that say their transactions are applied: exactly once
        checkpoints.applied(conn, index + 1, txs);
        if (full) scheduler.awaitTurn(units.get(0));
        conn.commit();
        scheduler.completed(units);
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
