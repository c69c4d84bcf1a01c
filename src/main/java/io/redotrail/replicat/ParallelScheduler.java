package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.replicat.WaitingUnits.Blocked;

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

    private final boolean full;
    private final int maxQueue;
    private final int pieceOps;
    /** The trail thread's waits at the in-flight limit, nanoseconds, and when the current one began (0: none). */
    private long blockedNanos, blockedSince;
    /** Independent transactions that found every active applier's queue full. */
    private long roomWaits;
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
    /** The appliers' queues, which of them take work, their wake-ups. */
    private final ApplierQueues appliers;
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
        this.fillWait = fillWait;
        this.appliers = new ApplierQueues(appliers, active, lock);
        this.full = full;
        this.maxQueue = Math.max(1, maxQueueOps);
        this.pieceOps = pieceOps;
        this.waiting = new WaitingUnits(full, appliers);
        this.progress = lock.newCondition();
    }

    /** Operations in flight beyond which the trail thread waits: a queue's worth per active applier. */
    private long maxInFlight() {
        return (long) maxQueue * appliers.active();
    }

    /** The in-flight limit for {@code u}: a SPLIT_TRANS_RECS piece waits only until a piece per applier fits. */
    private long limitFor(ParallelUnit u) {
        return u.piece == null ? maxInFlight() : Math.max(maxInFlight(), (long) pieceOps * appliers.active());
    }

    /** Takes a transaction (trail order): assigned at once when its dependencies allow, else waiting; blocks while too many are in flight. */
    void dispatch(ParallelUnit u) throws InterruptedException {
        lock.lock();
        try {
            if (pendingOps >= maxInFlight()) appliers.wakeAll(); // filling appliers: no more is coming
            if (pendingOps >= limitFor(u)) {
                blockedSince = System.nanoTime();
                try {
                    while (pendingOps >= limitFor(u)) {
                        check();
                        progress.await();
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
            if (d.applier < 0 || !appliers.takesWork(d.applier) || (target >= 0 && d.applier != target)) return Blocked.DEPENDENCIES;
            target = d.applier;
        }
        if (target < 0) target = appliers.leastLoaded();
        int load = appliers.load(target);
        if (load > 0 && load + u.ops() > maxQueue) {
            u.roomOn = deps.isEmpty() ? appliers.size() : target;
            if (deps.isEmpty()) roomWaits++;
            return Blocked.ROOM;
        }
        u.applier = target;
        u.deps = List.of();
        appliers.add(target, u);
        return Blocked.NO;
    }

    /**
     * The next work of an applier, in its queue order: one transaction (FULL) or as many as fit in
     * {@code maxOps} operations (at least one); null once closed and empty.
     */
    List<ParallelUnit> take(int applier, int maxOps) throws InterruptedException {
        lock.lock();
        try {
            ApplierWake wake = appliers.wake(applier);
            appliers.emptyWaitBegins(applier, System.nanoTime());
            try {
                while (appliers.isEmpty(applier)) {
                    if (closed || failure != null) return null;
                    // retired, its queue done: the worker stops (its commits all reported)
                    if (appliers.stopIfRetired(applier)) return null;
                    wake.await();
                }
            } finally {
                appliers.emptyWaitEnds(applier, System.nanoTime()); // the last wait, ended by close, too
            }
            long t1 = System.nanoTime();
            // a queue fed slower than it is applied would commit a few transactions at a time: wait a moment for a
            // commit's worth (commits and small batches cost CPU the trail thread needs), unless nothing more can come
            long left = fillWait;
            int fill = Math.min(maxOps, maxQueue / 2);
            appliers.filling(applier, fill, t1);
            while (!full && appliers.queued(applier) < fill && left > 0 && !closed && failure == null
                    && pendingOps < maxInFlight() && !draining && appliers.takesWork(applier)) {
                left = wake.awaitNanos(left);
            }
            appliers.filling(applier, 0, t1);
            return appliers.poll(applier, maxOps, full);
        } finally {
            lock.unlock();
        }
    }

    /** FULL: blocks until every transaction dispatched before {@code u} has committed. */
    void awaitTurn(ParallelUnit u) throws InterruptedException {
        lock.lock();
        try {
            if (order.first() == u) return;
            // idle for the tuner: commits in trail order, not connections, bound this applier meanwhile
            appliers.turnWaitBegins(u.applier, System.nanoTime());
            try {
                while (order.first() != u) {
                    check();
                    progress.await();
                }
            } finally {
                appliers.turnWaitEnds(u.applier, System.nanoTime());
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
     * (retired, draining its queue): true. False when it needs a new worker: the caller opens its connection, calls
     * {@link #added()} and only then starts it (a worker that looks before would find itself retired and stop). Only
     * the trail thread adds and retires appliers.
     */
    boolean resume() {
        lock.lock();
        try {
            if (!appliers.resume()) return false;
            addedApplier();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next applier takes work (its worker about to start, or resumed); what waited for room is examined again. */
    void added() {
        lock.lock();
        try {
            appliers.added();
            addedApplier();
        } finally {
            lock.unlock();
        }
    }

    private void addedApplier() {
        waiting.assignAfterCommits(new boolean[appliers.size()], this::assign); // those that found every queue full
        progress.signalAll(); // a larger in-flight window
    }

    /**
     * The last active applier takes no new work: it applies and commits what its queue holds, then its worker stops
     * ({@link #take} returns null). What depends on its work waits for those commits.
     */
    void retire() {
        lock.lock();
        try {
            appliers.retire(); // woken if it waits for work, or for its queue to fill
        } finally {
            lock.unlock();
        }
    }

    /** Appliers taking new work. */
    int active() {
        return locked(appliers::active);
    }

    /**
     * What {@link ApplierTuner} measures, cumulative: over the active appliers, nanoseconds waiting for work (an
     * empty queue, or less than a commit's worth in it) or, FULL, for their turn to commit (the current waits up to
     * {@code now} included); the trail thread's waits at the in-flight limit;
     * independent transactions that found every queue full; operations committed.
     */
    record Load(int active, long idleNanos, long blockedNanos, long roomWaits, long committedOps) {
    }

    Load load(long now) {
        lock.lock();
        try {
            return new Load(appliers.active(), appliers.activeIdleNanos(now),
                    blockedNanos + (blockedSince == 0 ? 0 : now - blockedSince), roomWaits, committedOps);
        } finally {
            lock.unlock();
        }
    }

    /** An applier committed these units. */
    void completed(List<ParallelUnit> units) {
        lock.lock();
        try {
            boolean[] committedOn = new boolean[appliers.size()];
            for (ParallelUnit u : units) {
                committedOn[u.applier] = true;
                u.done = true;
                pending--;
                pendingOps -= u.ops();
                appliers.committed(u);
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
        appliers.wakeAll();
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
        return locked(() -> appliers.idle(applier));
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
            appliers.wakeAll(); // a filling applier takes what its queue holds: no more is coming
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
