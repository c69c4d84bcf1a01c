package io.redotrail.replicat;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplierWakeTest {
    private final ReentrantLock lock = new ReentrantLock();
    private final ApplierWake wake = new ApplierWake(lock);
    /** What the waiter waits for; guarded by {@link #lock}. */
    private boolean work;

    @Test
    void aSignalUnderTheLockEndsTheWaitAndTheWaiterHoldsTheLockAgain() throws Exception {
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            lock.lock();
            try {
                while (!work) wake.await();
                return lock.isHeldByCurrentThread() && lock.getHoldCount() == 1;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                lock.unlock();
            }
        });
        lock.lock();
        try {
            work = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        assertTrue(waiter.get(10, TimeUnit.SECONDS), "the waiter holds the lock once after its wait");
    }

    @Test
    void noSignalIsLostBetweenTheWaitersReleaseAndItsPark() throws Exception {
        int rounds = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        int[] taken = new int[1];
        Thread applier = new Thread(() -> {
            lock.lock();
            try {
                while (taken[0] < rounds) {
                    while (!work) wake.await();
                    work = false;
                    taken[0]++;
                }
                done.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        applier.setDaemon(true); // left parked if a signal is lost
        applier.start();
        int given = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given < rounds && System.nanoTime() < deadline) {
            lock.lock();
            try {
                if (!work) {
                    work = true;
                    given++;
                    wake.signal();
                }
            } finally {
                lock.unlock();
            }
        }
        applier.join(TimeUnit.SECONDS.toMillis(5));
        assertTrue(done.get(), "the applier took " + taken[0] + " of " + rounds + " and waits for a lost signal");
    }

    @Test
    void aTimedWaitEndsWhenItsTimeIsUp() throws Exception {
        lock.lock();
        try {
            long t0 = System.nanoTime();
            long left = wake.awaitNanos(TimeUnit.MILLISECONDS.toNanos(30));
            // a stale permit may end one park early; the loop a caller runs waits out the rest
            while (left > 0) left = wake.awaitNanos(left);
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30), "waited the whole time");
            assertTrue(lock.isHeldByCurrentThread());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void anInterruptEndsTheWaitWithTheLockHeldAgain() throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            lock.lock();
            try {
                wake.await();
                result.complete("returned");
            } catch (InterruptedException e) {
                result.complete(lock.isHeldByCurrentThread() ? "interrupted, lock held" : "interrupted, lock lost");
            } finally {
                if (lock.isHeldByCurrentThread()) lock.unlock();
            }
        });
        t.start();
        while (t.getState() != Thread.State.WAITING) Thread.onSpinWait(); // parked (an interrupt before the park works too)
        t.interrupt();
        assertEquals("interrupted, lock held", result.get(10, TimeUnit.SECONDS));
        t.join();
        assertFalse(lock.isLocked(), "the waiter released the lock");
    }

    @Test
    void anInterruptBeforeTheWaitIsThrownAtOnce() {
        lock.lock();
        try {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, wake::await);
            assertTrue(lock.isHeldByCurrentThread());
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed, as Condition.await does");
        } finally {
            lock.unlock();
        }
    }
}
