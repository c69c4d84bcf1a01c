package io.redotrail.replicat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parallel Replicat's appliers as the {@link ParallelScheduler} holds them: per applier its queue, the
 * operations it holds, its wake-up ({@link ApplierWake}) and how long it waited; and which of them take new work:
 * appliers {@code [0, active)}. With MIN/MAX_APPLY_PARALLELISM ({@link ApplierTuner}) the last active one is
 * retired (it drains its queue, then its worker stops) and the next one added (its worker resumed or started);
 * with a fixed APPLY_PARALLELISM all of them are active for the run.
 * <p>
 * Not thread-safe: used only under the scheduler's lock, which an applier's wake-up releases while it parks.
 */
final class ApplierQueues {
    private final int size;
    private int active;
    /** Per applier: its worker runs (retired, it may still be draining its queue). */
    private final boolean[] running;
    private final List<ArrayDeque<ParallelUnit>> queues = new ArrayList<>();
    /** Operations queued on each applier, taken or not, until committed. */
    private final int[] load;
    /** Operations in each applier's queue, not yet taken. */
    private final int[] queued;
    /** Operations each applier waits for while filling (its take's threshold); 0 when not filling. */
    private final int[] filling;
    /** Per applier: nanoseconds waiting with an empty queue, and waiting for its queue to fill. */
    private final long[] emptyNanos, fillNanos;
    /** Per applier: when it began to wait with an empty queue, or for its queue to fill; 0 when it does not. */
    private final long[] emptySince, fillSince;
    /** FULL, per applier: nanoseconds waiting for its turn to commit, and since when it waits now (0: it does not). */
    private final long[] turnNanos, turnSince;
    /** Per applier: its queue got work (or close / failure / retirement). */
    private final ApplierWake[] work;

    /** {@code size} appliers, the first {@code active} with a worker from the start. */
    ApplierQueues(int size, int active, ReentrantLock lock) {
        if (active < 1 || active > size) throw new IllegalArgumentException(active + " active appliers of " + size);
        this.size = size;
        this.active = active;
        this.running = new boolean[size];
        for (int i = 0; i < active; i++) running[i] = true;
        this.load = new int[size];
        this.queued = new int[size];
        this.filling = new int[size];
        this.emptyNanos = new long[size];
        this.fillNanos = new long[size];
        this.emptySince = new long[size];
        this.fillSince = new long[size];
        this.turnNanos = new long[size];
        this.turnSince = new long[size];
        this.work = new ApplierWake[size];
        for (int i = 0; i < size; i++) {
            queues.add(new ArrayDeque<>());
            work[i] = new ApplierWake(lock);
        }
    }

    /** Appliers that may run (MAX_APPLY_PARALLELISM, else APPLY_PARALLELISM). */
    int size() {
        return size;
    }

    /** Appliers taking new work: {@code [0, active)}. */
    int active() {
        return active;
    }

    boolean takesWork(int applier) {
        return applier < active;
    }

    int load(int applier) {
        return load[applier];
    }

    /** The active applier holding the fewest operations (the first of equals). */
    int leastLoaded() {
        int target = 0;
        for (int i = 1; i < active; i++) if (load[i] < load[target]) target = i;
        return target;
    }

    /** Queues {@code u} on {@code applier}, waking it when it waits for its first unit or for its fill threshold. */
    void add(int applier, ParallelUnit u) {
        ArrayDeque<ParallelUnit> q = queues.get(applier);
        q.add(u);
        load[applier] += u.ops();
        queued[applier] += u.ops();
        // wake it once, not at every unit
        int fill = filling[applier];
        if (q.size() == 1 || fill > 0 && queued[applier] >= fill && queued[applier] - u.ops() < fill) work[applier].signal();
    }

    /** {@code u}, taken from {@code applier}'s queue, committed. */
    void committed(ParallelUnit u) {
        load[u.applier] -= u.ops();
    }

    boolean isEmpty(int applier) {
        return queues.get(applier).isEmpty();
    }

    int queued(int applier) {
        return queued[applier];
    }

    /** From the queue's head: one unit ({@code one}) or as many as fit in {@code maxOps} operations (at least one). */
    List<ParallelUnit> poll(int applier, int maxOps, boolean one) {
        ArrayDeque<ParallelUnit> q = queues.get(applier);
        List<ParallelUnit> out = new ArrayList<>();
        int ops = 0;
        while (!q.isEmpty() && (out.isEmpty() || !one && ops + q.peek().ops() <= maxOps)) {
            ParallelUnit u = q.poll();
            ops += u.ops();
            out.add(u);
        }
        queued[applier] -= ops;
        return out;
    }

    ApplierWake wake(int applier) {
        return work[applier];
    }

    void wakeAll() {
        for (ApplierWake w : work) w.signal();
    }

    /** {@code applier} waits with an empty queue from {@code now} ({@link #emptyWaitEnds} when it no longer does). */
    void emptyWaitBegins(int applier, long now) {
        emptySince[applier] = now;
    }

    void emptyWaitEnds(int applier, long now) {
        emptyNanos[applier] += now - emptySince[applier];
        emptySince[applier] = 0;
    }

    /** {@code applier} waits for {@code ops} operations in its queue from {@code since}; 0: it no longer does. */
    void filling(int applier, int ops, long since) {
        filling[applier] = ops;
        fillSince[applier] = ops == 0 ? 0 : since;
        if (ops == 0) fillNanos[applier] += System.nanoTime() - since;
    }

    void turnWaitBegins(int applier, long now) {
        turnSince[applier] = now;
    }

    void turnWaitEnds(int applier, long now) {
        turnNanos[applier] += now - turnSince[applier];
        turnSince[applier] = 0;
    }

    /** {nanoseconds {@code applier} waited with an empty queue, nanoseconds it waited for its queue to fill}. */
    long[] idle(int applier) {
        return new long[]{emptyNanos[applier], fillNanos[applier]};
    }

    /**
     * Nanoseconds the active appliers waited for work, with an empty queue or for it to fill (less than a commit's
     * worth queued), or (FULL) for their turn to commit, the waits still going on at {@code now} included.
     */
    long activeIdleNanos(long now) {
        long idle = 0;
        for (int i = 0; i < active; i++) {
            idle += emptyNanos[i] + (emptySince[i] == 0 ? 0 : now - emptySince[i]);
            idle += fillNanos[i] + (fillSince[i] == 0 ? 0 : now - fillSince[i]);
            idle += turnNanos[i] + (turnSince[i] == 0 ? 0 : now - turnSince[i]);
        }
        return idle;
    }

    /** A retired applier whose queue is done: its worker stops now (true). */
    boolean stopIfRetired(int applier) {
        if (applier < active) return false;
        running[applier] = false;
        return true;
    }

    /** The next applier takes work again if its worker still runs (true); false when it needs a new worker. */
    boolean resume() {
        if (active == size || !running[active]) return false;
        added();
        return true;
    }

    /** The next applier takes work: its worker starts after this (or, retired, still runs). */
    void added() {
        if (active == size) throw new IllegalStateException("all " + size + " appliers are active");
        running[active++] = true;
    }

    /** The last active applier takes no new work; woken if it waits, it drains its queue and stops. */
    void retire() {
        if (active == 1) throw new IllegalStateException("the last applier cannot retire");
        active--;
        work[active].signal();
    }
}
