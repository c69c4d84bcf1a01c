package io.redotrail.camel;

import io.redotrail.core.ThreadCpu;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A group consumer's read-ahead thread (the redo and trail consumers share it): reads the source's next items, on a
 * thread of the CamelContext's ExecutorServiceManager, while the route processes the one before, into a
 * {@link ReadAheadQueue} bounded in bytes. When the source has nothing new (a null item, or one {@code idle} says
 * carried nothing) the thread waits {@code idleMillis} or until stopped. A read failure is queued behind what was
 * read before it. {@link #stop} returns only once the thread has ended: the sources' readers are not thread-safe,
 * so the consumer closes them after it. Thread-safe as {@link ReadAheadQueue}: one reading thread, one taker.
 */
public final class ReadAhead<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

    /** The next item read from the source, or null when it has nothing new. */
    public interface Source<T> {
        T read() throws Exception;
    }

    private final ReadAheadQueue<T> queue;
    private final ExecutorService thread;
    private final CamelContext context;
    private final String threadName;
    /** The thread's CPU nanoseconds, set when it ends (for the stop line: reading and decoding cost that much). */
    private volatile long cpuNanos = -1;

    public ReadAhead(Object owner, CamelContext context, String threadName, int megabytes, long idleMillis, Source<T> source,
                     ToLongFunction<T> bytes, Predicate<T> idle) {
        this.context = context;
        this.threadName = threadName;
        this.queue = new ReadAheadQueue<>(megabytes * 1024L * 1024L);
        this.thread = context.getExecutorServiceManager().newSingleThreadExecutor(owner, threadName);
        thread.submit(() -> {
            long cpu = ThreadCpu.now();
            try {
                while (!queue.isClosed()) {
                    T item = source.read();
                    if (item != null && !queue.put(item, bytes.applyAsLong(item))) break;
                    if ((item == null || idle.test(item)) && queue.awaitClosed(idleMillis)) break;
                }
            } catch (Throwable e) {
                queue.fail(e); // taken after what was read before it, then the group abends
            } finally {
                cpuNanos = ThreadCpu.now() - cpu;
            }
        });
    }

    /** The next item read, null after {@code timeoutMillis} without one; throws the reader's failure in its turn. */
    public T take(long timeoutMillis) throws Exception {
        return queue.take(timeoutMillis);
    }

    /** Whether nothing read is waiting. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Drops what is queued (never processed, never checkpointed) and waits for the thread to end. */
    public void stop() {
        queue.close();
        long timeout = context.getShutdownStrategy().getTimeUnit().toMillis(context.getShutdownStrategy().getTimeout());
        context.getExecutorServiceManager().shutdownGraceful(thread, timeout);
        long cpu = cpuNanos;
        if (cpu >= 0) LOG.info("{}: read-ahead thread ended, CPU {} ms", threadName, cpu / 1_000_000);
    }
}
