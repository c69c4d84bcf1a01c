package io.redotrail.testutil;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for the unit tests that run routes on their consumers' threads: a condition, a latch, a thread.
 * The bound only turns a hang into a failure naming what never happened; no test passes or fails by timing.
 */
public final class Waits {
    /** Generous for 2 shared cores; reached only when the awaited thing never happens. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Waits() {
    }

    /** Polls {@code cond} until it holds; fails naming {@code what} after {@link #TIMEOUT}. */
    public static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
            Thread.sleep(5);
        }
    }

    /** Waits for {@code latch} to open; fails naming {@code what} after {@link #TIMEOUT}. */
    public static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
        }
    }

    /** Waits for {@code thread} to end; fails naming {@code what} after {@link #TIMEOUT}. */
    public static void join(Thread thread, String what) throws InterruptedException {
        thread.join(TIMEOUT.toMillis());
        if (thread.isAlive()) throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
    }
}
