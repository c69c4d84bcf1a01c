package io.redotrail.report;

import io.redotrail.core.Scn;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One group's runtime state in one CamelContext ({@link GroupRuntimes}): its report file, its process status
 * (lock, pid and control files, control commands: {@link GroupProcess}), the first cause it abended with, what
 * its trail producer has made durable, its statistics and lag ({@link GroupStats}, REPORTCOUNT) and what it waits
 * for ({@link #waiting()}), and whether a consumer thread a stop gave up on still runs ({@link #consumerStillRuns()}). Route steps of the group share it: the extract aggregator takes a
 * Bounded Recovery checkpoint, and frees the spill files of committed transactions, only for what the trail
 * producer confirmed ({@link #trailState}) — not merely because the next redo batch arrived — which keeps those
 * guarantees when a user edits the route (an error handler swallowing a failed write, an asynchronous step).
 * Thread-safe.
 */
public final class GroupRuntime {
    /** {@code confirmedCsn}: highest CSN the trail producer wrote or found already in the trail, after fsync. */
    public record TrailState(long confirmedCsn, boolean failed) {
    }

    private final GroupRuntimes owner;
    private final Path home;
    private final String group;
    private final ReportFile report;
    private final GroupProcess process;
    private final AtomicReference<Throwable> abend = new AtomicReference<>();
    private final AtomicReference<TrailState> trail = new AtomicReference<>();
    private final ZoneId zone = ZoneId.systemDefault();
    private final GroupStats stats = new GroupStats(zone);
    private ReportCount reportCount; // guarded by stats
    private volatile String waiting;
    private volatile java.util.function.BooleanSupplier unstoppedConsumer;
    private final java.util.concurrent.CopyOnWriteArrayList<Applied> appliedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Told of each source transaction a Replicat committed to its target: its source commit time and the time
     * (same clock, after the target commit returned) it was committed on the target. Called on the Replicat's
     * apply thread, in commit order, after the commit: a listener must be quick and must not throw.
     */
    @FunctionalInterface
    public interface Applied {
        void applied(long sourceCommitMillis, long targetCommitMillis);
    }

    GroupRuntime(GroupRuntimes owner, Path home, String group) {
        this.owner = owner;
        this.home = home;
        this.group = group;
        this.report = ReportFile.open(home, group);
        this.process = new GroupProcess(this);
    }

    public Path home() {
        return home;
    }

    /** The group name, upper case. */
    public String group() {
        return group;
    }

    /** The group's report file {@code dirrpt/<GROUP>.rpt}; one instance per group and context. */
    public ReportFile report() {
        return report;
    }

    public GroupProcess process() {
        return process;
    }

    /**
     * The route of the group starts: lock, pid file, control channel, "started" line ({@link GroupProcess#started});
     * statistics and lag start afresh.
     */
    public void started(String program) {
        long now = System.currentTimeMillis();
        stats.restart(now); // before the control channel opens: its first STATS is this run's
        waiting = null;
        synchronized (stats) {
            if (reportCount != null) reportCount.started(now);
        }
        process.started(program);
    }

    // ---- statistics, lag, REPORTCOUNT ---------------------------------------------------------------------

    /** STATS and lag of the group ({@link GroupStats}). */
    public GroupStats stats() {
        return stats;
    }

    ZoneId zone() {
        return zone;
    }

    /**
     * REPORTCOUNT of the group ({@code redotrail.reportCount}: "EVERY n RECORDS|SECONDS|MINUTES", blank = off),
     * set by the group's route step that counts.
     *
     * @throws IllegalArgumentException naming the group when the spec cannot be read
     */
    public void reportCount(String spec) {
        ReportCount rc = ReportCount.parse(group, spec);
        synchronized (stats) {
            reportCount = rc;
            if (rc != null) rc.started(stats.startedMillis());
        }
    }

    /**
     * A batch was processed: its tally joins the statistics ({@code target}: source table to target table for a
     * replicat, null otherwise), and REPORTCOUNT writes its line when due. Called for idle batches too (an empty
     * tally), so a time-based REPORTCOUNT is not late.
     */
    public void batchDone(GroupStats.Tally tally, UnaryOperator<String> target) {
        String line;
        synchronized (stats) {
            long records = stats.merge(tally, target);
            line = reportCount == null ? null : reportCount.due(records, stats.startedMillis(), System.currentTimeMillis(), zone);
        }
        if (line != null) report.info("OGG-08549", line);
    }

    /** Registers {@code l} for the group's applied transactions ({@code bench --lag} measures lag with it). */
    public void onApplied(Applied l) {
        appliedListeners.add(l);
    }

    /** Whether anyone listens: the Replicat skips the per-transaction calls when nobody does. */
    public boolean hasAppliedListeners() {
        return !appliedListeners.isEmpty();
    }

    /** A Replicat committed a source transaction committed at {@code sourceCommitMillis}, at {@code targetCommitMillis}. */
    public void applied(long sourceCommitMillis, long targetCommitMillis) {
        for (Applied l : appliedListeners) l.applied(sourceCommitMillis, targetCommitMillis);
    }

    /**
     * What the group waits for and how to get it going (a pump whose checkpoint names a trail file that does not
     * exist), shown by STATUS; null when it waits for nothing.
     */
    private volatile java.util.function.Supplier<String> statusDetail;

    public void waiting(String why) {
        waiting = why;
    }

    public String waiting() {
        return waiting;
    }

    /**
     * A line about the running group's own state for STATUS (a parallel Replicat: its appliers), read when asked;
     * null: none.
     */
    public void statusDetail(java.util.function.Supplier<String> detail) {
        statusDetail = detail;
    }

    public String statusDetail() {
        java.util.function.Supplier<String> d = statusDetail;
        return d == null ? null : d.get();
    }

    /**
     * A stop gave up on the group's consumer thread, which ignored its interrupt: {@code stillRuns} says whether
     * it runs yet. A consumer of the group does not start while it does ({@link #consumerStillRuns}).
     */
    public void consumerNotStopped(java.util.function.BooleanSupplier stillRuns) {
        unstoppedConsumer = stillRuns;
    }

    /** A consumer thread of the group that a stop gave up on still runs: it may yet deliver and checkpoint. */
    public boolean consumerStillRuns() {
        java.util.function.BooleanSupplier s = unstoppedConsumer;
        return s != null && s.getAsBoolean();
    }

    /** The route of the group stopped ({@link GroupProcess#stopped}). */
    public void stopped() {
        process.stopped();
    }

    /**
     * Takes the group's lock, then runs {@code start}; a failure is reported as the group's start-up refusal
     * ({@link GroupProcess#startLocked}).
     */
    public void startLocked(String program, Runnable start) {
        process.startLocked(program, start);
    }

    /** The group abends: OGG-01668 in the report, pid file marked abended, and {@link #recordAbend}. */
    public void abend(Throwable cause) {
        process.abended(null, cause);
        recordAbend(cause);
    }

    /** Records the first cause the group abends with; the context's listeners hear of it once, however many layers report. */
    public void recordAbend(Throwable cause) {
        if (abend.compareAndSet(null, cause)) owner.abended(group, cause);
    }

    /** The first cause the group abended with in this context, or null. */
    public Throwable abendCause() {
        return abend.get();
    }

    // ---- what the trail producer of the group made durable -----------------------------------------------

    public void trailStarted(Scn lastCsnInTrail) {
        trail.set(new TrailState(lastCsnInTrail.value(), false));
        trailChanged();
    }

    /** Called once the transactions up to {@code csn} are fsynced (by the force thread with an overlapped force). */
    public void trailConfirmed(Scn csn) {
        trail.updateAndGet(s -> new TrailState(Math.max(csn.value(), s == null ? 0 : s.confirmedCsn()), s != null && s.failed()));
        trailChanged();
    }

    public void trailFailed() {
        trail.updateAndGet(s -> new TrailState(s == null ? 0 : s.confirmedCsn(), true));
        trailChanged();
    }

    public void trailStopped() {
        trail.set(null);
        trailChanged();
    }

    private void trailChanged() {
        synchronized (trail) {
            trail.notifyAll();
        }
    }

    /**
     * Waits up to {@code millis} until the trail producer confirmed {@code csn}, failed or stopped; its state then
     * (null: stopped). The extract's aggregator waits so for the force in flight before a Bounded Recovery checkpoint.
     */
    public TrailState awaitTrail(long csn, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (trail) {
            while (true) {
                TrailState s = trail.get();
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (s == null || s.failed() || s.confirmedCsn() >= csn || left <= 0) return s;
                trail.wait(left);
            }
        }
    }

    /** The trail producer's state, or null when no trail producer of this group runs in this context. */
    public TrailState trailState() {
        return trail.get();
    }
}
