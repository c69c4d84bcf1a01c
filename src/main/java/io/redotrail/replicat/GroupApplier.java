package io.redotrail.replicat;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.Scn;
import io.redotrail.core.ThreadCpu;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The apply loop: skips transactions the checkpoint row already holds, groups whole source transactions into
 * target transactions of at least GROUPTRANSOPS operations, applies each group (BATCHSQL: a {@link BatchSet}
 * executed at commit; else statement by statement) and commits it with its checkpoint row.
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
    private final OperationReplayer replayer;
    /** The open group's BATCHSQL statements; {@link #free}: the sets no group holds (the committer's come back). */
    private BatchSet batch = new BatchSet();
    private final java.util.ArrayDeque<BatchSet> free = new java.util.ArrayDeque<>();
    /** Every set made (one per group the committer may hold, and the open group's): their counters add up. */
    private final List<BatchSet> sets = new ArrayList<>(List.of(batch));
    private final HeartbeatApply heartbeats;
    /** The open group's heartbeats, written with its checkpoint row. */
    private List<HeartbeatTables.Received> beats = new ArrayList<>();
    /** The open group: applied (or pending in {@link #batch}) but not committed. */
    private final List<Transaction> open = new ArrayList<>();
    private long openOps;
    /** The open group's fast path failed: it is replayed one operation at a time when it commits. */
    private boolean failed;
    private ReplicatException abended;
    private GroupStats.Tally tally = new GroupStats.Tally();
    /** Stage-ahead: commits a sealed group while the next one is staged; made at the first hand-over. */
    private GroupCommitter committer;
    /** Source transactions of the groups with the committer (0 when none). */
    private int committing;
    /**
     * The CSN and XIDs of the checkpoint row the last sealed group writes while it is not recorded yet (null when every
     * sealed group is): the base of the next group's XIDs at the same CSN.
     */
    private Scn sealedCsn;
    private Set<String> sealedXids;
    /** ATCSN / AFTERCSN of this start, or null. */
    private StartCsn startCsn;
    /**
     * Transactions of the open group that only move the checkpoint (ATCSN / AFTERCSN skips, a parallel run's _LOX
     * entries): committed with the row, not counted as applied.
     */
    private int openSkips;

    GroupApplier(ReplicatApplier cfg, TargetSession session, ReplicatCheckpoints checkpoints, ReplicatStats stats) {
        this.cfg = cfg;
        this.session = session;
        this.checkpoints = checkpoints;
        this.stats = stats;
        this.replayer = new OperationReplayer(cfg, session, OperationReplayer.on(session), stats.counters);
        this.heartbeats = new HeartbeatApply(cfg);
    }

    /** The error that abended the Replicat since the last start, or null. */
    ReplicatException abended() {
        return abended;
    }

    void clearAbend() {
        abended = null;
        sealedCsn = null; // a start reads the checkpoint row again
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
        long n = 0, statements = 0;
        for (BatchSet b : sets) {
            n += b.batches();
            statements += b.batchedStatements();
        }
        return new long[]{n, statements};
    }

    /** Source transactions applied but not committed: the open group's and the committer's. */
    int openTransactions() {
        return open.size() + committing;
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
                    }
                    continue;
                }
                if (tx.trailEnd() == null) {
                    throw new IllegalArgumentException(cfg.getGroup() + ": transaction XID " + tx.xid() + " has no trail end position");
                }
                if (startCsn != null && startCsn.skips(tx)) {
                    // ATCSN / AFTERCSN: nothing applied, but the checkpoint row moves past it as for an applied one
                    open.add(tx.withChanges(List.of()));
                    openSkips++;
                    continue;
                }
                tx = heartbeats.take(tx, System.currentTimeMillis(), beats); // to GG_HEARTBEAT at commit, never through MAP
                if (startCsn != null && startCsn.firstApplied() && cfg.runtimeIfBound() != null) {
                    cfg.runtimeIfBound().report().info("RTR-01002", startCsn.countLine(cfg.getGroup(), tx));
                }
                open.add(tx);
                openOps += tx.size();
                stage(tx);
                // a group that needs a replay commits now: the replay is slow, keep it small. More of this exchange
                // follows, or more of the trail: the committer may commit it while the next group is staged
                if (failed || openOps >= cfg.getGroupTransOps()) commitOpen(true);
            }
            // caught up: everything read so far is committed before the exchange completes
            if (caughtUp || openOps == 0 && open.size() >= cfg.getGroupTransOps()) commitOpen(false);
        } catch (Throwable e) {
            throw abend(e);
        }
    }

    /** At a graceful stop: commits the committer's group and the open one (an abended Replicat has none). */
    void finish() {
        if (abended != null || open.isEmpty() && committing == 0) return;
        try {
            commitOpen(false);
        } catch (Throwable e) {
            abend(e); // logged and reported; the group is rolled back and is applied again at the next start
        }
    }

    /** At stop, after {@link #finish()}: the committer's thread ends. */
    void close() {
        if (committer != null) committer.close();
        committer = null;
        committing = 0;
        sealedCsn = null;
    }

    /** Stages a transaction's operations on the fast path; a failure marks the group for a replay. */
    private void stage(Transaction tx) throws SQLException {
        if (failed) return;
        ChangeApplier applier = session.applier();
        TargetResolver targets = session.targets();
        if (!cfg.isBatchSql()) collect(true); // it runs statements now, on the connection
        try {
            for (RowChange ch : tx.changes()) {
                tally.add(ch.table(), ch.op()); // STATS; a replay counts the group again from scratch
                if (!targets.resolved(ch.table())) collect(true); // a first lookup reads the target's metadata
                TargetResolver.Target tg = targets.target(tx, ch);
                RowChange m = targets.map(tx, ch, tg);
                if (cfg.isBatchSql()) {
                    batch.add(applier.prepare(tx, m, tg.table(), tg.keyCols()));
                    if (batch.size() >= MAX_PENDING) {
                        collect(true);
                        batch.execute(applier);
                    }
                } else if (applier.executeOne(tx, m, tg.table(), tg.keyCols()) == 0 && m.op() != ChangeOp.INSERT) {
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
    private void commitOpen(boolean ahead) throws SQLException {
        boolean toCommitter = ahead && !failed && cfg.isStageAhead() && cfg.isBatchSql();
        collect(!toCommitter);
        if (open.isEmpty()) return;
        boolean replay = failed;
        GroupCommitter.Sealed g = seal();
        if (toCommitter) {
            GroupCommitter c = committer != null ? committer : (committer = new GroupCommitter(cfg.getGroup(), cfg.getCamelContext()));
            committing += g.txs().size();
            c.submit(() -> executeAndCommit(g, c));
            return;
        }
        completed(replay ? fastPathFailed(g, ThreadCpu.now(), null) : executeAndCommit(g, null));
    }

    /** The open group as it goes to be committed, with the XIDs its checkpoint row lists; the next one starts empty. */
    private GroupCommitter.Sealed seal() {
        Transaction last = open.get(open.size() - 1);
        // the row before it: the previous sealed group's while that one is not recorded yet, else the last recorded
        Set<String> xids = sealedCsn != null ? ReplicatCheckpoints.completedAt(last, open, sealedCsn, sealedXids)
                : checkpoints.completedAt(last, open);
        sealedCsn = last.csn();
        sealedXids = xids;
        GroupCommitter.Sealed g = new GroupCommitter.Sealed(List.copyOf(open), openSkips, batch, beats, tally, xids);
        batch = free.isEmpty() ? newBatchSet() : free.pop();
        beats = new ArrayList<>();
        tally = new GroupStats.Tally();
        open.clear();
        openOps = 0;
        openSkips = 0;
        failed = false;
        return g;
    }

    private BatchSet newBatchSet() {
        BatchSet b = new BatchSet();
        sets.add(b);
        return b;
    }

    /**
     * The fast path, on the committer's thread ({@code c} not null) or the route thread: executes the group's batches,
     * then its heartbeats, checkpoint row and commit. Never throws: a failed batch rolls back for a replay, anything
     * else is the result; either halts the committer. A halted committer runs nothing (the route thread will).
     */
    private GroupCommitter.Done executeAndCommit(GroupCommitter.Sealed g, GroupCommitter c) {
        if (c != null && c.halted()) return new GroupCommitter.Done(g, false, null, 0, 0, true, true);
        long cpu = ThreadCpu.now();
        try {
            if (g.batch().size() > 0) {
                try {
                    g.batch().execute(session.applier());
                } catch (ApplyError | SQLException e) {
                    LOG.debug("{}: replaying {} transaction(s) one operation at a time after: {}", cfg.getGroup(),
                            g.txs().size(), e.getMessage());
                    if (c != null) c.halt();
                    return fastPathFailed(g, cpu, c);
                }
            }
            writeAndCommit(g, null);
            return new GroupCommitter.Done(g, false, null, System.currentTimeMillis(), ThreadCpu.now() - cpu, c != null, false);
        } catch (Throwable e) {
            if (c != null) c.halt();
            return new GroupCommitter.Done(g, false, e, 0, ThreadCpu.now() - cpu, c != null, false);
        }
    }

    private GroupCommitter.Done fastPathFailed(GroupCommitter.Sealed g, long cpu, GroupCommitter c) {
        session.rollbackQuietly();
        session.applier().reset();
        g.batch().clear();
        return new GroupCommitter.Done(g, true, null, 0, ThreadCpu.now() - cpu, c != null, false);
    }

    /**
     * Takes groups back from the committer in the order handed over and records them (replaying one whose fast path
     * failed, running those it did not run after that): all of them with {@code all}, else only until there is room
     * for one more. A failure of one of them is not the open group's (that one would be replayed): it abends.
     */
    private void collect(boolean all) {
        if (committer == null) return;
        boolean drain = all;
        while (committer.size() > 0 && (drain || committer.size() >= GroupCommitter.DEPTH)) {
            GroupCommitter.Done d;
            try {
                d = committer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplicatException(cfg.getGroup() + ": interrupted while a group was being committed", e);
            } catch (IllegalStateException e) {
                committing = 0;
                throw new ReplicatException(e.getMessage(), e);
            }
            if (!d.committed()) drain = true; // the later ones come back not run: each in turn, in trail order
            try {
                completed(d);
            } catch (ApplyError e) {
                // a replay's abend: not an ApplyError any more, which the open group's staging would take for its
                // own failure and replay (losing the committer's group)
                throw new ReplicatException(e.getMessage(), e);
            }
        }
        if (committer.size() == 0) {
            committer.resume();
            sealedCsn = null; // every sealed group is recorded: the checkpoint's row is the one before the next
        }
    }

    /**
     * On the route thread: records a committed group; replays and commits one whose fast path failed; runs one the
     * committer did not run.
     */
    private void completed(GroupCommitter.Done d) {
        GroupCommitter.Sealed g = d.group();
        if (d.committer()) {
            committing -= g.txs().size();
            // the route thread's own time is counted by ReplicatApplier.process: only the committer thread's adds here
            stats.committerCpuNanos += d.cpuNanos();
        }
        if (d.notRun()) {
            completed(executeAndCommit(g, null));
            return;
        }
        free.push(g.batch());
        if (d.error() instanceof Error err) throw err;
        if (d.error() != null) throw failed(g, d.error());
        if (!d.replay()) {
            recordCommitted(g, null, d.committedAt());
            return;
        }
        stats.counters.replays++;
        try {
            OperationReplayer.Replayed replayed = replayer.replay(g.txs(), g.tally());
            writeAndCommit(g, replayed.discards());
            recordCommitted(g, replayed.counters(), System.currentTimeMillis());
        } catch (SQLException e) {
            throw failed(g, e);
        }
    }

    /** The abend of a sealed group: a ReplicatException as it is (a replay's names its operation), else naming the group. */
    private ReplicatException failed(GroupCommitter.Sealed g, Throwable e) {
        if (e instanceof ReplicatException r) return r;
        return new ReplicatException(cfg.getGroup() + ": applying " + g.txs().size() + " transaction(s) up to CSN "
                + g.last().csn() + " failed: " + e.getMessage() + ChangeStatements.where(g.txs().get(0)), e);
    }

    /** Rolls the open group back and abends: every later exchange is refused until a restart. */
    private ReplicatException abend(Throwable e) {
        String group = cfg.getGroup();
        abandonCommitter(); // first: the connection is the committer's until it is done
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

    /**
     * On abend: takes every group back from the committer and records those it committed (the others are applied
     * again at the next start); their failures are only logged: the abend already has a cause.
     */
    private void abandonCommitter() {
        sealedCsn = null;
        if (committer == null) return;
        committer.halt(); // the groups behind the one being committed are not run
        try {
            while (committer.size() > 0) {
                // not interruptible: the connection is rolled back and closed after this, never under the committer
                GroupCommitter.Done d = committer.awaitUninterruptibly();
                committing -= d.group().txs().size();
                if (d.committer()) stats.committerCpuNanos += d.cpuNanos();
                d.group().batch().clear(); // a group not run still holds its statements
                free.push(d.group().batch());
                if (d.committed()) recordCommitted(d.group(), null, d.committedAt());
                else if (d.error() != null) LOG.warn("{}: a group being committed failed too: {}", cfg.getGroup(), d.error().toString());
            }
            committer.resume();
        } catch (RuntimeException e) {
            LOG.warn("{}: {}", cfg.getGroup(), e.getMessage());
        }
        committing = 0;
    }

    /**
     * Writes the group's heartbeats and checkpoint row and commits with its discard records ({@code DiscardFile#commit});
     * A failed commit is not retried or replayed: whether it reached the database is unknown.
     */
    private void writeAndCommit(GroupCommitter.Sealed g, StringBuilder discards) throws SQLException {
        Transaction last = g.last();
        List<Xid> xidList = new ArrayList<>(g.xids().size());
        for (String x : g.xids()) xidList.add(Xid.parse(x));
        heartbeats.write(session.conn(), g.heartbeats()); // the group's heartbeats commit with its checkpoint row, exactly once
        session.table().update(session.conn(), cfg.getGroup(), last.trailEnd(), last.csn(), last.commitTimestampMillis(), xidList);
        // discard records exactly once across a crash; a full discard file abends before the commit
        session.discard().commit(discards, last.csn().value(), last.xid().toString(), session.conn()::commit);
    }

    /** After the commit, on the route thread: counters (they only count once committed), checkpoint, STATS and lag. */
    private void recordCommitted(GroupCommitter.Sealed g, ReplicatApplier.Counters c, long committedAt) {
        stats.committed(g.txs(), g.skips(), c);
        checkpoints.committed(g.txs(), g.xids());
        counted(g.txs(), g.tally(), committedAt);
    }

    /**
     * STATS per source → target table (tallied as the group was staged, or by its replay with its discards), and
     * the lag of the group's last transaction (its commit to now); the group's applied-transaction listeners.
     */
    private void counted(List<Transaction> txs, GroupStats.Tally tally, long now) {
        GroupRuntime rt = cfg.runtimeIfBound();
        if (rt == null) {
            tally.clear();
            return;
        }
        rt.stats().processed(txs.get(txs.size() - 1).commitTimestampMillis(), now);
        if (rt.hasAppliedListeners()) {
            // every source transaction of the group, ATCSN/AFTERCSN skips (no changes) left out: nothing was applied
            for (Transaction t : txs) if (t.size() > 0) rt.applied(t.commitTimestampMillis(), now);
        }
        rt.batchDone(tally, session.targets()::targetName);
    }
}
