package io.redotrail.replicat;

import io.redotrail.core.Abends;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The apply loop: skips transactions the checkpoint row already holds, groups whole source transactions into
 * target transactions of at least GROUPTRANSOPS operations, applies each group (BATCHSQL batches, or statement
 * by statement) and commits it with its checkpoint row. A failed group is rolled back and replayed by
 * {@link OperationReplayer}; an error that survives that abends the Replicat, and every later exchange is
 * refused until {@link #clearAbend()} (a restart). Logs under the {@link ReplicatApplier} logger.
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}.
 */
final class GroupApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private final ReplicatApplier cfg;
    private final TargetSession session;
    private final ReplicatCheckpoints checkpoints;
    private final ReplicatStats stats;
    private final OperationReplayer replayer;
    private ReplicatException abended;

    GroupApplier(ReplicatApplier cfg, TargetSession session, ReplicatCheckpoints checkpoints, ReplicatStats stats) {
        this.cfg = cfg;
        this.session = session;
        this.checkpoints = checkpoints;
        this.stats = stats;
        this.replayer = new OperationReplayer(cfg, session, stats);
    }

    /** The error that abended the Replicat since the last start, or null. */
    ReplicatException abended() {
        return abended;
    }

    void clearAbend() {
        abended = null;
    }

    void refuseIfAbended() {
        if (abended != null) {
            throw new ReplicatException(cfg.getGroup() + " is abended and refuses further work until restarted; cause: "
                    + abended.getMessage(), abended);
        }
    }

    /** Applies one exchange's transactions (commit-SCN order) on the open session. */
    void apply(List<?> list) {
        String group = cfg.getGroup();
        List<Transaction> todo = new ArrayList<>(list.size());
        for (Object o : list) {
            Transaction tx = (Transaction) o;
            if (checkpoints.applied(tx)) {
                stats.skippedTransactions++;
                LOG.debug("{}: skipping already applied transaction XID {} CSN {}", group, tx.xid(), tx.csn());
            } else {
                todo.add(tx);
            }
        }
        if (todo.isEmpty()) return;
        for (Transaction tx : todo) {
            if (tx.trailEnd() == null) {
                throw new IllegalArgumentException(group + ": transaction XID " + tx.xid() + " has no trail end position");
            }
        }
        // GROUPTRANSOPS: whole source transactions, at least groupTransOps operations per target transaction;
        // the exchange's last group commits early (the trail sends what it has, or an empty exchange when idle)
        int i = 0;
        while (i < todo.size()) {
            int j = i;
            long ops = 0;
            do {
                ops += todo.get(j++).size();
            } while (j < todo.size() && ops < cfg.getGroupTransOps());
            applyGroup(todo.subList(i, j));
            i = j;
        }
    }

    /** Applies one group in one target transaction with its checkpoint; abends on an ABEND response. */
    private void applyGroup(List<Transaction> txs) {
        String group = cfg.getGroup();
        try {
            try {
                applyFast(txs);
                commitGroup(txs, null, null);
                return;
            } catch (ApplyError | SQLException e) {
                // a batch (or statement) failed: roll back the group and replay it one operation at a time
                session.rollbackQuietly();
                session.applier().reset();
                stats.counters.replays++;
                LOG.debug("{}: replaying {} transaction(s) one operation at a time after: {}", group, txs.size(), e.getMessage());
            }
            OperationReplayer.Replayed replayed = replayer.replay(txs);
            commitGroup(txs, replayed.discards(), replayed.counters());
        } catch (RuntimeException | SQLException e) {
            session.rollbackQuietly();
            session.applier().reset();
            Transaction last = txs.get(txs.size() - 1);
            ReplicatException re = e instanceof ReplicatException r ? r
                    : new ReplicatException(group + ": applying " + txs.size() + " transaction(s) up to CSN "
                    + last.csn() + " failed: " + e.getMessage() + ChangeApplier.where(txs.get(0)), e);
            abended = re;
            LOG.error("{}: PROCESS ABENDING: {}", group, re.getMessage());
            Abends.report(group, re);
            throw re;
        }
    }

    private void applyFast(List<Transaction> txs) throws SQLException {
        String group = cfg.getGroup();
        ChangeApplier applier = session.applier();
        TargetResolver targets = session.targets();
        for (Transaction tx : txs) {
            for (RowChange ch : tx.changes()) {
                TargetResolver.Target tg = targets.target(tx, ch);
                RowChange m = targets.map(tx, ch, tg);
                if (cfg.isBatchSql()) {
                    applier.apply(tx, m, tg.table(), tg.keyCols());
                } else if (applier.executeOne(tx, m, tg.table(), tg.keyCols()) == 0 && m.op() != ChangeOp.INSERT) {
                    throw tg.notFound(group, applier, tx, m);
                }
            }
        }
        applier.flush();
    }

    /** Writes the checkpoint row, commits, then records discards and counters (they only count once committed). */
    private void commitGroup(List<Transaction> txs, StringBuilder discards, ReplicatApplier.Counters c) throws SQLException {
        Transaction last = txs.get(txs.size() - 1);
        Set<String> xids = checkpoints.completedAt(last, txs);
        List<Xid> xidList = new ArrayList<>(xids.size());
        for (String x : xids) xidList.add(Xid.parse(x));
        session.table().update(session.conn(), cfg.getGroup(), last.trailEnd(), last.csn(), last.commitTimestampMillis(), xidList);
        session.conn().commit();
        if (discards != null) session.discard().append(discards);
        stats.committed(txs, c);
        checkpoints.committed(txs, xids);
    }
}
