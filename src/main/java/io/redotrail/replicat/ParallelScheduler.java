package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.replicat.WaitingUnits.Blocked;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parallel Replicat's scheduler: the trail thread {@link #dispatch}es source transactions in trail order,
 * APPLY_PARALLELISM appliers {@link #take} them from their own queues, apply them and report them
 * {@link #completed}.
 * <p>
 * Dependencies ({@link ParallelKeys}, {@link KeyOwners}): at dispatch a transaction depends on the in-flight transactions that last
 * touched one of its keys (a whole-table key conflicts with every key of the table); they are earlier in trail
 * order, and dependency is transitive through them. A transaction is <em>assigned</em> to an applier once each
 * of its dependencies is committed or assigned, and those still uncommitted are all on one applier: it is queued
 * behind them on that applier (one connection applies and commits in queue order, so it cannot pass them);
 * without any, it goes to the applier with the shortest queue. Until then it waits ({@link WaitingUnits}: after
 * each commit the waiting transactions whose state may have changed are re-examined in trail order). So a dependent
 * transaction is never applied nor committed before the one it depends on. Why one applier, not several: queued
 * behind dependencies on two appliers, a transaction made its applier commit and then wait for the other's commit,
 * stopping that queue behind it; measured slower (docs/performance.md, "why the parallel stage waits").
 * <p>
 * COMMIT_SERIALIZATION DEPENDENT_TRANSACTIONS: an independent transaction passes waiting ones (it is assigned
 * at once), and an applier takes what its queue holds (up to a number of operations) and commits it as one
 * target transaction. No applier ever waits for another applier's commit, so the earliest waiting
 * transaction's dependencies (all assigned) commit and it is assigned in turn: no deadlock.
 * FULL: transactions are assigned strictly in trail order (none passes a waiting one), each applier takes one at
 * a time and commits only when every earlier transaction has committed ({@link #awaitTurn}); the appliers
 * still apply in parallel. Assignment in trail order keeps every queue in trail order, so the earliest
 * uncommitted transaction is always at the head of a queue: no deadlock.
 * <p>
 * At most {@code maxQueue} operations per applier are queued (a transaction larger than that still goes to an
 * empty queue), and at most {@code maxQueue} per active applier are in flight (waiting, queued or being
 * applied): {@link #dispatch} blocks beyond that; a SPLIT_TRANS_RECS piece waits only until a piece per applier
 * fits (pieces larger than the window would go one at a time; other transactions keep the window, and the heap it
 * bounds). Why not twice that, as until 2026-12-06: on the bench's workload, where three quarters of the
 * transactions wait for a dependency, twice let some 73,000 transactions wait instead of 50,000 for the same
 * seconds, with 6 % more client CPU and 40 % more GC pause (docs/performance.md). The Replicat sizes the queue
 * at twice GROUPTRANSOPS, so an applier finds a whole GROUPTRANSOPS group in its queue and commits as rarely as the
 * serial Replicat: on a target whose commits wait for a disk flush, committing every few dozen transactions cost
 * more than the parallelism gained.
 * An applier whose queue holds less than a commit's worth (half of {@code maxQueue}) waits up to 20 ms for more
 * before it takes (DEPENDENT_TRANSACTIONS, while the trail thread is neither blocked at the in-flight limit nor
 * waiting in {@link #drain} at the end of the trail):
 * fed by one trail thread, the appliers otherwise committed ~350 operations at a time instead of ~650.
 * <p>
 * MIN/MAX_APPLY_PARALLELISM ({@link ApplierTuner}): appliers {@code [0, active)} take new work. A retired one (the
 * last active) applies and commits what its queue holds and stops; a transaction depending on its work waits for that
 * commit instead of queueing behind it, so the rules above hold for the appliers that remain. An added one takes what
 * waited for room at once.
 * <p>
 * Low watermark ({@link TrailOrder}): the last transaction of the longest prefix (in trail order) of committed transactions;
 * everything at or before it is applied. Beyond it, commits are out of trail order; the _LOX rows list
 * what is applied ({@link ParallelCheckpoints}).
 * <p>
 * Thread-safe: every method holds one lock. An applier waits on its own {@link ApplierWake}, signalled when its queue gets
 * work (not on every assignment anywhere: waking every thread at every assignment cost more than the work);
 * the trail thread, {@link #drain} and {@link #awaitTurn} wait for commits. Failure and {@link #close} wake all.
 * An applier's failure makes every later call throw it.
 */
final class ParallelScheduler {
    /** How long an applier waits for its queue to fill before it takes what is there. */
    static final long FILL_NANOS = 20_000_000L;

    /** Appliers that may run (MAX_APPLY_PARALLELISM, else APPLY_PARALLELISM). */
    private final int appliers;
    /** Appliers {@code [0, active)} take new work; one at or above it drains its queue and stops (MIN/MAX_APPLY_PARALLELISM). */
    private int active;
    /** Per applier: its worker runs (it may be retired and still draining its queue). */
    private final boolean[] running;
    private final boolean full;
    private final int maxQueue;
    private final int pieceOps;
    /** Per applier: when it began to wait with an empty queue, 0 when it does not. */
    private final long[] emptySince;
    /** The trail thread's waits at the in-flight limit, nanoseconds, and when the current one began (0: none). */
    private long blockedNanos, blockedSince;
    /** Independent transactions that found every active applier's queue full. */
    private long roomWaits;
    private final List<ArrayDeque<ParallelUnit>> queues = new ArrayList<>();
    /** Operations queued on each applier, taken or not, until committed. */
    private final int[] load;
    /** Operations in each applier's queue, not yet taken. */
    private final int[] queued;
    /** Operations each applier waits for while filling (its {@link #take}'s threshold); 0 when not filling. */
    private final int[] filling;
    /** Per applier: nanoseconds waiting with an empty queue, and waiting for its queue to fill. */
    private final long[] emptyNanos, fillNanos;
    /** Who last touched each key in flight: a dispatched unit's dependencies. */
    private final KeyOwners owners = new KeyOwners();
    /** Dispatched and skipped units after the low watermark, in trail order. */
    private final TrailOrder order = new TrailOrder();
    /** Dispatched units not yet assigned. */
    private final WaitingUnits waiting;
    private long waits, passed;
    private long committedTx, committedOps;
    private int pending;
    private long pendingOps;
    private RuntimeException failure;
    private boolean closed;
    /** The trail thread waits in {@link #drain}: nothing more comes meanwhile, so no applier waits to fill. */
    private boolean draining;
    private final long fillWait;
    private final ReentrantLock lock = new ReentrantLock();
    /** Per applier: its queue got work (or close / failure). */
    private final ApplierWake[] work;
    /** A commit happened (in-flight room, the low watermark, FULL turns), or close / failure. */
    private final Condition progress;

    ParallelScheduler(int appliers, boolean full, int maxQueueOps) {
        this(appliers, full, maxQueueOps, 0);
    }

    /** {@code pieceOps}: SPLIT_TRANS_RECS (0: not set); a piece may be dispatched while a piece per applier fits. */
    ParallelScheduler(int appliers, boolean full, int maxQueueOps, int pieceOps) {
        this(appliers, full, maxQueueOps, pieceOps, FILL_NANOS);
    }

    /** {@code fillWait}: nanoseconds an applier waits for its queue to fill ({@link #FILL_NANOS}; tests make it long). */
    ParallelScheduler(int appliers, boolean full, int maxQueueOps, int pieceOps, long fillWait) {
        this(appliers, appliers, full, maxQueueOps, pieceOps, fillWait);
    }

    /**
     * {@code appliers} that may run, the first {@code active} of them with a worker from the start (the caller starts
     * one per applier {@code [0, active)}).
     */
    ParallelScheduler(int appliers, int active, boolean full, int maxQueueOps, int pieceOps, long fillWait) {
        if (active < 1 || active > appliers) throw new IllegalArgumentException(active + " active appliers of " + appliers);
        this.fillWait = fillWait;
        this.appliers = appliers;
        this.active = active;
        this.running = new boolean[appliers];
        for (int i = 0; i < active; i++) running[i] = true;
        this.emptySince = new long[appliers];
        this.full = full;
        this.maxQueue = Math.max(1, maxQueueOps);
        this.pieceOps = pieceOps;
        this.load = new int[appliers];
        this.queued = new int[appliers];
        this.filling = new int[appliers];
        this.emptyNanos = new long[appliers];
        this.fillNanos = new long[appliers];
        this.work = new ApplierWake[appliers];
        for (int i = 0; i < appliers; i++) {
            queues.add(new ArrayDeque<>());
            work[i] = new ApplierWake(lock);
        }
        this.waiting = new WaitingUnits(full, appliers);
        this.progress = lock.newCondition();
    }

    /** Operations in flight beyond which the trail thread waits: a queue's worth per active applier. */
    private long maxInFlight() {
        return (long) maxQueue * active;
    }

    /** Takes a transaction (trail order): assigned at once when its dependencies allow, else waiting; blocks while too many are in flight. */
    void dispatch(ParallelUnit u) throws InterruptedException {
        lock.lock();
        try {
            long limit = maxInFlight();
            if (pendingOps >= limit) for (ApplierWake w : work) w.signal(); // filling appliers: no more is coming
            // a SPLIT_TRANS_RECS piece waits only until a piece per applier fits
            if (u.piece != null) limit = Math.max(limit, (long) pieceOps * active);
            if (pendingOps >= limit) {
                blockedSince = System.nanoTime();
                try {
                    while (pendingOps >= limit) {
                        check();
                        progress.await();
                        limit = u.piece == null ? maxInFlight() : Math.max(maxInFlight(), (long) pieceOps * active);
                    }
                } finally {
                    blockedNanos += System.nanoTime() - blockedSince;
                    blockedSince = 0;
                }
            }
            check();
            order.add(u); // refuses one out of trail order before anything changed
            u.deps = owners.claim(u);
            pending++;
            pendingOps += u.ops();
            Blocked b = waiting.fullHoldsBack() ? Blocked.DEPENDENCIES : assign(u);
            if (b == Blocked.NO) {
                if (waiting.count() > 0) passed++;
                waiting.wake(u);
                return;
            }
            waits++;
            waiting.add(u, b);
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code u} on an applier if its dependencies and that applier's queue allow (see the class comment). */
    private Blocked assign(ParallelUnit u) {
        int target = -1;
        List<ParallelUnit> deps = u.deps;
        for (int i = deps.size() - 1; i >= 0; i--) {
            ParallelUnit d = deps.get(i);
            if (d.done) {
                deps.remove(i);
                continue;
            }
            // a retired applier drains its queue and takes nothing more: wait for the dependency's commit
            if (d.applier < 0 || d.applier >= active || (target >= 0 && d.applier != target)) return Blocked.DEPENDENCIES;
            target = d.applier;
        }
        if (target < 0) {
            for (int i = 0; i < active; i++) if (target < 0 || load[i] < load[target]) target = i;
        }
        if (load[target] > 0 && load[target] + u.ops() > maxQueue) {
            u.roomOn = deps.isEmpty() ? appliers : target;
            if (deps.isEmpty()) roomWaits++;
            return Blocked.ROOM;
        }
        u.applier = target;
        u.deps = List.of();
        ArrayDeque<ParallelUnit> q = queues.get(target);
        q.add(u);
        load[target] += u.ops();
        queued[target] += u.ops();
        // the applier waits for its first unit, or (filling) for its threshold: wake it once, not at every unit
        int fill = filling[target];
        if (q.size() == 1 || fill > 0 && queued[target] >= fill && queued[target] - u.ops() < fill) work[target].signal();
        return Blocked.NO;
    }

    /**
     * The next work of an applier, in its queue order: one transaction (FULL) or as many as fit in
     * {@code maxOps} operations (at least one); null once closed and empty.
     */
    List<ParallelUnit> take(int applier, int maxOps) throws InterruptedException {
        lock.lock();
        try {
            ArrayDeque<ParallelUnit> q = queues.get(applier);
            long t0 = System.nanoTime();
            emptySince[applier] = t0;
            try {
                while (q.isEmpty()) {
                    if (closed || failure != null) return null;
                    if (applier >= active) { // retired, its queue done: the worker stops (its commits all reported)
                        running[applier] = false;
                        return null;
                    }
                    work[applier].await();
                }
            } finally {
                emptyNanos[applier] += System.nanoTime() - t0; // the last wait, ended by close, too
                emptySince[applier] = 0;
            }
            long t1 = System.nanoTime();
            // a queue fed slower than it is applied would commit a few transactions at a time: wait a moment for a
            // commit's worth (commits and small batches cost CPU the trail thread needs), unless nothing more can come
            long left = fillWait;
            int fill = Math.min(maxOps, maxQueue / 2);
            filling[applier] = fill;
            while (!full && queued[applier] < fill && left > 0 && !closed && failure == null && pendingOps < maxInFlight()
                    && !draining && applier < active) {
                left = work[applier].awaitNanos(left);
            }
            filling[applier] = 0;
            fillNanos[applier] += System.nanoTime() - t1;
            List<ParallelUnit> out = new ArrayList<>();
            int ops = 0;
            while (!q.isEmpty() && (out.isEmpty() || !full && ops + q.peek().ops() <= maxOps)) {
                ParallelUnit u = q.poll();
                ops += u.ops();
                out.add(u);
            }
            queued[applier] -= ops;
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** FULL: blocks until every transaction dispatched before {@code u} has committed. */
    void awaitTurn(ParallelUnit u) throws InterruptedException {
        lock.lock();
        try {
            while (order.first() != u) {
                check();
                progress.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A transaction (or a SPLIT_TRANS_RECS piece of one, else {@code piece} null) the checkpoint table says is
     * applied (a _LOX row: committed above the low watermark before a restart): it takes its place in trail order as
     * committed, so the low watermark can pass it.
     */
    void skipped(Transaction tx, TransactionPiece piece) {
        lock.lock();
        try {
            ParallelUnit u = new ParallelUnit(tx, List.of(), Set.of());
            u.piece = piece;
            u.done = true;
            order.add(u);
            advance();
        } finally {
            lock.unlock();
        }
    }

    private void advance() {
        order.advance();
        progress.signalAll();
    }

    /**
     * MIN/MAX_APPLY_PARALLELISM: the next applier ({@link #active()}) takes work again when its worker still runs
     * (retired, draining its queue): true. False when it needs a new worker: the caller starts one and then calls
     * {@link #added()}. Only the trail thread adds and retires appliers.
     */
    boolean resume() {
        lock.lock();
        try {
            if (active == appliers || !running[active]) return false;
            added();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next applier's worker was started (or resumed): it takes work; what waited for room is examined again. */
    void added() {
        lock.lock();
        try {
            if (active == appliers) throw new IllegalStateException("all " + appliers + " appliers are active");
            running[active++] = true;
            waiting.assignAfterCommits(new boolean[appliers], this::assign); // those that found every queue full
            progress.signalAll(); // a larger in-flight window
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last active applier takes no new work: it applies and commits what its queue holds, then its worker stops
     * ({@link #take} returns null). What depends on its work waits for those commits.
     */
    void retire() {
        lock.lock();
        try {
            if (active == 1) throw new IllegalStateException("the last applier cannot retire");
            active--;
            work[active].signal(); // it may wait for work, or for its queue to fill
        } finally {
            lock.unlock();
        }
    }

    /** Appliers taking new work. */
    int active() {
        return locked(() -> active);
    }

    /**
     * What {@link ApplierTuner} measures, cumulative: over the active appliers, nanoseconds waiting with an empty
     * queue (the current waits up to {@code now} included); the trail thread's waits at the in-flight limit;
     * independent transactions that found every queue full; operations committed.
     */
    record Load(int active, long idleNanos, long blockedNanos, long roomWaits, long committedOps) {
    }

    Load load(long now) {
        lock.lock();
        try {
            long idle = 0;
            for (int i = 0; i < active; i++) idle += emptyNanos[i] + (emptySince[i] == 0 ? 0 : now - emptySince[i]);
            return new Load(active, idle, blockedNanos + (blockedSince == 0 ? 0 : now - blockedSince), roomWaits, committedOps);
        } finally {
            lock.unlock();
        }
    }

    /** An applier committed these units. */
    void completed(List<ParallelUnit> units) {
        lock.lock();
        try {
            boolean[] committedOn = new boolean[appliers];
            for (ParallelUnit u : units) {
                committedOn[u.applier] = true;
                u.done = true;
                pending--;
                pendingOps -= u.ops();
                load[u.applier] -= u.ops();
                if (u.endsTransaction()) committedTx++; // a split transaction counts once, with its last piece
                committedOps += u.tx.size();
                owners.release(u);
                waiting.wake(u);
            }
            waiting.assignAfterCommits(committedOn, this::assign);
            advance();
        } finally {
            lock.unlock();
        }
    }

    /** An applier failed: every waiting and later call throws {@code e}. */
    void failed(RuntimeException e) {
        lock.lock();
        try {
            if (failure == null) failure = e;
            wakeAll();
        } finally {
            lock.unlock();
        }
    }

    private void wakeAll() {
        for (ApplierWake w : work) w.signal();
        progress.signalAll();
    }

    RuntimeException failure() {
        return locked(() -> failure);
    }

    /** The last transaction of the committed prefix, or null when none has committed in this run. */
    Transaction lowWatermark() {
        return locked(order::lowWatermark);
    }

    /** {transactions, operations} committed by the appliers so far. */
    long[] committed() {
        return locked(() -> new long[]{committedTx, committedOps});
    }

    /** {nanoseconds an applier waited with an empty queue, nanoseconds it waited for its queue to fill}. */
    long[] idle(int applier) {
        return locked(() -> new long[]{emptyNanos[applier], fillNanos[applier]});
    }

    /** Transactions (a SPLIT_TRANS_RECS piece counting as one) dispatched and not yet committed. */
    int inFlight() {
        return locked(() -> pending);
    }

    /**
     * {transactions that waited for their dependencies (or, FULL, behind one that did), transactions assigned
     * while earlier ones waited}: a measure of dependency and of what passing gains.
     */
    long[] waits() {
        return locked(() -> new long[]{waits, passed});
    }

    /** Blocks until everything dispatched has committed (or an applier failed: throws its error). */
    void drain() throws InterruptedException {
        drain(Long.MAX_VALUE);
    }

    /**
     * As {@link #drain()}, for at most {@code nanos}: whether everything dispatched has committed (skipped units
     * count as committed).
     */
    boolean drain(long nanos) throws InterruptedException {
        lock.lock();
        try {
            draining = true;
            for (ApplierWake w : work) w.signal(); // a filling applier takes what its queue holds: no more is coming
            long left = nanos;
            while (!order.isEmpty()) {
                check();
                if (nanos == Long.MAX_VALUE) progress.await();
                else if (left <= 0) return false;
                else left = progress.awaitNanos(left);
            }
            return true;
        } finally {
            draining = false;
            lock.unlock();
        }
    }

    /** Appliers finish what is queued and then stop taking. */
    void close() {
        lock.lock();
        try {
            closed = true;
            wakeAll();
        } finally {
            lock.unlock();
        }
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private void check() {
        if (failure != null) throw failure;
    }
}
