package io.redotrail.trail;

import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A {@link TrailWriter}'s fsync run on another thread, so the writer's caller encodes and writes the next batch
 * while the disk makes the last one durable. At most one force is in flight: {@link #force} waits for the one
 * before (rethrowing its failure) before it starts the next, so the {@code durable} actions run one after another,
 * in append order, each only once every byte appended before it is on disk. A failed force is kept and rethrown by
 * every later {@link #await}/{@link #force}: nothing after it is ever confirmed.
 * <p>
 * Thread-safety: {@link #force} and {@link #await} are called by the writer's one owning thread; the force and the
 * {@code durable} action run on the executor's thread. The future's completion orders the two (happens-before), so
 * what the action wrote is visible to the owner once {@link #await} returned. The executor is the owner's (the
 * trail producer's, from the CamelContext): this class starts no thread of its own.
 */
final class TrailForcer {
    private final Executor executor;
    private final Runnable onFailure;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    /** {@code onFailure} runs on the executor's thread when a force or durable action fails (at once, not at the next await). */
    TrailForcer(Executor executor, Runnable onFailure) {
        this.executor = executor;
        this.onFailure = onFailure;
    }

    /**
     * Waits for the force in flight, then forces {@code ch} (when not null: a batch that wrote nothing has nothing
     * to force) on the executor's thread and runs {@code durable} there once it returned, with the position and
     * last CSN the writer had after this batch. {@code file} and {@code rba} name the bytes when the force fails.
     */
    void force(FileChannel ch, Path file, long rba, TrailPosition position, Scn lastCsn, TrailSink.Durable durable) {
        await();
        inFlight = CompletableFuture.runAsync(() -> {
            try {
                if (ch != null) ch.force(false);
                durable.at(position, lastCsn);
            } catch (IOException e) {
                onFailure.run();
                throw new UncheckedIOException("cannot force (fsync) trail file " + file + " up to RBA " + rba
                        + "; nothing from this batch on is confirmed or checkpointed", e);
            } catch (RuntimeException | Error e) {
                onFailure.run();
                throw e;
            }
        }, executor);
    }

    /** True while a force (or its durable action) has not finished. */
    boolean busy() {
        return !inFlight.isDone();
    }

    /**
     * Waits for the force in flight and its durable action; rethrows their failure (an {@link UncheckedIOException}
     * naming the trail file for a failed force). Waits through interrupts (the file must not be closed under a
     * running force) and restores the interrupt after.
     */
    void await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    inFlight.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw unwrap(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** True when the last force or its durable action failed (without waiting). */
    boolean failed() {
        return inFlight.isCompletedExceptionally();
    }

    private static RuntimeException unwrap(Throwable t) {
        if (t instanceof CompletionException c && c.getCause() != null) t = c.getCause();
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
