package io.redotrail.trail;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static io.redotrail.trail.TrailTestData.assertSameTx;
import static io.redotrail.trail.TrailTestData.txs;
import static io.redotrail.trail.TrailWriterReaderTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Torn tails left by a crashed writer: append-mode recovery truncates, rolls over; readers abend on anything else. */
class TrailRecoveryTest {
    @TempDir
    Path home;

    private Path trail() {
        return home.resolve("dirdat").resolve("ex");
    }

    private List<Transaction> writeFive() throws Exception {
        return writeFive(trail());
    }

    /** Writes 5 three-row transactions (CSN 1001..1005) and returns them as read back (with positions). */
    static List<Transaction> writeFive(Path trail) throws Exception {
        try (TrailWriter w = TrailWriter.open(trail, "EXT1", 1 << 20)) {
            w.append(txs(1, 6, 3));
        }
        try (TrailReader r = new TrailReader(trail, TrailPosition.START)) {
            return readAll(r, 5, 5000);
        }
    }

    /** End of the record at {@code rba}, from its length field. */
    private static long recordEnd(Path file, long rba) throws Exception {
        byte[] b = Files.readAllBytes(file);
        return rba + 8 + java.nio.ByteBuffer.wrap(b, (int) rba, 4).getInt();
    }

    static void truncate(Path file, long size) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    @Test
    void tornRecordMidRecord() throws Exception {
        List<Transaction> five = writeFive();
        Path f0 = TrailFormat.fileOf(trail(), 0);
        truncate(f0, Files.size(f0) - 5); // last record of transaction 5 torn
        crashRecoverAndContinue(five);
    }

    @Test
    void tornTransactionAtRecordBoundary() throws Exception {
        List<Transaction> five = writeFive();
        // cut after the first record of transaction 5: every record is valid, the transaction has no end
        Path f0 = TrailFormat.fileOf(trail(), 0);
        truncate(f0, recordEnd(f0, five.get(4).trailStart().rba()));
        crashRecoverAndContinue(five);
    }

