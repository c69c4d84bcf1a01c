package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.replicat.ChangeStatements.Stmt;
import io.redotrail.replicat.ParallelKeys.Key;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parallel Replicat's scheduler: the trail thread {@link #dispatch}es source transactions in trail order,
 * APPLY_PARALLELISM appliers {@link #take} them from their own queues, apply them and report them
 * {@link #completed}.
 * <p>
 * Dependencies ({@link ParallelKeys}): at dispatch a transaction depends on the in-flight transactions that last
 * touched one of its keys (a whole-table key conflicts with every key of the table); they are earlier in trail
 * order, and dependency is transitive through them. A transaction is <em>assigned</em> to an applier once each
 * of its dependencies is committed or assigned, and those still uncommitted are all on one applier: it is queued
 * behind them on that applier (one connection applies and commits in queue order, so it cannot pass them);
 * without any, it goes to the applier with the shortest queue. Until then it waits in {@code waiting} (trail
 * order), re-examined at every commit. So a dependent transaction is never applied nor committed before the one
 * it depends on.
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
 * empty queue), and at most {@code 2 * maxQueue * appliers} operations are in flight (waiting, queued or being
 * applied): {@link #dispatch} blocks beyond that. The Replicat sizes it at twice GROUPTRANSOPS, so an applier
 * finds a whole GROUPTRANSOPS group in its queue and commits as rarely as the serial Replicat: on a target whose
 * commits wait for a disk flush, committing every few dozen transactions cost more than the parallelism gained.
 * <p>
 * Low watermark: the last transaction of the longest prefix (in trail order) of committed transactions;
 * everything at or before it is applied. Beyond it, commits are out of trail order; each one's _LOX row says
 * it is applied ({@link ParallelCheckpoints}).
 * <p>
 * Thread-safe: every method synchronizes on this object; waits are {@code wait()}s woken by every completion,
 * failure and {@link #close}. An applier's failure makes every later call throw it.
 */
final class ParallelScheduler {
    /** One source transaction: its statements (mapped), its keys, its place in trail order and its applier. */
    static final class Unit {
        final Transaction tx;
        final List<Stmt> stmts;
        final Set<Key> keys;
        long ordinal;
        int applier = -1;
        boolean done;
        /** Its heartbeat records, taken out before MAP: written with it by its applier (GG_HEARTBEAT rows are in its keys). */
        final List<HeartbeatTables.Received> heartbeats;
        /** The in-flight transactions it depends on (pruned as they commit). */
        Set<Unit> deps = Set.of();
        /**
         * Per change: its {@link OperationReplayer.Resolved} target and image, or the {@link ApplyError} resolving it
         * raised, for a replay ({@link ParallelReplay}); {@code unresolved} when a change has no statement in
         * {@code stmts} (it is decided by REPERROR in a replay, never applied by the fast path).
         */
        Object[] resolved;
        boolean unresolved;

        Unit(Transaction tx, List<Stmt> stmts, Set<Key> keys) {
            this(tx, stmts, keys, List.of());
        }

        Unit(Transaction tx, List<Stmt> stmts, Set<Key> keys, List<HeartbeatTables.Received> heartbeats) {
            this.tx = tx;
            this.stmts = stmts;
            this.keys = keys;
            this.heartbeats = heartbeats;
        }

        /** Its weight in queues: its statements and its heartbeats (each writes GG_HEARTBEAT and its history). */
        int ops() {
            return stmts.size() + heartbeats.size();
        }
    }

    private final int appliers;
    private final boolean full;
    private final int maxQueue;
    private final int maxInFlight;
    private final List<ArrayDeque<Unit>> queues = new ArrayList<>();
    /** Operations queued on each applier, taken or not, until committed. */
    private final int[] load;
    /** The last in-flight unit that touched a row key. */
    private final Map<Key, Unit> owner = new HashMap<>();
    /** In-flight units per table, and the last in-flight unit holding a table's whole-table key. */
    private final Map<String, Set<Unit>> byTable = new HashMap<>();
    private final Map<String, Unit> wholeOwner = new HashMap<>();
    /** Dispatched units not yet below the low watermark, in trail order. */
    private final ArrayDeque<Unit> order = new ArrayDeque<>();
    /** Dispatched units not yet assigned to an applier, in trail order. */
    private final List<Unit> waiting = new LinkedList<>();
    private long nextOrdinal;
    private Unit lowWatermark;
    private long waits, passed;
    private long committedTx, committedOps;
    private int pending;
    private long pendingOps;
    private RuntimeException failure;
    private boolean closed;

    ParallelScheduler(int appliers, boolean full, int maxQueueOps) {
        this.appliers = appliers;
        this.full = full;
        this.maxQueue = Math.max(1, maxQueueOps);
        this.maxInFlight = 2 * this.maxQueue * appliers;
        this.load = new int[appliers];
        for (int i = 0; i < appliers; i++) queues.add(new ArrayDeque<>());
    }

    /** Takes a transaction (trail order): assigned at once when its dependencies allow, else waiting; blocks while too many are in flight. */
    synchronized void dispatch(Unit u) throws InterruptedException {
        while (pendingOps >= maxInFlight) {
            check();
            wait();
        }
        check();
        u.ordinal = nextOrdinal++;
        u.deps = conflicts(u);
        for (Key k : u.keys) {
            if (k.cols() == null) wholeOwner.put(k.table(), u);
            else owner.put(k, u);
            byTable.computeIfAbsent(k.table(), t -> new HashSet<>()).add(u);
        }
        order.add(u);
        pending++;
        pendingOps += u.ops();
        if ((full && !waiting.isEmpty()) || !assign(u)) {
            waits++;
            waiting.add(u);
        } else if (!waiting.isEmpty()) {
            passed++;
        }
    }

    private Set<Unit> conflicts(Unit u) {
        Set<Unit> out = new HashSet<>();
        for (Key k : u.keys) {
            if (k.cols() == null) {
                Set<Unit> all = byTable.get(k.table());
                if (all != null) out.addAll(all);
            } else {
                Unit o = owner.get(k);
                if (o != null) out.add(o);
                Unit w = wholeOwner.get(k.table());
                if (w != null) out.add(w);
            }
        }
        return out;
    }

    /** Queues {@code u} on an applier if its dependencies allow (see the class comment); false when it must wait. */
    private boolean assign(Unit u) {
        int target = -1;
        for (Iterator<Unit> it = u.deps.iterator(); it.hasNext(); ) {
            Unit d = it.next();
            if (d.done) {
                it.remove();
                continue;
            }
            if (d.applier < 0 || (target >= 0 && d.applier != target)) return false;
            target = d.applier;
        }
        if (target < 0) {
            for (int i = 0; i < appliers; i++) if (target < 0 || load[i] < load[target]) target = i;
        }
        if (load[target] > 0 && load[target] + u.ops() > maxQueue) return false;
        u.applier = target;
        u.deps = Set.of();
        queues.get(target).add(u);
        load[target] += u.ops();
        notifyAll();
        return true;
    }

    /** After a commit: assigns the waiting units their dependencies now allow, in trail order (FULL: up to the first that must still wait). */
    private void assignWaiting() {
        for (Iterator<Unit> it = waiting.iterator(); it.hasNext(); ) {
            if (assign(it.next())) it.remove();
            else if (full) return;
        }
    }

    /**
     * The next work of an applier, in its queue order: one transaction (FULL) or as many as fit in
     * {@code maxOps} operations (at least one); null once closed and empty.
     */
    synchronized List<Unit> take(int applier, int maxOps) throws InterruptedException {
        ArrayDeque<Unit> q = queues.get(applier);
        while (q.isEmpty()) {
            if (closed || failure != null) return null;
            wait();
        }
        List<Unit> out = new ArrayList<>();
        int ops = 0;
        while (!q.isEmpty() && (out.isEmpty() || !full && ops + q.peek().ops() <= maxOps)) {
            Unit u = q.poll();
            ops += u.ops();
            out.add(u);
        }
        return out;
    }

    /** FULL: blocks until every transaction dispatched before {@code u} has committed. */
    synchronized void awaitTurn(Unit u) throws InterruptedException {
        while (order.peekFirst() != u) {
            check();
            wait();
        }
    }

    /**
     * A transaction the checkpoint table says is applied (a _LOX row: committed above the low watermark before a
     * restart): it takes its place in trail order as committed, so the low watermark can pass it.
     */
    synchronized void skipped(Transaction tx) {
        Unit u = new Unit(tx, List.of(), Set.of());
        u.ordinal = nextOrdinal++;
        u.done = true;
        order.add(u);
        advance();
    }

    private void advance() {
        while (!order.isEmpty() && order.peekFirst().done) lowWatermark = order.poll();
        notifyAll();
    }

    /** An applier committed these units. */
    synchronized void completed(List<Unit> units) {
        for (Unit u : units) {
            u.done = true;
            pending--;
            pendingOps -= u.ops();
            load[u.applier] -= u.ops();
            committedTx++;
            committedOps += u.tx.size();
            for (Key k : u.keys) {
                if (k.cols() == null) wholeOwner.remove(k.table(), u);
                else owner.remove(k, u);
                Set<Unit> s = byTable.get(k.table());
                if (s != null && s.remove(u) && s.isEmpty()) byTable.remove(k.table());
            }
        }
        assignWaiting();
        advance();
    }

    /** An applier failed: every waiting and later call throws {@code e}. */
    synchronized void failed(RuntimeException e) {
        if (failure == null) failure = e;
        notifyAll();
    }

    synchronized RuntimeException failure() {
        return failure;
    }

    /** The last transaction of the committed prefix, or null when none has committed in this run. */
    synchronized Transaction lowWatermark() {
        return lowWatermark == null ? null : lowWatermark.tx;
    }

    /** {transactions, operations} committed by the appliers so far. */
    synchronized long[] committed() {
        return new long[]{committedTx, committedOps};
    }

    /** Transactions dispatched and not yet committed. */
    synchronized int inFlight() {
        return pending;
    }

    /**
     * {transactions that waited for their dependencies (or, FULL, behind one that did), transactions assigned
     * while earlier ones waited}: a measure of dependency and of what passing gains.
     */
    synchronized long[] waits() {
        return new long[]{waits, passed};
    }

    /** Blocks until everything dispatched has committed (or an applier failed: throws its error). */
    synchronized void drain() throws InterruptedException {
        while (!order.isEmpty()) {
            check();
            wait();
        }
    }

    /** Appliers finish what is queued and then stop taking. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void check() {
        if (failure != null) throw failure;
    }
}
