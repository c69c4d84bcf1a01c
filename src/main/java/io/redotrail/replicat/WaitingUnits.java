package io.redotrail.replicat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parallel Replicat's transactions that are dispatched but not yet assigned to an applier, and the order in
 * which they are examined again after commits (see {@link ParallelScheduler}'s class comment for the rules).
 * DEPENDENT_TRANSACTIONS: each waits for what its {@link Blocked} answer named: a dependency (it is listed among that
 * one's dependents, re-examined when it is assigned or commits) or room on an applier (re-examined when that applier
 * commits). The re-examination runs in trail order, as one pass over every waiting unit would, but over those
 * whose state may have changed only: a pass over all of them cost the appliers a third of their CPU under the lock
 * (most of the bench's transactions wait, on its hot rows); the trail order decides which applier a freed
 * transaction joins (examining the queue-full ones first piled the work onto one applier). FULL: one queue in trail
 * order, assigned from its head up to the first that must still wait.
 * <p>
 * Not thread-safe: used only under the {@link ParallelScheduler}'s lock.
 */
final class WaitingUnits {
    /** Why an assignment did not queue a unit. */
    enum Blocked { NO, DEPENDENCIES, ROOM }

    /** Queues a unit on an applier if its dependencies and that applier's queue allow. */
    interface Assigner {
        Blocked assign(ParallelUnit u);
    }

    private static final Comparator<ParallelUnit> TRAIL_ORDER = Comparator.comparingLong(u -> u.ordinal);

    private final boolean full;
    private final int appliers;
    /** FULL: the units not yet assigned, in trail order. */
    private final ArrayDeque<ParallelUnit> fullWaiting = new ArrayDeque<>();
    /**
     * DEPENDENT_TRANSACTIONS: waiting units whose dependencies allow them but whose applier's queue is full, per
     * applier (index {@code appliers}: no dependency, every queue full).
     */
    private final List<Set<ParallelUnit>> roomWaiting = new ArrayList<>();
    /** Units to re-examine (something they waited for happened), in trail order. */
    private final TreeSet<ParallelUnit> recheck = new TreeSet<>(TRAIL_ORDER);
    private int count;

    WaitingUnits(boolean full, int appliers) {
        this.full = full;
        this.appliers = appliers;
        for (int i = 0; i <= appliers; i++) roomWaiting.add(new TreeSet<>(TRAIL_ORDER));
    }

    /** Units waiting. */
    int count() {
        return count;
    }

    /** FULL: a newly dispatched unit waits behind an earlier waiting one (none passes it). */
    boolean fullHoldsBack() {
        return full && !fullWaiting.isEmpty();
    }

    /** {@code u}, just dispatched, waits for what {@code b} names. */
    void add(ParallelUnit u, Blocked b) {
        count++;
        u.waiting = true;
        if (full) {
            fullWaiting.add(u);
            return;
        }
        for (ParallelUnit d : u.deps) {
            if (d.dependents == null) d.dependents = new ArrayList<>(2);
            d.dependents.add(u);
        }
        if (b == Blocked.ROOM) roomWaiting.get(u.roomOn).add(u);
    }

    /** {@code d} was assigned or committed: its waiting dependents are re-examined. */
    void wake(ParallelUnit d) {
        if (d.dependents == null) return;
        for (ParallelUnit w : d.dependents) if (w.waiting) recheck.add(w);
        if (d.done) d.dependents = null;
    }

    /**
     * Assigns what the last commits allow, in trail order: the woken units, and those waiting for room on an
     * applier that committed ({@code committedOn}) or on any. Each one assigned wakes its own dependents, later in
     * trail order, in the same pass. FULL: from the earliest waiting unit up to the first that must still wait.
     */
    void assignAfterCommits(boolean[] committedOn, Assigner assigner) {
        if (full) {
            while (!fullWaiting.isEmpty() && assigner.assign(fullWaiting.peekFirst()) == Blocked.NO) {
                fullWaiting.poll().waiting = false;
                count--;
            }
            return;
        }
        for (int i = 0; i <= appliers; i++) {
            if (i == appliers || committedOn[i]) {
                recheck.addAll(roomWaiting.get(i));
                roomWaiting.get(i).clear();
            }
        }
        ParallelUnit w;
        while ((w = recheck.pollFirst()) != null) {
            if (!w.waiting) continue;
            if (w.roomOn >= 0) roomWaiting.get(w.roomOn).remove(w);
            w.roomOn = -1;
            Blocked b = assigner.assign(w);
            if (b == Blocked.ROOM) {
                roomWaiting.get(w.roomOn).add(w);
            } else if (b == Blocked.NO) {
                w.waiting = false;
                count--;
                wake(w);
            }
        }
    }
}
