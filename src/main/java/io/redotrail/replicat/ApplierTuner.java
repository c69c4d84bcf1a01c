package io.redotrail.replicat;

import java.util.Locale;

/**
 * MIN_APPLY_PARALLELISM / MAX_APPLY_PARALLELISM: when the parallel Replicat adds or retires an applier. Every interval
 * (APPLY_PARALLELISM's tuning interval, a second by default) the trail thread reads what the {@link ParallelScheduler}
 * measured over it ({@link ParallelScheduler.Load}) and takes at most one step:
 * <ul>
 * <li><b>retire</b> one (above MIN) when the appliers waited for work (an empty queue, less than a commit's worth
 * in it, or FULL's turn to commit) more than half the interval: fewer
 * transactions can run side by side than there are connections (the trail is caught up, or the work is one chain of
 * dependent transactions);</li>
 * <li><b>add</b> one (below MAX) when they waited less than a tenth of it and still work was held back for want of
 * an applier: an independent transaction found every applier's queue full, or the trail thread waited at the
 * in-flight limit for more than a quarter of the interval;</li>
 * <li><b>give back</b> an added one when the interval after it committed no more operations per second than the
 * one before (at least 5 % more): on a target (or a machine) whose CPU is already full a connection more only adds
 * commits. No step up for the next ten intervals.</li>
 * </ul>
 * The thresholds leave a band between them, so a step does not call for its reverse: with k appliers busy, k + 1
 * wait about 1 / (k + 1) of the time, never more than half.
 * <p>
 * Not thread-safe: the trail thread's own.
 */
final class ApplierTuner {
    enum Step { HOLD, ADD, RETIRE }

    /** Intervals without a step up after an added applier gained nothing. */
    static final int HOLD_INTERVALS = 10;

    private final int min;
    private final int max;
    private final long intervalNanos;
    private ParallelScheduler.Load start;
    private long startNanos;
    /** Operations per second over the interval before the last step up; negative when the last step was not one. */
    private double rateBeforeAdd = -1;
    private long noAddUntil;
    private String why = "";

    ApplierTuner(int min, int max, long intervalNanos) {
        if (min < 1 || max < min) throw new IllegalArgumentException("MIN_APPLY_PARALLELISM " + min + ", MAX_APPLY_PARALLELISM " + max);
        this.min = min;
        this.max = max;
        this.intervalNanos = intervalNanos;
    }

    /** The appliers a run starts with: the middle of the range, as GoldenGate's. */
    static int initial(int min, int max) {
        return (min + max) / 2;
    }

    int min() {
        return min;
    }

    int max() {
        return max;
    }

    /** The figures the next interval is measured from: after a step (its appliers are other ones), and at start. */
    void baseline(ParallelScheduler.Load load, long now) {
        start = load;
        startNanos = now;
    }

    /** The step {@code load} (read at {@code now}) calls for, or HOLD before an interval has passed since the baseline. */
    Step step(ParallelScheduler.Load load, long now) {
        if (start == null) {
            baseline(load, now);
            return Step.HOLD;
        }
        long span = now - startNanos;
        if (span < intervalNanos) return Step.HOLD;
        int n = load.active();
        double idle = (double) (load.idleNanos() - start.idleNanos()) / ((double) span * n);
        double blocked = (double) (load.blockedNanos() - start.blockedNanos()) / span;
        long full = load.roomWaits() - start.roomWaits();
        double rate = (load.committedOps() - start.committedOps()) * 1e9 / span;
        baseline(load, now); // the next interval starts here (again after a step: the caller's new figures)
        double before = rateBeforeAdd;
        rateBeforeAdd = -1;
        if (before >= 0 && n > min && rate < before * 1.05) {
            noAddUntil = now + HOLD_INTERVALS * intervalNanos;
            why = String.format(Locale.ROOT, "the applier added last gained nothing: %,.0f operations/s against %,.0f before it", rate, before);
            return Step.RETIRE;
        }
        if (n > min && idle > 0.5) {
            why = String.format(Locale.ROOT, "the appliers waited for work %.0f %% of the last %.1f s", idle * 100, span / 1e9);
            return Step.RETIRE;
        }
        if (n < max && now >= noAddUntil && idle < 0.1 && (full > 0 || blocked > 0.25)) {
            rateBeforeAdd = rate;
            why = String.format(Locale.ROOT, "the appliers waited for work %.0f %% of the last %.1f s while %s", idle * 100, span / 1e9,
                    full > 0 ? full + " independent transaction(s) found every applier's queue full"
                            : String.format(Locale.ROOT, "the trail thread waited at the in-flight limit %.0f %% of it", blocked * 100));
            return Step.ADD;
        }
        return Step.HOLD;
    }

    /** Why the last step other than HOLD was taken, for the report. */
    String why() {
        return why;
    }

    /** The step up just taken did not happen (no connection): not measured against. */
    void addFailed(long now) {
        rateBeforeAdd = -1;
        noAddUntil = now + HOLD_INTERVALS * intervalNanos;
    }
}
