package io.redotrail.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * One log writer per source database: an exclusive OS lock on {@code <redoDir>/lgwr.lock}, held by whoever has the
 * redo threads open for writing — a workload ({@code simulate}, {@code demo}, a scenario) for its whole run, the
 * heartbeat job ({@link SourceHeartbeat}) for one heartbeat — so two writers never append to the same online log.
 * <p>
 * OS locks belong to the process, and POSIX drops all of them when any descriptor of the file closes; so within
 * this JVM the holders are kept in one registry and the file is opened only by the holder. Thread-safe (one
 * monitor); the registry is per JVM on purpose, as the OS lock is per process.
 */
public final class RedoWriterLock implements AutoCloseable {
    private static final Set<Path> HELD = new HashSet<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RedoWriterLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    public static Path pathOf(Path redoDir) {
        return redoDir.toAbsolutePath().normalize().resolve("lgwr.lock");
    }

    /** Waits for the lock (another writer finishes first). */
    public static RedoWriterLock acquire(Path redoDir) {
        return take(redoDir, true);
    }

    /** The lock, or null at once when another writer holds it. */
    public static RedoWriterLock tryAcquire(Path redoDir) {
        return take(redoDir, false);
    }

    private static RedoWriterLock take(Path redoDir, boolean wait) {
        Path file = pathOf(redoDir);
        synchronized (HELD) {
            while (HELD.contains(file)) {
                if (!wait) return null;
                try {
                    HELD.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the redo writer lock " + file, e);
                }
            }
            HELD.add(file);
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = wait ? ch.lock() : ch.tryLock();
            if (l == null) {
                ch.close();
                release(file);
                return null;
            }
            return new RedoWriterLock(file, ch, l);
        } catch (IOException | RuntimeException e) {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // the lock failure is what matters
            }
            release(file);
            if (e instanceof IOException io) throw new UncheckedIOException("cannot lock " + file, io);
            throw (RuntimeException) e;
        }
    }

    private static void release(Path file) {
        synchronized (HELD) {
            HELD.remove(file);
            HELD.notifyAll();
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file, e);
        } finally {
            release(file);
        }
    }
}
