package io.redotrail.replicat;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Replicat's position: the last committed checkpoint-table row (authoritative; kept across a stop), the
 * start position of the current run with its OGG-30176 override and warning, and the secondary checkpoint file
 * {@code dirchk/<GROUP>.cpr} (read at start-up, written after commits throttled by fileCheckpointMillis, and at stop).
 * Logs under the {@link ReplicatApplier} logger.
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}.
 */
final class ReplicatCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private final ReplicatApplier cfg;
    // volatile: read without the applier's lock (a caller polling progress must not wait for an exchange's apply)
    private volatile CheckpointTable.Row lastCheckpoint;
    private long groupKey;
    /** "CSN/XID" of the transactions a parallel run committed above its low watermark (its _LOX rows). */
    private Set<String> appliedAbove = Set.of();
    /** The SPLIT_TRANS_RECS pieces among them, per "CSN/XID": {from, count, total} of each. */
    private Map<String, List<int[]>> appliedPieces = Map.of();
    private TrailPosition startOverride;
    private String startupWarning;
    private TrailPosition startup;
    /** Record times (commit timestamps) at the startup and the current position, as GoldenGate shows them; 0: not known yet. */
    private long startupTimestamp, currentTimestamp;
    private long startTime;
    private long lastFileWrite;

    ReplicatCheckpoints(ReplicatApplier cfg) {
        this.cfg = cfg;
    }

    /** Last committed checkpoint row (as read at start-up or written since), or null. */
    CheckpointTable.Row last() {
        return lastCheckpoint;
    }

    /** The row read from the checkpoint table at start-up (null when the group has none) and the group's key. */
    void loaded(CheckpointTable.Row row, long groupKey) {
        lastCheckpoint = row;
        this.groupKey = groupKey;
    }

    /**
     * The _LOX entries of a parallel run found at start-up: after a parallel Replicat stopped without a graceful
     * stop, its low watermark lags what its appliers committed, and a serial start re-reads from the watermark.
     */
    void loadedAbove(Set<String> entries) {
        appliedAbove = entries;
        appliedPieces = ParallelCheckpoints.pieces(entries);
    }

    /**
     * The {from, count, total} operation ranges of {@code tx} (heartbeats taken out) that a parallel run committed as
     * SPLIT_TRANS_RECS pieces above the checkpoint row; empty when none (or the row passed it).
     */
    List<int[]> appliedPieces(Transaction tx) {
        if (appliedPieces.isEmpty() || lastCheckpoint != null && lastCheckpoint.applied(tx.csn(), tx.xid())) return List.of();
        return appliedPieces.getOrDefault(ParallelCheckpoints.loxKey(tx), List.of());
    }

    /**
     * For the discard file's recovery: whether the group ending with this transaction committed; {@code xid} may
     * name a SPLIT_TRANS_RECS piece ({@code xid#from+count/total}, listed so in _LOX unless its whole transaction is
     * applied).
     */
    boolean applied(long csn, String xid) {
        int hash = xid.indexOf('#');
        if (hash < 0) return applied(Scn.of(csn), Xid.parse(xid));
        return appliedAbove.contains(ParallelCheckpoints.loxKey(Long.toString(csn), xid))
                || applied(Scn.of(csn), Xid.parse(xid.substring(0, hash)));
    }

    /**
     * Whether the checkpoint row already holds the transaction (restart after a trail re-read), or a parallel run
     * listed it in _LOX above its low watermark.
     */
    boolean applied(Transaction tx) {
        return applied(tx.csn(), tx.xid());
    }

    /** Whether the checkpoint row's watermark holds the transaction as applied (_LOX entries aside). */
    boolean rowHolds(Transaction tx) {
        return lastCheckpoint != null && lastCheckpoint.applied(tx.csn(), tx.xid());
    }

    boolean applied(Scn csn, Xid xid) {
        if (lastCheckpoint != null && lastCheckpoint.applied(csn, xid)) return true;
        return !appliedAbove.isEmpty()
                && appliedAbove.contains(ParallelCheckpoints.loxKey(Long.toString(csn.value()), xid.toString()));
    }

    /**
     * Whether a parallel run listed the transaction in _LOX above the checkpoint row (it is applied, and the checkpoint
     * has not passed it yet).
     */
    boolean listedAbove(Transaction tx) {
        if (appliedAbove.isEmpty() || rowHolds(tx)) return false;
        return appliedAbove.contains(ParallelCheckpoints.loxKey(Long.toString(tx.csn().value()), tx.xid().toString()));
    }

    /**
     * A transaction the checkpoint row holds as applied, read again (ALTER REPLICAT moved the position back, or a
     * restart re-read it): an empty stand-in at its trail position with the row's own CSN and XID, so the next
     * commit moves the row's position past it while its watermark stays where it is (never back). Null when the row
     * lists several XIDs at its CSN (one stand-in cannot carry them all: the next applied transaction moves the row)
     * or when the transaction has no trail position.
     */
    Transaction passed(Transaction tx) {
        CheckpointTable.Row row = lastCheckpoint;
        if (row == null || tx.trailEnd() == null || row.completedXids().size() > 1) return null;
        Xid xid = row.completedXids().isEmpty() ? tx.xid() : Xid.parse(row.completedXids().iterator().next());
        return new Transaction(xid, row.logCmpltCsn(), tx.commitTimestampMillis(), tx.thread(), List.of(), null,
                tx.trailStart(), tx.trailEnd());
    }

    /** The highest CSN a parallel run listed in _LOX, or -1: its rows stay until the serial checkpoint passes it. */
    long highestAppliedAbove() {
        long max = -1;
        for (String e : appliedAbove) max = Math.max(max, ParallelCheckpoints.csnOf(e));
        return max;
    }

    /** The OGG-30176 override, else the checkpoint table position, else the .cpr file's current position, else empty. */
    Optional<TrailPosition> startPosition() {
        if (startOverride != null) return Optional.of(startOverride);
        if (lastCheckpoint != null) return Optional.of(lastCheckpoint.position());
        return filePosition();
    }

    // ---- start-up decision (made by TargetSession) ------------------------------------------------------

    void clearStartDecision() {
        startOverride = null;
        startupWarning = null;
    }

    void warn(String warning) {
        startupWarning = warning;
    }

    void override(TrailPosition position) {
        startOverride = position;
    }

    /** The OGG-30176 warning of the last start, or null. */
    String startupWarning() {
        return startupWarning;
    }

    /** Fixes this run's start position (override, table, file, or null when none) and start time; returns it. */
    TrailPosition started(Optional<TrailPosition> file) {
        startup = startOverride != null ? startOverride : lastCheckpoint != null ? lastCheckpoint.position() : file.orElse(null);
        startTime = System.currentTimeMillis();
        // where the last run's file left off: its record time is this start's until a transaction is read
        TrailReadCheckpoint prev = null;
        try {
            if (startup != null) prev = file().read().map(ProcessCheckpoint::trailRead).orElse(null);
        } catch (RuntimeException e) {
            // the table holds the position; a damaged file only costs the record time shown until a transaction is read
        }
        currentTimestamp = prev != null && startup.equals(prev.current()) ? prev.currentTimestampMillis() : 0;
        startupTimestamp = currentTimestamp;
        return startup;
    }

    // ---- commit -------------------------------------------------------------------------------------------

    /** XIDs completed at the last CSN: this exchange's, plus earlier ones at the same CSN. */
    Set<String> completedAt(Transaction last, List<Transaction> todo) {
        CheckpointTable.Row row = lastCheckpoint;
        return row == null ? completedAt(last, todo, null, Set.of()) : completedAt(last, todo, row.logCsn(), row.completedXids());
    }

    /** XIDs completed at the last CSN after a row at {@code csn} listing {@code xids}: theirs too when the CSN is the same. */
    static Set<String> completedAt(Transaction last, List<Transaction> todo, Scn csn, Set<String> xids) {
        Set<String> out = new LinkedHashSet<>();
        if (last.csn().equals(csn)) out.addAll(xids);
        for (Transaction tx : todo) {
            if (tx.csn().equals(last.csn())) out.add(tx.xid().toString());
        }
        return out;
    }

    /** A group and its checkpoint row were committed: records the row, then writes the .cpr if due. */
    void committed(List<Transaction> txs, Set<String> xids) {
        String group = cfg.getGroup();
        Transaction last = txs.get(txs.size() - 1);
        startOverride = null;
        lastCheckpoint = new CheckpointTable.Row(group.toUpperCase(Locale.ROOT), groupKey,
                last.trailEnd(), last.csn(), last.csn(), xids, null);
        if (startup == null) startup = txs.get(0).trailStart() != null ? txs.get(0).trailStart() : last.trailEnd();
        if (startupTimestamp == 0) startupTimestamp = txs.get(0).commitTimestampMillis();
        currentTimestamp = last.commitTimestampMillis();
        // the file is secondary (the table is authoritative): throttled like CHECKPOINTSECS, its fsyncs cost
        if (now() - lastFileWrite >= cfg.getFileCheckpointMillis()) writeFile('A');
    }

    // ---- checkpoint file (secondary) -------------------------------------------------------------------

    CheckpointFile file() {
        return new CheckpointFile(CheckpointFile.replicatFile(cfg.homePath(), cfg.getGroup()));
    }

    Optional<TrailPosition> filePosition() {
        return file().read().map(ProcessCheckpoint::trailRead).map(TrailReadCheckpoint::current);
    }

    /** An idle exchange at EOF: the .cpr is rewritten when due, so "Time Since Chkpt" stays small while idle. */
    void idle() {
        if (now() - lastFileWrite >= Math.max(1000, cfg.getFileCheckpointMillis())) writeFile('A');
    }

    /** Writes the .cpr with the given status (A active, G graceful stop); a failure is only logged. */
    void writeFile(char status) {
        String group = cfg.getGroup();
        // the trail it reads, stored relative to the home (./dirdat/ha): GGSCI shows it, a group process reads it back
        // and the Manager's PURGEOLDEXTRACTS finds the Replicat's read position by it
        String trail = cfg.getTrail() == null || cfg.getTrail().isBlank() ? cfg.getTrailPath() : cfg.getTrail();
        try {
            long now = now();
            lastFileWrite = now;
            TrailReadCheckpoint read = new TrailReadCheckpoint(trail == null ? "" : trail,
                    startup == null ? lastCheckpoint.position() : startup, startupTimestamp,
                    lastCheckpoint.position(), currentTimestamp);
            io.redotrail.report.GroupRuntime rt = cfg.runtimeIfBound();
            file().write(new ProcessCheckpoint(group.toUpperCase(Locale.ROOT), "REPLICAT", List.of(), read,
                    List.of(), null, null, null, startTime, now, status,
                    rt == null ? -1 : rt.stats().checkpointLagMillis(), rt != null && rt.stats().isAtEof()));
        } catch (RuntimeException e) {
            // the table already holds the committed position; a stale file only means a longer re-read
            LOG.warn("{}: cannot write checkpoint file: {}", group, e.toString());
        }
    }

    /** At stop: the next run's first commit writes the .cpr at once. */
    void resetFileThrottle() {
        lastFileWrite = 0;
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
