package io.redotrail.trail;

import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.redotrail.trail.TrailTestData.tx;
import static io.redotrail.trail.TrailTestData.txs;
import static io.redotrail.trail.TrailWriterReaderTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trail's fsync on another thread ({@link TrailWriter#forceOn}, {@link TrailForcer}): what the producer does once
 * a batch is durable (confirm it, checkpoint it) runs only after that batch's force returned, in append order, with
 * the position after that batch; a rollover and close wait for the force in flight; a failed force is thrown at the
 * next append and nothing after it is confirmed. The forces are real; the test holds them back by running the
 * executor's tasks only when it says so.
 */
class TrailOverlappedForceTest {
    @TempDir
    Path home;

    /** Queues the forces; the test runs the next one when it chooses, on its own thread. */
    private static final class HeldForces implements Executor {
        private final BlockingQueue<Runnable> queued = new LinkedBlockingQueue<>();

        @Override
        public void execute(Runnable task) {
            queued.add(task);
        }

        void runNext() throws InterruptedException {
            Runnable task = queued.poll(10, TimeUnit.SECONDS);
            assertNotNull(task, "a force was handed to the executor");
            task.run();
        }

        boolean idle() {
            return queued.isEmpty();
        }
    }

    private record Done(TrailPosition position, Scn lastCsn, String thread) {
    }

