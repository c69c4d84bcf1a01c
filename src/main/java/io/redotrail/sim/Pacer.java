package io.redotrail.sim;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Paces events at a steady rate on a monotonic clock: event {@code k} (from 1) is due {@code k / perSecond}
 * seconds after {@link #start}; {@link #tick} sleeps while the events so far are more than {@code slackNanos}
 * ahead of that schedule. The schedule is absolute, not a gap after each event: a producer that fell behind
 * (a pause, back-pressure) catches up at full speed, so the offered load over any long interval stays the rate
 * (an open-loop workload, as users' commits keep arriving while a system stalls), and sleeping's imprecision
 * never accumulates. Not thread-safe: one producer thread.
 */
final class Pacer {
    private final double perSecond;
    private final long slackNanos;
    private final LongSupplier nanoTime;
    private final LongConsumer sleepNanos;
    private long startNanos;
    private long events;

    /** {@code nanoTime} a monotonic clock (System::nanoTime), {@code sleepNanos} sleeps at least that long. */
    Pacer(double perSecond, long slackNanos, LongSupplier nanoTime, LongConsumer sleepNanos) {
        if (!(perSecond > 0)) throw new IllegalArgumentException("pacing rate must be > 0, got " + perSecond);
        this.perSecond = perSecond;
        this.slackNanos = slackNanos;
        this.nanoTime = nanoTime;
        this.sleepNanos = sleepNanos;
        start();
    }

    /** The schedule begins now, with no event made. */
    void start() {
        startNanos = nanoTime.getAsLong();
        events = 0;
    }

    /** One event was made: waits until it is no more than the slack ahead of its due time. */
    void tick() {
        events++;
        long ahead = dueNanos(events) - (nanoTime.getAsLong() - startNanos);
        if (ahead >= slackNanos) sleepNanos.accept(ahead);
    }

    /** Nanoseconds after the start at which event {@code k} is due. */
    long dueNanos(long k) {
        return (long) (k * 1e9 / perSecond);
    }
}
