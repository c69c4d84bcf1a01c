package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.report.GroupStats;
import org.apache.camel.CamelContext;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stage-ahead for the serial Replicat: while one committer thread executes a group's JDBC batches, writes its
 * heartbeats and checkpoint row and commits ({@link GroupApplier}'s {@code executeAndCommit}), the route thread maps
 * and stages the next groups. On PostgreSQL the route thread's own work (mapping, statement shapes, dependency order)
 * then hides behind the server's round trips; on H2, which runs inside the calling thread, the two share the cores.
 * <p>
 * At most {@link #DEPTH} groups are with the committer, taken in the order handed over: one being committed and one
 * waiting, so that the committer goes on to the next group without waiting for the route thread to wake up. The owner
 * (the route thread, under the applier's lock) {@link #await}s the oldest before it hands over one more, and all of
 * them before anything else of its own touches the connection: a target table's first metadata lookup, a replay, an
 * apply statement by statement, an idle or caught-up commit, stop and abend. So the connection and its
 * {@link ChangeApplier} are used by one thread at a time, handed over through the Futures. Nothing is retried here:
 * a fast-path failure comes back rolled back (the route thread replays the group one operation at a time, as without
 * stage-ahead), any other failure comes back as it is and abends; after either the committer {@linkplain #halted()
 * runs nothing more} until the owner has taken every group back ({@link #resume()}), so no later group commits
 * before the failed one is replayed.
 * <p>
 * The thread is the CamelContext's ("Replicat GROUP committer"), made at the first hand-over. A pool stopped under
 * a waiting owner (a forced stop of the context) is an error, not a hang.
 */
final class GroupCommitter {
    /** Groups with the committer at most: one committing, one waiting. */
    static final int DEPTH = 2;

    /**
     * A group sealed for the committer: its transactions, staged batches, heartbeats, STATS tally and the XIDs its
     * checkpoint row lists (those of its last CSN, with the previous group's when that ended at the same CSN).
     */
    record Sealed(List<Transaction> txs, int skips, BatchSet batch, List<HeartbeatTables.Received> heartbeats,
                  GroupStats.Tally tally, Set<String> xids, Transaction applied) {
        Transaction last() {
            return txs.get(txs.size() - 1);
        }

        /**
         * The key of the group's discard records: its last transaction the commit makes applied (the last one when
         * none is, e.g. a group of re-read transactions the row already holds, which has no discards).
         */
        Transaction discardKey() {
            return applied != null ? applied : last();
        }
    }

    /**
     * What became of a sealed group: committed at {@code committedAt} (epoch ms), or its fast path failed and it was
     * rolled back ({@code replay}), or {@code error} (its outcome is unknown when the commit failed), or it was not run
     * ({@code notRun}: the committer had halted after an earlier group's failure). {@code cpuNanos}: the CPU time of
     * the thread that ran it, {@code wallNanos} the time it took, {@code committer} whether that was the committer's.
     */
    record Done(Sealed group, boolean replay, Throwable error, long committedAt, long cpuNanos, long wallNanos,
                boolean committer, boolean notRun) {
        boolean committed() {
            return !replay && error == null && !notRun;
        }
    }

    private final String group;
    private final CamelContext context;
    private final ArrayDeque<Future<Done>> inFlight = new ArrayDeque<>(DEPTH);
    private ExecutorService pool;
    private volatile boolean halted;

    GroupCommitter(String group, CamelContext context) {
        this.group = group;
        this.context = context;
    }

    /** Groups with the committer (done or not: {@link #await} tells). */
    int size() {
        return inFlight.size();
    }

    /** Hands {@code work} to the committer thread; the owner must have awaited the oldest when {@link #DEPTH} are there. */
    void submit(Callable<Done> work) {
        if (inFlight.size() >= DEPTH) throw new IllegalStateException(group + ": " + DEPTH + " groups are already with the committer");
        if (pool == null) {
            pool = context != null
                    ? context.getExecutorServiceManager().newSingleThreadExecutor(this, "Replicat " + group + " committer")
                    : Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "Replicat " + group + " committer");
                        t.setDaemon(true);
                        return t;
                    });
        }
        inFlight.add(pool.submit(work));
    }

    /** On the committer's thread: a group failed, run nothing more until the owner resumes. */
    void halt() {
        halted = true;
    }

    /** Whether the committer has halted after a failure (its later groups come back not run). */
    boolean halted() {
        return halted;
    }

    /** The owner took every group back: the committer may run groups again. */
    void resume() {
        if (!inFlight.isEmpty()) throw new IllegalStateException(group + ": groups are still with the committer");
        halted = false;
    }

    /** The oldest group with the committer once it is done, or null when there is none. */
    Done await() throws InterruptedException {
        Future<Done> f = inFlight.peek();
        if (f == null) return null;
        while (true) {
            try {
                Done d = f.get(100, TimeUnit.MILLISECONDS);
                inFlight.poll();
                return d;
            } catch (TimeoutException e) {
                if (pool.isTerminated() && !f.isDone()) {
                    inFlight.clear();
                    throw new IllegalStateException(group + ": the committer's thread pool stopped before the group"
                            + " it held was committed; the group is applied again at the next start");
                }
            } catch (CancellationException e) {
                inFlight.clear();
                throw new IllegalStateException(group + ": the committer's work was cancelled before the group it held"
                        + " was committed; the group is applied again at the next start", e);
            } catch (ExecutionException e) {
                inFlight.clear(); // the work catches everything it throws: only the pool's own failures arrive here
                throw new IllegalStateException(group + ": the committer failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * {@link #await} that an interrupt does not end (the interrupt status is kept for the caller): before the owner
     * rolls back or closes the connection, the group being committed on it must be done.
     */
    Done awaitUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread (at the group's stop, after every group was awaited). */
    void close() {
        if (pool != null) ParallelMappers.shutdown(context, pool, group, "committer");
        pool = null;
        inFlight.clear();
        halted = false;
    }
}