    private Path trail() {
        return home.resolve("dirdat").resolve("ex");
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "appender");
        t.start();
        return t;
    }

    @Test
    void aBatchIsConfirmedOnlyAfterItsForceWithItsOwnPositionAndInOrder() throws Exception {
        HeldForces forces = new HeldForces();
        AtomicInteger failures = new AtomicInteger();
        List<Done> done = Collections.synchronizedList(new ArrayList<>());
        TrailSink.Durable record = (p, csn) -> done.add(new Done(p, csn, Thread.currentThread().getName()));
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
            w.forceOn(forces, failures::incrementAndGet);
            w.append(txs(1, 3, 2), c -> { }, record);
            TrailPosition after1 = w.position();
            assertTrue(done.isEmpty(), "nothing confirmed before its force ran");
            assertTrue(w.alreadyWritten(tx(2, 2)), "written: a transaction sent again is skipped already");

            // the next batch is written while the first one is forced; its own force waits for the first
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread second = start(() -> {
                try {
                    w.append(txs(3, 5, 2), c -> { }, record);
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            forces.runNext();
            second.join(10_000);
            assertFalse(second.isAlive());
            assertNull(failed.get());
            assertEquals(List.of(new Done(after1, Scn.of(1002), Thread.currentThread().getName())), done,
                    "the first batch's position and CSN, not the second's, although the second was written meanwhile");
            TrailPosition after2 = w.position();
            assertTrue(after2.compareTo(after1) > 0);

            forces.runNext();
            assertEquals(after2, done.get(1).position());
            assertEquals(Scn.of(1004), done.get(1).lastCsn());
            // a batch without a row: nothing to force, confirmed after the batch before it, at the same position
            w.append(List.of(), c -> { }, record);
            assertEquals(2, done.size());
            forces.runNext();
            assertEquals(3, done.size());
            assertEquals(after2, done.get(2).position());
            assertTrue(forces.idle());
            assertEquals(0, failures.get());
        }
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            assertEquals(4, readAll(r, 4, 5000).size());
        }
    }

    @Test
    void closeAndRolloverWaitForTheForceInFlight() throws Exception {
        HeldForces forces = new HeldForces();
        List<Done> done = Collections.synchronizedList(new ArrayList<>());
        TrailSink.Durable record = (p, csn) -> done.add(new Done(p, csn, Thread.currentThread().getName()));
        TrailWriter w = TrailWriter.open(trail(), "EXT1", 2048);
        w.forceOn(forces, () -> { });
        w.append(txs(1, 3, 5), c -> { }, record);
        assertEquals(0, w.seqno());
        // this batch does not fit the 2 KB file: the rollover closes seqno 0 only once its force returned
        Thread rolling = start(() -> w.append(txs(3, 12, 5), c -> { }, record));
        rolling.join(300);
        assertTrue(rolling.isAlive(), "the rollover waits for the force of the file it closes");
        assertEquals(0, w.seqno());
        forces.runNext();
        rolling.join(10_000);
        assertFalse(rolling.isAlive());
        assertTrue(w.seqno() > 0, "rolled over");

        Thread closing = start(w::close);
        closing.join(300);
        assertTrue(closing.isAlive(), "close waits for the force in flight");
        assertEquals(1, done.size());
        forces.runNext();
        closing.join(10_000);
        assertFalse(closing.isAlive());
        assertEquals(2, done.size(), "the last batch was confirmed before the trail closed");
        assertEquals(Scn.of(1011), done.get(1).lastCsn());
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            List<Transaction> all = readAll(r, 11, 5000);
            assertEquals(11, all.size());
            assertEquals(done.get(1).position(), all.get(all.size() - 1).trailEnd());
        }
    }

    @Test
    void aFailedForceNamesTheFileConfirmsNothingAfterItAndIsThrownAtTheNextAppend() throws Exception {
        Path file = home.resolve("ex000000000");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ch.close(); // a force on a closed channel fails as a real I/O error does
        AtomicInteger failures = new AtomicInteger();
        List<TrailPosition> done = new ArrayList<>();
        TrailForcer forcer = new TrailForcer(Runnable::run, failures::incrementAndGet);
        forcer.force(ch, file, 4711, new TrailPosition(0, 4711), Scn.of(7), (p, csn) -> done.add(p));
        assertTrue(forcer.failed());
        assertEquals(1, failures.get(), "the group hears of it at once, not at its next batch");
        assertTrue(done.isEmpty(), "not confirmed: the force failed");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, forcer::await);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("RBA 4711"), e.getMessage());
        UncheckedIOException again = assertThrows(UncheckedIOException.class,
                () -> forcer.force(null, file, 4711, new TrailPosition(0, 4711), Scn.of(8), (p, csn) -> done.add(p)));
        assertSame(e, again, "kept: every later batch meets the same failure");
        assertTrue(done.isEmpty(), "nothing after the failed force is confirmed");
    }

    @Test
    void aFailureOnTheForceThreadFailsTheWriterAndIsThrownOnce() throws Exception {
        HeldForces forces = new HeldForces();
        AtomicInteger failures = new AtomicInteger();
        List<Scn> done = new ArrayList<>();
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
            w.forceOn(forces, failures::incrementAndGet);
            // what runs once the batch is durable (the producer's checkpoint) fails: the disk is full, say
            w.append(txs(1, 3, 2), c -> { }, (p, csn) -> {
                throw new UncheckedIOException(new java.io.IOException("No space left on device: dirchk/EXT1.cpe"));
            });
            forces.runNext();
            assertEquals(1, failures.get());
            assertTrue(w.failed(), "the writer refuses the next batch");
            long bytes = java.nio.file.Files.size(w.currentFile());
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> w.append(txs(3, 5, 2), c -> { }, (p, csn) -> done.add(csn)));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals(bytes, java.nio.file.Files.size(w.currentFile()), "nothing written after the failed force");
            assertThrows(IllegalStateException.class, () -> w.append(txs(3, 5, 2), c -> { }, (p, csn) -> done.add(csn)));
            assertTrue(done.isEmpty());
        } // close: the failure was thrown already, not again
    }

    @Test
    void closeThrowsAForceFailureNoAppendHasSeen() throws Exception {
        HeldForces forces = new HeldForces();
        TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20);
        w.forceOn(forces, () -> { });
        w.append(txs(1, 3, 2), c -> { }, (p, csn) -> {
            throw new IllegalStateException("checkpoint failed");
        });
        Thread runner = start(() -> {
            try {
                forces.runNext();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, w::close);
        assertEquals("checkpoint failed", e.getMessage());
        runner.join(10_000);
    }
}
