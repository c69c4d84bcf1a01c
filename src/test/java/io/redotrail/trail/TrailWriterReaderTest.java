package io.redotrail.trail;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.redotrail.trail.TrailTestData.assertSameTx;
import static io.redotrail.trail.TrailTestData.tx;
import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrailWriterReaderTest {
    @TempDir
    Path home;

    private Path trail() {
        return home.resolve("dirdat").resolve("ex");
    }

    static List<Transaction> readAll(TrailReader r, int expected, long timeoutMillis) throws InterruptedException {
        List<Transaction> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (got.size() < expected && System.currentTimeMillis() < deadline) {
            List<Transaction> b = r.poll(500);
            if (b.isEmpty()) Thread.sleep(5);
            got.addAll(b);
        }
        return got;
    }

    @Test
    void roundTripsEveryValueType() throws Exception {
        byte[] mb = new byte[1 << 20];
        for (int i = 0; i < mb.length; i++) mb[i] = (byte) (i * 31);
        String[] cols = {"ID", "AMOUNT", "NOTE", "TS", "DAY", "BLOB", "RATE", "FLAG", "EMPTY"};
        RowImage a = new RowImage(cols, new Object[]{42L, new BigDecimal("-12345678901234567890.000000000123456789"),
                "北京 东京 日本語テキスト ✓", LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123456789), LocalDate.of(1999, 12, 31),
                mb, 0.1 + 0.2, true, null});
        RowImage b = new RowImage(cols, new Object[]{43L, new BigDecimal("1E+30"), "", LocalDateTime.of(1970, 1, 1, 0, 0),
                LocalDate.of(2100, 1, 1), new byte[0], -0.0, false, null});
        RowImage key1 = new RowImage(new String[]{"ID"}, new Object[]{42L});
        RowImage key2 = new RowImage(new String[]{"ID"}, new Object[]{4242L});
        List<RowChange> changes = List.of(
                new RowChange("HR.EMP", ChangeOp.INSERT, null, a),
                new RowChange("HR.EMP", ChangeOp.UPDATE, a, b),
                new RowChange("HR.EMP", ChangeOp.PK_UPDATE, key1, key2),
                new RowChange("HR.EMP", ChangeOp.DELETE, key2, null));
        Transaction big = new Transaction(new Xid(10, 16, 1533), Scn.of(9137521), 1_700_000_000_123L, 2, changes,
                new RedoPosition(2, 14878, 116752));
        Transaction single = new Transaction(new Xid(3, 4, 5), Scn.of(9137600), 1_700_000_001_000L, 1,
                List.of(TrailTestData.insert(1, "whole")), null);
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", TrailFormat.DEFAULT_MAX_FILE_BYTES)) {
            w.append(List.of(big, single));
            assertEquals(Scn.of(9137600), w.lastCsn());
            try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
                List<Transaction> got = readAll(r, 2, 5000);
                assertEquals(2, got.size());
                assertSameTx(big, got.get(0));
                assertSameTx(single, got.get(1));
                assertArrayEquals(mb, (byte[]) got.get(0).changes().get(0).after().get("BLOB"));
                assertEquals(new BigDecimal("-12345678901234567890.000000000123456789"),
                        got.get(0).changes().get(0).after().get("AMOUNT"));
                assertEquals(got.get(0).trailEnd(), got.get(1).trailStart());
                assertEquals(w.position(), got.get(1).trailEnd());
                assertEquals(w.position(), r.position());
                // restart from a transaction boundary gives the second transaction only
                try (TrailReader r2 = new TrailReader(trail(), got.get(0).trailEnd())) {
                    List<Transaction> again = readAll(r2, 1, 5000);
                    assertEquals(1, again.size());
                    assertEquals(got.get(1).trailStart(), again.get(0).trailStart());
                }
            }
        }
    }

    /**
     * A pump's reader keeps images as their checked bytes: the copy it writes holds the very records of the source
     * trail (same bodies), and the images still decode to the values written.
     */
    @Test
    void encodedImagesAreCopiedByteForByte() throws Exception {
        String[] cols = {"ID", "AMOUNT", "NOTE", "TS", "DAY", "BLOB", "RATE", "FLAG", "EMPTY"};
        RowImage a = new RowImage(cols, new Object[]{7L, new BigDecimal("-3.25"), "北京 ✓", LocalDateTime.of(2024, 2, 29, 23, 59, 59, 5),
                LocalDate.of(1999, 12, 31), new byte[]{1, 2, 3}, 0.5, true, null});
        RowImage key = new RowImage(new String[]{"ID"}, new Object[]{7L});
        Transaction t = new Transaction(new Xid(1, 2, 3), Scn.of(100), 1_700_000_000_000L, 1, List.of(
                new RowChange("HR.EMP", ChangeOp.INSERT, null, a), new RowChange("HR.EMP", ChangeOp.UPDATE, key, a),
                new RowChange("HR.EMP", ChangeOp.DELETE, key, null)), null);
        Path copy = home.resolve("dirdat").resolve("ha");
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", TrailFormat.DEFAULT_MAX_FILE_BYTES)) {
            w.append(List.of(t));
        }
        List<Transaction> got;
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START).keepImagesEncoded()) {
            got = readAll(r, 1, 5000);
        }
        try (TrailWriter w = TrailWriter.open(copy, "PUMP1", TrailFormat.DEFAULT_MAX_FILE_BYTES)) {
            w.append(got);
        }
        Transaction copied;
        try (TrailReader r = new TrailReader(copy, TrailPosition.START)) {
            copied = readAll(r, 1, 5000).get(0);
        }
        byte[] src = Files.readAllBytes(TrailFormat.fileOf(trail(), 0));
        byte[] dst = Files.readAllBytes(TrailFormat.fileOf(copy, 0));
        assertArrayEquals(Arrays.copyOfRange(src, (int) got.get(0).trailStart().rba(), (int) got.get(0).trailEnd().rba()),
                Arrays.copyOfRange(dst, (int) copied.trailStart().rba(), (int) copied.trailEnd().rba()));
        assertSameTx(t, got.get(0));
        assertSameTx(t, copied);
    }

    @Test
    void rollsOverAtMaxSizeAndReaderFollows() throws Exception {
        List<Transaction> all = txs(1, 301, 3);
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 4096)) {
            for (int i = 0; i < all.size(); i += 50) w.append(all.subList(i, i + 50));
            assertTrue(w.seqno() > 5, "rolled over: " + w.seqno());
        }
        for (long s : TrailFormat.seqnos(trail())) {
            assertTrue(Files.size(TrailFormat.fileOf(trail(), s)) <= 4096 + 100, "file " + s);
        }
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            List<Transaction> got = readAll(r, 300, 10000);
            assertEquals(300, got.size());
            for (int i = 0; i < 300; i++) assertSameTx(all.get(i), got.get(i));
            assertTrue(got.get(299).trailEnd().seqno() > 5);
        }
        // reopening continues the last file, knowing the last CSN
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 4096)) {
            assertEquals(Scn.of(1300), w.lastCsn());
            assertNull(w.recoveredAt());
        }
    }

    @Test
    void readerWaitsForTheWriter() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Transaction> all = txs(1, 201, 2);
        Thread writer = new Thread(() -> {
            try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 8192)) {
                for (int i = 0; i < all.size(); i += 10) {
                    w.append(all.subList(i, i + 10));
                    Thread.sleep(3);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            assertTrue(r.poll(100).isEmpty(), "no file yet");
            writer.start();
            List<Transaction> got = readAll(r, 200, 20000);
            writer.join();
            assertNull(failure.get());
            assertEquals(200, got.size());
            for (int i = 0; i < 200; i++) assertSameTx(all.get(i), got.get(i));
        }
    }

    /** Five transactions of two rows in one trail file, as a reader delivers them (with their trail positions). */
    private List<Transaction> writeFiveAndReadBack() throws Exception {
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", TrailFormat.DEFAULT_MAX_FILE_BYTES)) {
            w.append(txs(1, 6, 2));
        }
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            return readAll(r, 5, 5000);
        }
    }

    @Test
    void badCrcMidFileIsCorruption() throws Exception {
        List<Transaction> written = writeFiveAndReadBack();
        Path file = TrailFormat.fileOf(trail(), 0);
        byte[] bytes = Files.readAllBytes(file);
        long rba = written.get(2).trailStart().rba();
        bytes[(int) rba + 20] ^= 0x40;
        Files.write(file, bytes);
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            List<Transaction> got = new ArrayList<>();
            io.redotrail.core.CorruptFileException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.redotrail.core.CorruptFileException.class, () -> {
                        for (int i = 0; i < 10; i++) got.addAll(r.poll(1));
                    });
            assertEquals(2, got.size(), "transactions before the damaged one are delivered");
            assertEquals(file.toAbsolutePath(), e.file().toAbsolutePath());
            assertEquals(rba, e.position());
            assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains(" " + rba), e.getMessage());
        }
    }

    /**
     * A length field damaged in the newest file's last record reads as a write still in progress: the reader
     * waits there, delivering nothing after it, and says where once the file has stopped growing.
     */
    @Test
    void damagedLastLengthIsWaitedAtAndNamed() throws Exception {
        List<Transaction> written = writeFiveAndReadBack();
        Path file = TrailFormat.fileOf(trail(), 0);
        long rba = written.get(4).trailStart().rba();
        byte[] bytes = Files.readAllBytes(file);
        int len = java.nio.ByteBuffer.wrap(bytes, (int) rba, 4).getInt();
        java.nio.ByteBuffer.wrap(bytes, (int) rba, 4).putInt(len + 1000);
        Files.write(file, bytes);
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START).incompleteTailAfter(java.time.Duration.ofMillis(300))) {
            List<Transaction> got = new ArrayList<>(r.poll(100));
            assertEquals(4, got.size(), "the transactions before the damaged record");
            assertNull(r.incompleteTail(), "not yet: a writer may be writing");
            Thread.sleep(400);
            assertTrue(r.poll(100).isEmpty());
            TrailReader.IncompleteTail tail = r.incompleteTail();
            assertEquals(new TrailReader.IncompleteTail(file.toAbsolutePath(), 0, rba, len + 1000 + TrailFormat.FRAME, false,
                    bytes.length - rba, tail.waitedSeconds()), tail);
            assertEquals("trail file ./dirdat/ex000000000 (Sequence # 0) ends inside the record at RBA " + rba
                    + ": its length field gives " + (len + 1000 + TrailFormat.FRAME) + " bytes, " + (bytes.length - rba)
                    + " bytes are present, and the file has not grown for " + tail.waitedSeconds() + " s",
                    tail.describe("./dirdat/ex000000000"));
            Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND); // growing: a writer at work
            assertTrue(r.poll(100).isEmpty());
            assertNull(r.incompleteTail(), "the wait starts again when the file grows");
            assertEquals(new TrailPosition(0, rba), r.position(), "nothing skipped");
        }
        // zeros where the length was (a torn write's, the common crash case): no valid length, named the same way
        java.nio.ByteBuffer.wrap(bytes, (int) rba, 4).putInt(0);
        Files.write(file, bytes);
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START).incompleteTailAfter(java.time.Duration.ofMillis(300))) {
            assertEquals(4, r.poll(100).size());
            Thread.sleep(400);
            assertTrue(r.poll(100).isEmpty());
            TrailReader.IncompleteTail tail = r.incompleteTail();
            assertTrue(tail != null && tail.invalidLength() && tail.rba() == rba, String.valueOf(tail));
            assertTrue(tail.describe("./dirdat/ex000000000").contains("its length field (0) is not a valid record length, "),
                    tail.describe("./dirdat/ex000000000"));
        }
    }

    @Test
    void writesFast() {
        List<Transaction> batch = txs(1, 1001, 1);
        int batches = 300;
        List<List<Transaction>> input = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<Transaction> l = new ArrayList<>(batch.size());
            for (Transaction t : batch) {
                l.add(new Transaction(t.xid(), Scn.of(t.csn().value() + 1000L * b), t.commitTimestampMillis(), 1,
                        t.changes(), t.startPosition()));
            }
            input.add(l);
        }
        try (TrailWriter w = TrailWriter.open(home.resolve("warm").resolve("wa"), "EXT1", 64L << 20)) {
            for (List<Transaction> l : input.subList(0, 100)) w.append(l); // JIT warm-up
        }
        long t0 = System.nanoTime();
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 64L << 20)) {
            for (List<Transaction> l : input) w.append(l);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = batches * 1000 / secs;
        System.out.printf("trail write: %.0f rows/s (%d rows in %.3f s, one force per 1000 rows)%n", rate, batches * 1000, secs);
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            long t1 = System.nanoTime();
            long n = 0;
            List<Transaction> b;
            while (!(b = r.poll(5000)).isEmpty()) n += b.size();
            double rsecs = (System.nanoTime() - t1) / 1e9;
            System.out.printf("trail read: %.0f rows/s%n", n / rsecs);
            assertEquals(batches * 1000L, n);
        }
        assertTrue(Arrays.stream(TrailFormat.seqnos(trail())).count() >= 1);
    }
}
