package io.redotrail.replicat;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The apply loop: skips transactions the checkpoint row already holds, groups whole source transactions into
 * target transactions of at least GROUPTRANSOPS operations, stages each group (BATCHSQL: a {@link BatchSet}
 * executed at commit; else statement by statement) and seals it for {@link GroupCommits}, which commits it with its
 * checkpoint row (with stage-ahead, on the committer's thread while the next group is staged here).
 * <p>
 * A group stays open across exchanges while the trail says more is waiting ({@code caughtUp} false), so
 * GROUPTRANSOPS is not bounded by the trail consumer's batch size; it commits as soon as it is big enough, when
 * the trail has caught up (or an empty, idle exchange arrives), or at a graceful stop ({@link #finish()}).
 * Nothing of an open group is committed otherwise: kill -9 loses it together with its checkpoint row.
 * <p>
 * A failed group is rolled back and replayed by {@link OperationReplayer}, then committed at once. An error
 * that survives that, a failed commit (its outcome is unknown, so it is never replayed) or anything unexpected
 * while staging (even a JVM Error) rolls the group back and abends the Replicat; every later exchange is
 * refused until {@link #clearAbend()} (a restart). Logs under the {@link ReplicatApplier} logger.
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}.
 */
final class GroupApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);
    /** Statements BATCHSQL holds before executing part of a (huge) group: bounds memory, batches stay long. */
    static final int MAX_PENDING = 20_000;

    private final ReplicatApplier cfg;
    private final TargetSession session;
    private final ReplicatCheckpoints checkpoints;
    private final ReplicatStats stats;
    private final HeartbeatApply heartbeats;
    private final GroupCommits commits;
    /** The open group's BATCHSQL statements. */
    private BatchSet batch;
    /** The open group's heartbeats, written with its checkpoint row. */
    private List<HeartbeatTables.Received> beats = new ArrayList<>();
    /** The open group: applied (or pending in {@link #batch}) but not committed. */
    private final List<Transaction> open = new ArrayList<>();
    private long openOps;
    /** The open group's fast path failed: it is replayed one operation at a time when it commits. */
    private boolean failed;
    private ReplicatException abended;
    private GroupStats.Tally tally = new GroupStats.Tally();
    /** ATCSN / AFTERCSN of this start, or null. */
    private StartCsn startCsn;
    /**
     * Transactions of the open group that only move the checkpoint (ATCSN / AFTERCSN skips, a parallel run's _LOX
     * entries): committed with the row, not counted as applied.
     */
    private int openSkips;
    /**
     * The open group's last transaction this commit makes applied (not one the checkpoint row already holds): the
     * key of its discard records, which a restart finds applied only if the group committed.
     */
    private Transaction openApplied;

    GroupApplier(ReplicatApplier cfg, TargetSession session, ReplicatCheckpoints checkpoints, ReplicatStats stats) {
        this.cfg = cfg;
        this.session = session;
        this.checkpoints = checkpoints;
        this.stats = stats;
        this.heartbeats = new HeartbeatApply(cfg);
        this.commits = new GroupCommits(cfg, session, checkpoints, stats, heartbeats);
        this.batch = commits.nextBatch();
    }

    /** The error that abended the Replicat since the last start, or null. */
    ReplicatException abended() {
        return abended;
    }

    void clearAbend() {
        abended = null;
        commits.reset();
    }

    /** ATCSN / AFTERCSN for this start (null: none); its start line goes to the report. */
    void startCsn(StartCsn s) {
        startCsn = s;
        GroupRuntime rt = cfg.runtimeIfBound();
        if (s != null && rt != null) rt.report().info("RTR-01001", s.startLine(cfg.getGroup()));
    }

    /** At stop: the ATCSN / AFTERCSN count when no transaction was applied after the skipped ones. */
    void reportStartCsnAtStop() {
        GroupRuntime rt = cfg.runtimeIfBound();
        if (startCsn != null && startCsn.skipped() > 0 && !startCsn.firstApplied() && rt != null) {
            rt.report().info("RTR-01002", startCsn.countLine(cfg.getGroup(), null));
        }
    }

    void refuseIfAbended() {
        if (abended != null) {
            throw new ReplicatException(cfg.getGroup() + " is abended and refuses further work until restarted; cause: "
                    + abended.getMessage(), abended);
        }
    }

    /** BATCHSQL: {JDBC batches executed, statements they carried} since this Replicat was made. */
    long[] batchCounts() {
        return commits.batchCounts();
    }

    /** Source transactions applied but not committed: the open group's and the committer's. */
    int openTransactions() {
        return open.size() + commits.committing();
    }

    /**
     * Applies one exchange's transactions (commit-SCN order) on the open session; with {@code caughtUp} the
     * open group commits at the end, else it stays open for the next exchange unless it is big enough.
     */
    void apply(List<?> list, boolean caughtUp) {
        try {
            for (Object o : list) {
                Transaction tx = (Transaction) o;
                if (checkpoints.applied(tx)) {
                    stats.skippedTransactions++;
                    LOG.debug("{}: skipping already applied transaction XID {} CSN {}", cfg.getGroup(), tx.xid(), tx.csn());
                    if (tx.trailEnd() != null && checkpoints.listedAbove(tx)) {
                        // a parallel run's _LOX entry: applied, and the checkpoint row moves past it as for an applied
                        // one (when nothing follows it in the trail, nothing else would carry the checkpoint there)
                        open.add(tx.withChanges(List.of()));
                        openSkips++;
                    } else {
                        // below the row's watermark (re-read after ALTER REPLICAT back): the row's position moves on
                        Transaction passed = checkpoints.passed(tx);
                        if (passed != null) {
                            open.add(passed);
                            openSkips++;
                        }
                    }
                    continue;
                }
                if (tx.trailEnd() == null) {
                    throw new IllegalArgumentException(cfg.getGroup() + ": transaction XID " + tx.xid() + " has no trail end position");
                }
                if (startCsn != null && startCsn.skips(tx)) {
                    // ATCSN / AFTERCSN: nothing applied, but the checkpoint row moves past it as for an applied one
                    open.add(tx.withChanges(List.of()));
                    openApplied = tx;
                    openSkips++;
                    continue;
                }
                int beatsBefore = beats.size();
                tx = heartbeats.take(tx, System.currentTimeMillis(), beats); // to GG_HEARTBEAT at commit, never through MAP
                List<int[]> pieces = checkpoints.appliedPieces(tx);
                if (!pieces.isEmpty()) {
                    // a parallel run committed SPLIT_TRANS_RECS pieces of it: the rest only (the heartbeats went with
                    // the first piece); the checkpoint row then passes it as for an applied one
                    if (TransactionPiece.startsApplied(pieces)) beats.subList(beatsBefore, beats.size()).clear();
                    tx = tx.withChanges(TransactionPiece.notApplied(tx.changes(), pieces));
                    LOG.info("{}: transaction XID {} CSN {}: {} operation(s) left after the pieces a parallel run committed",
                            cfg.getGroup(), tx.xid(), tx.csn(), tx.size());
                    if (tx.size() == 0 && beats.size() == beatsBefore) {
                        // every piece committed: skipped, and the checkpoint row passes it as for a listed one
                        stats.skippedTransactions++;
                        open.add(tx);
                        openSkips++;
                        continue;
                    }
                }
                if (startCsn != null && startCsn.firstApplied() && cfg.runtimeIfBound() != null) {
                    cfg.runtimeIfBound().report().info("RTR-01002", startCsn.countLine(cfg.getGroup(), tx));
                }
                open.add(tx);
                openApplied = tx;
                openOps += tx.size();
                stage(tx);
                // a group that needs a replay commits now: the replay is slow, keep it small. More of this exchange
                // follows, or more of the trail: the committer may commit it while the next group is staged
                if (failed || openOps >= cfg.getGroupTransOps()) commitOpen(true);
            }
            // caught up: everything read so far is committed before the exchange completes
            if (caughtUp || openOps == 0 && open.size() >= cfg.getGroupTransOps()) commitOpen(false);
            String stillSkipping = caughtUp && startCsn != null ? startCsn.endOfTrailLine(cfg.getGroup()) : null;
            if (stillSkipping != null && cfg.runtimeIfBound() != null) cfg.runtimeIfBound().report().warning("RTR-01006", stillSkipping);
        } catch (Throwable e) {
            throw abend(e);
        }
    }

    /** At a graceful stop: commits the committer's group and the open one (an abended Replicat has none). */
    void finish() {
        if (abended != null || open.isEmpty() && commits.committing() == 0) return;
        try {
            commitOpen(false);
        } catch (Throwable e) {
            abend(e); // logged and reported; the group is rolled back and is applied again at the next start
        }
    }

    /** At stop, after {@link #finish()}: the committer's thread ends. */
    void close() {
        commits.close();
    }

    /** Stages a transaction's operations on the fast path; a failure marks the group for a replay. */
    private void stage(Transaction tx) throws SQLException {
        if (failed) return;
        ChangeApplier applier = session.applier();
        TargetResolver targets = session.targets();
        if (!cfg.isBatchSql()) commits.collect(true); // it runs statements now, on the connection
        try {
            for (RowChange ch : tx.changes()) {
                tally.add(ch.table(), ch.op()); // STATS; a replay counts the group again from scratch
                if (!targets.resolved(ch.table())) commits.collect(true); // a first lookup reads the target's metadata
                TargetResolver.Target tg = targets.target(tx, ch);
                RowChange m = targets.map(tx, ch, tg);
                if (cfg.isBatchSql()) {
                    batch.add(applier.prepare(tx, m, tg.table(), tg.keyCols(), tg.derived()));
                    if (batch.size() >= MAX_PENDING) {
                        commits.collect(true);
                        batch.execute(applier);
                    }
                } else if (applier.executeOne(tx, m, tg.table(), tg.keyCols(), tg.derived()) == 0 && m.op() != ChangeOp.INSERT) {
                    throw tg.notFound(cfg.getGroup(), applier, tx, m);
                }
            }
        } catch (ApplyError | SQLException e) {
            failed = true;
            LOG.debug("{}: group of {} transaction(s) will be replayed one operation at a time after: {}",
                    cfg.getGroup(), open.size(), e.getMessage());
        }
    }

    /**
     * Commits the open group with its checkpoint row: BATCHSQL's statements first, and a replay one operation at a time
     * if anything failed. With {@code ahead} (more is coming) and stage-ahead on, the committer does it while the route
     * thread stages the next groups; else it is done here, after every group the committer holds.
     */
    private void commitOpen(boolean ahead) {
        boolean toCommitter = ahead && !failed && cfg.isStageAhead() && cfg.isBatchSql();
        commits.collect(!toCommitter);
        if (open.isEmpty()) return;
        boolean replay = failed;
        commits.commit(seal(), replay, toCommitter);
    }

    /** The open group as it goes to be committed, with the XIDs its checkpoint row lists; the next one starts empty. */
    private GroupCommitter.Sealed seal() {
        GroupCommitter.Sealed g = new GroupCommitter.Sealed(List.copyOf(open), openSkips, batch, beats, tally,
                commits.xidsFor(open.get(open.size() - 1), open), openApplied);
        batch = commits.nextBatch();
        beats = new ArrayList<>();
        tally = new GroupStats.Tally();
        open.clear();
        openOps = 0;
        openSkips = 0;
        openApplied = null;
        failed = false;
        return g;
    }

    /** Rolls the open group back and abends: every later exchange is refused until a restart. */
    private ReplicatException abend(Throwable e) {
        String group = cfg.getGroup();
        commits.abandon(); // first: the connection is the committer's until it is done
        if (session.isOpen()) {
            session.rollbackQuietly();
            session.applier().reset();
        }
        batch.clear();
        tally.clear();
        beats.clear();
        List<Transaction> txs = new ArrayList<>(open);
        open.clear();
        openOps = 0;
        openSkips = 0;
        openApplied = null;
        failed = false;
        ReplicatException re = e instanceof ReplicatException r ? r
                : new ReplicatException(group + ": applying " + (txs.isEmpty() ? "" : txs.size() + " transaction(s) up to CSN "
                + txs.get(txs.size() - 1).csn() + " ") + "failed: " + e.getMessage()
                + (txs.isEmpty() ? "" : ChangeStatements.where(txs.get(0))), e);
        abended = re;
        LOG.error("{}: PROCESS ABENDING: {}", group, re.getMessage());
        cfg.runtime().recordAbend(re);
        return re;
    }

}
