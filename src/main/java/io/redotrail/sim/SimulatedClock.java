package io.redotrail.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that only moves when told to ({@link #advance}), shared by every process of one home: its time is
 * the text file {@code <home>/redo/clock} ("epoch millis" + newline), replaced atomically (temp file + rename)
 * under an exclusive lock on {@code clock.lock}, so the simulator, a scenario runner and the extract agree on
 * "now". Each {@link #millis()} reads the file (a few microseconds); a missing file starts at {@code start}.
 * Thread-safe.
 */
public final class SimulatedClock extends Clock {
    /** Where a new simulated clock starts when the home has none: 2014-06-21T18:00:00Z (seed 002's evening). */
    public static final Instant DEFAULT_START = Instant.parse("2014-06-21T18:00:00Z");

    private final Path file;
    private final ZoneId zone;
    private final long start;

    private SimulatedClock(Path file, ZoneId zone, long start) {
        this.file = file;
        this.zone = zone;
        this.start = start;
    }

    /** The clock of a redotrail home ({@code <home>/redo/clock}), starting at {@link #DEFAULT_START} if new. */
    public static SimulatedClock of(Path home) {
        return at(home.resolve("redo").resolve("clock"), DEFAULT_START);
    }

    /** A clock persisted in {@code file}, starting at {@code start} when the file does not exist yet. */
    public static SimulatedClock at(Path file, Instant start) {
        return new SimulatedClock(file, ZoneOffset.UTC, start.toEpochMilli());
    }

    public Path file() {
        return file;
    }

    @Override
    public long millis() {
        try {
            String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            return Long.parseLong(s);
        } catch (NoSuchFileException e) {
            return start;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulated clock " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("simulated clock " + file + " does not hold epoch millis: " + e.getMessage());
        }
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    /** Moves the shared time forward by {@code d} (>= 0) and returns the new time. */
    public Instant advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("a clock cannot go back: " + d);
        return update(now -> now + d.toMillis());
    }

    /** Sets the shared time to {@code t} unless it is already later (time never goes back); returns the new time. */
    public Instant advanceTo(Instant t) {
        return update(now -> Math.max(now, t.toEpochMilli()));
    }

    private Instant update(java.util.function.LongUnaryOperator f) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path lock = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                long next = f.applyAsLong(millis());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer b = ByteBuffer.wrap((next + "\n").getBytes(StandardCharsets.UTF_8));
                    while (b.hasRemaining()) out.write(b);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("file system cannot rename atomically: " + file, e);
                }
                return Instant.ofEpochMilli(next);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot advance simulated clock " + file, e);
        }
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new SimulatedClock(file, z, start);
    }

    @Override
    public String toString() {
        return "SimulatedClock[" + file + " = " + instant() + "]";
    }
}
