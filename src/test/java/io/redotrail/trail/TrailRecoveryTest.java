package io.redotrail.trail;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Torn tails left by a crashed writer: append-mode recovery truncates, rolls over; readers skip residue. */
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
    void residueLeftInAFileWithASuccessorIsDiscarded() throws Exception {
        List<Transaction> five = writeFive();
        Path f0 = TrailFormat.fileOf(trail(), 0);
        truncate(f0, recordEnd(f0, five.get(4).trailStart().rba()) + 7); // one record, then a torn one
        byte[] torn = Files.readAllBytes(f0);
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20)) {
            w.append(txs(5, 7, 3));
        }
        Files.write(f0, torn); // as if another writer had rolled over without truncating
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            List<Transaction> got = readAll(r, 6, 5000);
            assertEquals(6, got.size());
            List<Transaction> expected = txs(1, 7, 3);
            for (int i = 0; i < 6; i++) assertSameTx(expected.get(i), got.get(i));
            assertEquals(1, r.residueDiscarded());
            assertTrue(readAll(r, 1, 100).isEmpty());
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
}
