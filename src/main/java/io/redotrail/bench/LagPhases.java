package io.redotrail.bench;

import io.redotrail.report.GroupRuntime;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * Commit-to-apply lag of {@code bench --lag}, one HdrHistogram per measured phase: a transaction the Replicat
 * committed counts in the phase whose window holds its <em>source</em> commit time (so a transaction committed at
 * the end of the 50 % phase and applied during the 90 % phase is still a 50 % figure), its lag being target commit
 * time minus source commit time in milliseconds (one clock: the pipeline runs in the bench's JVM). Transactions
 * outside every window (the priming and the warm-up) are only counted. Registered as the Replicat group's
 * {@link GroupRuntime.Applied} listener. Thread-safe: the Replicat's thread records while the bench's thread opens
 * and closes windows and reads, all under this object's lock.
 */
final class LagPhases implements GroupRuntime.Applied {
    private static final class Phase {
        final String name;
        final long start;
        long end = Long.MAX_VALUE;
        long firstSource = Long.MAX_VALUE, lastSource = Long.MIN_VALUE;
        // 3 significant digits: exact to the millisecond up to 2 s, 0.1 % above; grows with the largest value
        final Histogram lag = new Histogram(3);

        Phase(String name, long start) {
            this.name = name;
            this.start = start;
        }
    }

    private final List<Phase> phases = new ArrayList<>();
    private long unmeasured;

    /** A measured phase begins at {@code nowMillis}: transactions committed at the source from now count in it. */
    synchronized void begin(String name, long nowMillis) {
        if (!phases.isEmpty() && phases.get(phases.size() - 1).end == Long.MAX_VALUE) {
            throw new IllegalStateException("lag phase " + phases.get(phases.size() - 1).name + " is still open");
        }
        phases.add(new Phase(name, nowMillis));
    }

    /** The open phase ends at {@code nowMillis}. */
    synchronized void end(long nowMillis) {
        phases.get(phases.size() - 1).end = nowMillis;
    }

    @Override
    public synchronized void applied(long sourceCommitMillis, long targetCommitMillis) {
        for (int i = phases.size() - 1; i >= 0; i--) {
            Phase p = phases.get(i);
            if (sourceCommitMillis >= p.start && sourceCommitMillis <= p.end) {
                p.lag.recordValue(Math.max(0, targetCommitMillis - sourceCommitMillis));
                p.firstSource = Math.min(p.firstSource, sourceCommitMillis);
                p.lastSource = Math.max(p.lastSource, sourceCommitMillis);
                return;
            }
        }
        unmeasured++;
    }

    /** Transactions applied outside every measured phase. */
    synchronized long unmeasured() {
        return unmeasured;
    }

    /** A copy of phase {@code name}'s histogram. */
    synchronized Histogram histogram(String name) {
        return phase(name).lag.copy();
    }

    /**
     * Milliseconds from the first to the last source commit of phase {@code name}'s applied transactions (0 when
     * fewer than two): the time the workload was committing, without the generator's start-up.
     */
    synchronized long sourceSpanMillis(String name) {
        Phase p = phase(name);
        return p.lastSource > p.firstSource ? p.lastSource - p.firstSource : 0;
    }

    private Phase phase(String name) {
        for (Phase p : phases) if (p.name.equals(name)) return p;
        throw new IllegalArgumentException("no lag phase " + name);
    }
}