    private void crashRecoverAndContinue(List<Transaction> five) throws Exception {
        Path f0 = TrailFormat.fileOf(trail(), 0);
        try (TrailReader reader = new TrailReader(trail(), TrailPosition.START)) {
            // a reader that reads the torn file before the writer restarts gets the 4 complete transactions only
            List<Transaction> got = readAll(reader, 5, 300);
            assertEquals(4, got.size());
            // the writer restarts: truncate to the end of transaction 4, roll over
            try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
                assertEquals(five.get(3).trailEnd(), w.recoveredAt());
                assertEquals(Files.size(f0), five.get(3).trailEnd().rba());
                assertEquals(Scn.of(1004), w.lastCsn());
                assertEquals(1, w.seqno());
                assertTrue(w.alreadyWritten(five.get(3)));
                assertTrue(!w.alreadyWritten(five.get(4)));
                w.append(txs(5, 8, 3)); // the extract re-sends transaction 5, then 6 and 7
            }
            got.addAll(readAll(reader, 3, 5000));
            assertEquals(7, got.size());
            List<Transaction> expected = txs(1, 8, 3);
            for (int i = 0; i < 7; i++) assertSameTx(expected.get(i), got.get(i));
            assertEquals(new TrailPosition(1, got.get(4).trailStart().rba()), got.get(4).trailStart());
        }
        // a fresh reader sees the same thing
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            assertEquals(7, readAll(r, 8, 500).size());
        }
    }

    @Test
    void readerBufferingAPartialTransactionRestartsAfterTruncation() throws Exception {
        List<Transaction> five = writeFive();
        Path f0 = TrailFormat.fileOf(trail(), 0);
        truncate(f0, recordEnd(f0, recordEnd(f0, five.get(4).trailStart().rba()))); // two of three records present
        try (TrailReader reader = new TrailReader(trail(), TrailPosition.START)) {
            assertEquals(4, readAll(reader, 5, 300).size()); // has buffered two records of transaction 5
            try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
                w.append(txs(5, 6, 3));
            }
            List<Transaction> more = readAll(reader, 1, 5000);
            assertEquals(1, more.size());
            assertSameTx(five.get(4), more.get(0));
            assertEquals(1, more.get(0).trailStart().seqno());
        }
    }

    @Test
    void residueLeftInAFileWithASuccessorIsCorruption() throws Exception {
        List<Transaction> five = writeFive();
        Path f0 = TrailFormat.fileOf(trail(), 0);
        long torn = recordEnd(f0, five.get(4).trailStart().rba());
        truncate(f0, torn + 7); // one record of transaction 5, then a torn one
        byte[] bytes = Files.readAllBytes(f0);
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
            w.append(txs(5, 7, 3));
        }
        Files.write(f0, bytes); // as if the writer had rolled over without its recovery's cut
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            List<Transaction> got = new ArrayList<>();
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> {
                while (true) got.addAll(r.poll(1));
            });
            assertEquals(4, got.size(), "transactions before the damage are delivered, nothing after it");
            assertEquals(f0, e.file());
            assertEquals(torn, e.position());
            assertTrue(e.getMessage().contains("trail seqno 0 RBA " + torn), e.getMessage());
            assertEquals(five.get(3).trailEnd(), r.position());
        }
    }

    @Test
    void aFinishedFileCutAtATransactionEndIsCorruption() throws Exception {
        List<Transaction> five = writeFive();
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
            w.append(new ArrayList<>());
        }
        // seqno 0 ends cleanly at transaction 5 (no FILE_END, the writer reopened and appended): roll over
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1024)) {
            w.append(txs(6, 9, 40));
        }
        assertTrue(Files.exists(TrailFormat.fileOf(trail(), 1)));
        Path f0 = TrailFormat.fileOf(trail(), 0);
        truncate(f0, five.get(3).trailEnd().rba()); // transaction 5 and FILE_END gone: a clean-looking cut
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            List<Transaction> got = new ArrayList<>();
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> {
                while (true) got.addAll(r.poll(1));
            });
            assertEquals(4, got.size());
            assertEquals(five.get(3).trailEnd().rba(), e.position());
            assertTrue(e.getMessage().contains("transactions between them are missing"), e.getMessage());
        }
    }

    @Test
    void readerFollowsARolloverStormWithoutAbending() throws Exception {
        // 1 KB files and one transaction per file: the writer creates several files while a reader that found
        // its next file missing looks at the directory (RestartIT abended on exactly that, OGG-01668)
        List<Transaction> all = txs(1, 1001, 12);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1024)) {
                for (int i = 0; i < all.size(); i += 20) w.append(all.subList(i, i + 20));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            writer.start();
            List<Transaction> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (got.size() < all.size() && System.currentTimeMillis() < deadline) got.addAll(r.poll(1));
            writer.join();
            assertEquals(null, failure.get());
            assertEquals(all.size(), got.size());
            for (int i = 0; i < all.size(); i++) assertSameTx(all.get(i), got.get(i));
        }
    }

    @Test
    void tornFileHeaderIsRewritten() throws Exception {
        writeFive();
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
            w.append(new ArrayList<>());
        }
        Files.write(TrailFormat.fileOf(trail(), 1), new byte[]{0, 0, 0}); // crash while creating seqno 1
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
            assertEquals(Scn.of(1005), w.lastCsn());
            assertEquals(1, w.seqno());
            w.append(txs(6, 7, 1));
        }
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            assertEquals(6, readAll(r, 6, 5000).size());
        }
    }

    @Test
    void refusesToTruncateBelowTheWriteCheckpoint() throws Exception {
        List<Transaction> five = writeFive();
        Path f0 = TrailFormat.fileOf(trail(), 0);
        truncate(f0, Files.size(f0) - 5);
        org.junit.jupiter.api.Assertions.assertThrows(io.redotrail.core.CorruptFileException.class,
                () -> TrailWriter.open(trail(), "EXT1", 1 << 20, five.get(4).trailEnd()));
    }

    @Test
    void aDamagedHeaderInFrontOfDurableTransactionsIsNotRewrittenAsATornOne() throws Exception {
        List<Transaction> five = writeFive();
        Path f0 = TrailFormat.fileOf(trail(), 0);
        long size = Files.size(f0);
        try (FileChannel ch = FileChannel.open(f0, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(8), 1); // the header's length field and type
        }
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> TrailWriter.open(trail(), "EXT1", 1 << 20, five.get(4).trailEnd()));
        assertTrue(e.getMessage().contains("ex000000000") && e.getMessage().contains("refusing"), e.getMessage());
        assertEquals(size, Files.size(f0), "nothing rewritten");
    }
}
