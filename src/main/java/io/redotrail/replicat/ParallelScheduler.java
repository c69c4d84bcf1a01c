package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.replicat.ChangeStatements.Stmt;
import io.redotrail.replicat.ParallelKeys.Key;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parallel Replicat's scheduler: the trail thread {@link #dispatch}es source transactions in trail order,
 * APPLY_PARALLELISM appliers {@link #take} them from their own queues, apply them and report them
 * {@link #completed}.
 * <p>
 * Dependencies ({@link ParallelKeys}): a transaction that shares a key with transactions still in flight on
 * <em>one</em> applier is queued behind them on that applier (one connection applies in queue order, so it
 * cannot pass them); one that shares keys with transactions in flight on <em>several</em> appliers waits until
 * at most one of those appliers still holds them. A whole-table key conflicts with every key of the table.
 * Independent transactions go to the applier with the shortest queue. So a dependent transaction is never
 * applied nor committed before the one it depends on.
 * <p>
 * COMMIT_SERIALIZATION FULL: each applier takes one transaction at a time and commits only when every earlier
 * transaction has committed ({@link #awaitTurn}); the appliers still apply in parallel. DEPENDENT_TRANSACTIONS:
 * an applier takes what its queue holds (up to a number of operations) and commits it as one target
 * transaction.
 * <p>
 * Low watermark: the last transaction of the longest prefix (in trail order) of committed transactions;
 * everything at or before it is applied.
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

        Unit(Transaction tx, List<Stmt> stmts, Set<Key> keys) {
            this.tx = tx;
            this.stmts = stmts;
            this.keys = keys;
        }
    }

    private final int appliers;
    private final boolean full;
    private final int maxQueue;
    private final List<ArrayDeque<Unit>> queues = new ArrayList<>();
    private final int[] load;
    /** The last in-flight unit that touched a row key. */
    private final Map<Key, Unit> owner = new HashMap<>();
    /** In-flight units per table, and the last in-flight unit holding a table's whole-table key. */
    private final Map<String, Set<Unit>> byTable = new HashMap<>();
    private final Map<String, Unit> wholeOwner = new HashMap<>();
    /** Dispatched units not yet below the low watermark, in trail order. */
    private final ArrayDeque<Unit> order = new ArrayDeque<>();
    private long nextOrdinal;
    private Unit lowWatermark;
    private long waits;
    private long committedTx, committedOps;
    private int pending;
    private RuntimeException failure;
    private boolean closed;

    ParallelScheduler(int appliers, boolean full, int maxQueue) {
        this.appliers = appliers;
        this.full = full;
        this.maxQueue = Math.max(1, maxQueue);
        this.load = new int[appliers];
        for (int i = 0; i < appliers; i++) queues.add(new ArrayDeque<>());
    }

    /** Queues a transaction (trail order) once its dependencies allow; blocks while they do not or its queue is full. */
    synchronized void dispatch(Unit u) throws InterruptedException {
        boolean waited = false;
        while (true) {
            check();
            Set<Integer> on = new HashSet<>();
            for (Unit c : conflicts(u)) on.add(c.applier);
            int target = -1;
            if (on.size() == 1) {
                target = on.iterator().next();
            } else if (on.isEmpty()) {
                for (int i = 0; i < appliers; i++) if (target < 0 || load[i] < load[target]) target = i;
            }
            if (target >= 0 && load[target] < maxQueue) {
                enqueue(u, target);
                return;
            }
            if (!waited && target < 0) waits++;
            waited = true;
            wait();
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

    private void enqueue(Unit u, int target) {
        u.ordinal = nextOrdinal++;
        u.applier = target;
        for (Key k : u.keys) {
            if (k.cols() == null) wholeOwner.put(k.table(), u);
            else owner.put(k, u);
            byTable.computeIfAbsent(k.table(), t -> new HashSet<>()).add(u);
        }
        queues.get(target).add(u);
        load[target]++;
        order.add(u);
        pending++;
        notifyAll();
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
        while (!q.isEmpty() && (out.isEmpty() || !full && ops + q.peek().stmts.size() <= maxOps)) {
            Unit u = q.poll();
            ops += u.stmts.size();
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
            load[u.applier]--;
            committedTx++;
            committedOps += u.tx.size();
            for (Key k : u.keys) {
                if (k.cols() == null) wholeOwner.remove(k.table(), u);
                else owner.remove(k, u);
                Set<Unit> s = byTable.get(k.table());
                if (s != null && s.remove(u) && s.isEmpty()) byTable.remove(k.table());
            }
        }
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

    /** How often a transaction waited for transactions on two or more appliers (a measure of dependency). */
    synchronized long waits() {
        return waits;
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
