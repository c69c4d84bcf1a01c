package io.redotrail.camel;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between a group consumer's read-ahead thread (producer) and its route thread (consumer), bounded in
 * bytes: {@link #put} waits while the items queued plus the new one would exceed {@code maxBytes} (an item larger
 * than the bound alone goes in only when the queue is empty), so the reader never runs further ahead of the route
 * than the bound. A failure of the reader ({@link #fail}) is queued behind what it read before and thrown by
 * {@link #take} in its turn: the route processes every item read before the failure, then nothing after it.
 * {@link #close} (at stop) wakes both sides and drops what is queued; nothing queued was processed, so nothing of it
 * was checkpointed. One producer, one consumer.
 */
public final class ReadAheadQueue<T> {
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry<T>> items = new ArrayDeque<>();
    private long queuedBytes;
    private boolean closed;
    private boolean failed;

    private record Entry<T>(T item, long bytes, Throwable failure) {
    }

    public ReadAheadQueue(long maxBytes) {
        if (maxBytes < 1) throw new IllegalArgumentException("read-ahead bound must be at least 1 byte, not " + maxBytes);
        this.maxBytes = maxBytes;
    }

    /** Queues {@code item} of {@code bytes}, waiting for room; false (item dropped) when the queue was closed. */
    public boolean put(T item, long bytes) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && !items.isEmpty() && queuedBytes + bytes > maxBytes) changed.await();
            if (closed) return false;
            if (failed) throw new IllegalStateException("read-ahead already failed: nothing may follow the failure");
            items.addLast(new Entry<>(item, bytes, null));
            queuedBytes += bytes;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues the reader's failure behind its items, whatever the bound: {@link #take} throws it in its turn. */
    public void fail(Throwable failure) {
        lock.lock();
        try {
            if (closed || failed) return;
            failed = true;
            items.addLast(new Entry<>(null, 0, failure));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next item, or null when none came within {@code timeoutMillis} or the queue is closed. Throws the
     * reader's failure (as it was thrown: unchecked or checked) when it is next.
     */
    public T take(long timeoutMillis) throws Exception {
        Entry<T> e;
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!closed && items.isEmpty()) {
                if (nanos <= 0) return null;
                nanos = changed.awaitNanos(nanos);
            }
            if (closed) return null;
            e = items.peekFirst();
            if (e.failure == null) {
                items.pollFirst();
                queuedBytes -= e.bytes;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (e.failure == null) return e.item;
        if (e.failure instanceof Exception ex) throw ex;
        if (e.failure instanceof Error err) throw err;
        throw new IllegalStateException(e.failure);
    }

    /** Waits up to {@code millis} (the reader's idle wait) or until closed; true when closed. */
    public boolean awaitClosed(long millis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!closed && nanos > 0) nanos = changed.awaitNanos(nanos);
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Stops both sides: a waiting {@link #put} returns false, {@link #take} null; what was queued is dropped. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            items.clear();
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether nothing is queued now (a queued failure counts as something). */
    public boolean isEmpty() {
        lock.lock();
        try {
            return items.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the items queued now (not counting the item the consumer took last). */
    public long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }
}
