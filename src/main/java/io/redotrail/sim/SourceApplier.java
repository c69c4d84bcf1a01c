package io.redotrail.sim;

import io.redotrail.core.RowChange;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Applies groups of committed transactions to the {@link SourceDatabase} on its own thread, in the order
 * they were submitted, so that generating the next group overlaps with H2 work on the previous one. The
 * queue is bounded (back-pressure) and a failure on the apply thread is rethrown to the submitter.
 * <p>
 * Thread-safety: one submitting thread; while the applier runs, no other thread may use the database.
 */
final class SourceApplier implements AutoCloseable {
    /** A group of committed transactions and the SCN up to which the redo's commits are in it or before it. */
    record Group(List<List<RowChange>> transactions, long appliedScn) {
    }

    private static final Group END = new Group(List.of(), -1);

    private final SourceDatabase db;
    private final BlockingQueue<Group> queue;
    private final Thread thread;
    private volatile RuntimeException failure;

    SourceApplier(SourceDatabase db, int queuedGroups) {
        this.db = db;
        this.queue = new ArrayBlockingQueue<>(queuedGroups);
        this.thread = new Thread(this::loop, "redotrail-source-applier");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a group (the list is owned by the applier from now on); waits while the queue is full. */
    void submit(Group group) {
        put(group);
    }

    /** Waits until every submitted group is applied; rethrows an apply failure. */
    void finish() {
        put(END);
        join();
        throwIfFailed();
    }

    /**
     * Lets the apply thread finish the groups already queued (their redo is flushed) and stop; used when the
     * generator itself fails. No interrupt: an interrupted H2 file write would close the database file.
     */
    @Override
    public void close() {
        try {
            while (thread.isAlive() && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
                // the applier is busy on a full queue; keep trying while it lives
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        join();
    }

    private void put(Group group) {
        try {
            // poll with a timeout so a dead applier cannot leave the submitter blocked on a full queue
            while (!queue.offer(group, 100, TimeUnit.MILLISECONDS)) {
                throwIfFailed();
            }
            throwIfFailed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing commits to the source database", e);
        }
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the source database", e);
        }
    }

    private void throwIfFailed() {
        RuntimeException f = failure;
        if (f != null) {
            throw new IllegalStateException("applying commits to the source database failed: " + f.getMessage(), f);
        }
    }

    private void loop() {
        try {
            while (true) {
                Group group = queue.take();
                if (group == END) return;
                db.apply(group.transactions(), group.appliedScn());
            }
        } catch (InterruptedException e) {
            failure = new IllegalStateException("source applier interrupted", e);
        } catch (RuntimeException e) {
            failure = e;
        }
    }
}
