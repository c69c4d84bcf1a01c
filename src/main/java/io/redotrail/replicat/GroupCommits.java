package io.redotrail.replicat;

import io.redotrail.core.Scn;
import io.redotrail.core.ThreadCpu;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The commit side of the serial Replicat's apply loop ({@link GroupApplier} stages, this commits): a sealed group's
 * BATCHSQL statements, heartbeats and checkpoint row in one target transaction, on the route thread or, with
 * stage-ahead, on the {@link GroupCommitter}'s thread; taking the committer's groups back in the order handed over,
 * replaying one whose fast path failed ({@link OperationReplayer}) and running those the committer then did not; and
 * recording committed groups (counters, checkpoint and {@code .cpr}, STATS, lag). Also the BatchSets the groups hold
 * and give back. Logs under the {@link ReplicatApplier} logger.
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}, but for {@code executeAndCommit}, which
 * the committer thread runs on what the route thread handed over with the group.
 */
final class GroupCommits {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private final ReplicatApplier cfg;
    private final TargetSession session;
    private final ReplicatCheckpoints checkpoints;
    private final ReplicatStats stats;
    private final OperationReplayer replayer;
    private final HeartbeatApply heartbeats;
    /** The BatchSets no group holds (the committer's come back). */
    private final ArrayDeque<BatchSet> free = new ArrayDeque<>();
    /** Every set made (one per group the committer may hold, and the open group's): their counters add up. */
    private final List<BatchSet> sets = new ArrayList<>();
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

    GroupCommits(ReplicatApplier cfg, TargetSession session, ReplicatCheckpoints checkpoints, ReplicatStats stats,
                 HeartbeatApply heartbeats) {
        this.cfg = cfg;
        this.session = session;
        this.checkpoints = checkpoints;
        this.stats = stats;
        this.heartbeats = heartbeats;
        this.replayer = new OperationReplayer(cfg, session, OperationReplayer.on(session), stats.counters);
    }

    /** Source transactions of the groups with the committer. */
    int committing() {
        return committing;
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

    /** At a start: the checkpoint row is read again. */
    void reset() {
        sealedCsn = null;
    }

    /** At stop, after every group was taken back: the committer's thread ends. */
    void close() {
        if (committer != null) committer.close();
        committer = null;
        committing = 0;
        sealedCsn = null;
    }

    /** A BatchSet for the next open group: one a group gave back, or a new one. */
    BatchSet nextBatch() {
        if (!free.isEmpty()) return free.pop();
        BatchSet b = new BatchSet();
        sets.add(b);
        return b;
    }

    /**
     * The XIDs the checkpoint row of a group ending with {@code last} lists; that group is sealed. The row before it is
     * the previous sealed group's while that one is not recorded yet, else the last recorded.
     */
    Set<String> xidsFor(Transaction last, List<Transaction> txs) {
        Set<String> xids = sealedCsn != null ? ReplicatCheckpoints.completedAt(last, txs, sealedCsn, sealedXids)
                : checkpoints.completedAt(last, txs);
        sealedCsn = last.csn();
        sealedXids = xids;
        return xids;
    }

    /**
     * Commits a sealed group with its checkpoint row: BATCHSQL's statements first, and a replay one operation at a time
     * when its staging failed ({@code replay}). With {@code ahead}, on the committer thread (the caller made room with
     * {@link #collect}); else here, once the caller took every group back ({@code collect(true)}) before sealing this
     * one: its XIDs were worked out from the recorded row.
     */
    void commit(GroupCommitter.Sealed g, boolean replay, boolean ahead) {
        if (ahead) {
            stats.groupsAhead++;
            GroupCommitter c = committer != null ? committer : (committer = new GroupCommitter(cfg.getGroup(), cfg.getCamelContext()));
            committing += g.txs().size();
            c.submit(() -> executeAndCommit(g, c));
            return;
        }
        if (committer != null && committer.size() > 0) {
            throw new IllegalStateException(cfg.getGroup() + ": a group is committed here while the committer holds "
                    + committer.size());
        }
        stats.groupsInline++;
        completed(replay ? fastPathFailed(g, ThreadCpu.now(), System.nanoTime(), null) : executeAndCommit(g, null));
    }

    /**
     * The fast path, on the committer's thread ({@code c} not null) or the route thread: executes the group's batches,
     * then its heartbeats, checkpoint row and commit. Never throws: a failed batch rolls back for a replay, anything
     * else is the result; either halts the committer. A halted committer runs nothing (the route thread will).
     */
    private GroupCommitter.Done executeAndCommit(GroupCommitter.Sealed g, GroupCommitter c) {
        if (c != null && c.halted()) return new GroupCommitter.Done(g, false, null, 0, 0, 0, true, true);
        long cpu = ThreadCpu.now();
        long wall = System.nanoTime();
        try {
            if (g.batch().size() > 0) {
                try {
                    g.batch().execute(session.applier());
                } catch (ApplyError | SQLException e) {
                    LOG.debug("{}: replaying {} transaction(s) one operation at a time after: {}", cfg.getGroup(),
                            g.txs().size(), e.getMessage());
                    if (c != null) c.halt();
                    return fastPathFailed(g, cpu, wall, c);
                }
            }
            writeAndCommit(g, null);
            return new GroupCommitter.Done(g, false, null, System.currentTimeMillis(), ThreadCpu.now() - cpu,
                    System.nanoTime() - wall, c != null, false);
        } catch (Throwable e) {
            if (c != null) c.halt();
            return new GroupCommitter.Done(g, false, e, 0, ThreadCpu.now() - cpu, System.nanoTime() - wall, c != null, false);
        }
    }

    private GroupCommitter.Done fastPathFailed(GroupCommitter.Sealed g, long cpu, long wall, GroupCommitter c) {
        session.rollbackQuietly();
        session.applier().reset();
        g.batch().clear();
        return new GroupCommitter.Done(g, true, null, 0, ThreadCpu.now() - cpu, System.nanoTime() - wall, c != null, false);
    }

    /**
     * Takes groups back from the committer in the order handed over and records them (replaying one whose fast path
     * failed, running those it did not run after that): all of them with {@code all}, else only until there is room
     * for one more. A failure of one of them is not the open group's (that one would be replayed): it abends.
     */
    void collect(boolean all) {
        if (committer == null) return;
        boolean drain = all;
        while (committer.size() > 0 && (drain || committer.size() >= GroupCommitter.DEPTH)) {
            GroupCommitter.Done d;
            long waitFrom = System.nanoTime();
            try {
                d = committer.await();
                stats.routeWaitNanos += System.nanoTime() - waitFrom;
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
            stats.committerBusyNanos += d.wallNanos();
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

    /**
     * On abend: takes every group back from the committer and records those it committed (the others are applied
     * again at the next start); their failures are only logged: the abend already has a cause.
     */
    void abandon() {
        sealedCsn = null;
        if (committer == null) return;
        committer.halt(); // the groups behind the one being committed are not run
        try {
            while (committer.size() > 0) {
                // not interruptible: the connection is rolled back and closed after this, never under the committer
                GroupCommitter.Done d = committer.awaitUninterruptibly();
                committing -= d.group().txs().size();
                if (d.committer()) {
                    stats.committerCpuNanos += d.cpuNanos();
                    stats.committerBusyNanos += d.wallNanos();
                }
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
        Transaction key = g.discardKey(); // not a re-read transaction the row held before: that one says "applied" at once
        session.discard().commit(discards, key.csn().value(), key.xid().toString(), session.conn()::commit);
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
