package io.redotrail.replicat;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An applier's wait for work in the {@link ParallelScheduler}, under the scheduler's lock: the applier (one thread
 * per instance) parks, the trail thread unparks it. Used instead of a {@code Condition} of that lock because the trail thread signals from
 * the middle of its hottest code (dispatch, inlined into the mapping of every transaction), and a Condition's
 * signal carries a branch that depends on the appliers' timing (a timed wait that has just expired): taken for the
 * first time long after that code was compiled (in the bench, inside a measured stage), it made the JIT throw away
 * and compile again that whole code (JFR, 2026-12-07:
 * {@code unstable_if} in {@code ConditionObject.doSignal}, then 0.8 s of C2 in a 6-second apply). An unpark has no
 * such branch.
 * <p>
 * Both sides hold the lock when they look at {@link #parked}: the applier records itself before it releases the
 * lock to park, so a signal between its release and its park leaves a permit and the park returns at once. Like a
 * Condition, a wait may end early for no reason: callers re-check what they wait for in a loop.
 */
final class ApplierWake {
    private final ReentrantLock lock;
    /** The applier parked (or about to), else null; guarded by {@link #lock}. */
    private Thread parked;

    ApplierWake(ReentrantLock lock) {
        this.lock = lock;
    }

    /** Wakes the applier if it waits; the caller holds the lock. */
    void signal() {
        Thread t = parked;
        if (t != null) LockSupport.unpark(t);
    }

    /** Waits until signalled or interrupted; the caller holds the lock once, and holds it again on return. */
    void await() throws InterruptedException {
        awaitNanos(Long.MAX_VALUE);
    }

    /**
     * Waits until signalled, interrupted or {@code nanos} passed ({@link Long#MAX_VALUE}: no limit); returns the
     * nanoseconds left. The caller holds the lock once; it is released while parked and held again on return.
     */
    long awaitNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        long deadline = System.nanoTime() + nanos;
        parked = Thread.currentThread();
        lock.unlock();
        try {
            if (nanos == Long.MAX_VALUE) LockSupport.park(this);
            else LockSupport.parkNanos(this, nanos);
        } finally {
            lock.lock();
            parked = null;
        }
        if (Thread.interrupted()) throw new InterruptedException();
        return nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }
}
