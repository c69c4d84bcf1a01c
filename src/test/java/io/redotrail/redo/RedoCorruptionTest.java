package io.redotrail.redo;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.sim.RedoLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedoCorruptionTest {
    @TempDir
    Path home;

    private static void appendBytes(Path file, byte[] b) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(b));
        }
    }

    /** The first 30 bytes of a real frame: what a crash in the middle of a write leaves. */
    private static byte[] halfFrame() {
        io.redotrail.core.BinaryWriter bw = new io.redotrail.core.BinaryWriter();
        RedoFormat.encodeRecord(bw, RedoOp.INSERT.code(), 1, 1, new io.redotrail.core.Xid(1, 1, 1), Scn.of(1), 0, true,
                RedoTestData.insert(1, "torn"), 0, null);
        return java.util.Arrays.copyOf(bw.toByteArray(), 30);
    }

    @Test
    void tornTailOfTheCurrentLogMeansWaitAndTheWriterTruncatesItOnResume() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        long end;
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 10, 100);
            end = w.position();
        }
        appendBytes(cfg.onlineLog(1), halfFrame()); // kill -9 in the middle of a write
        List<RedoRecord> all = new ArrayList<>();
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            all.addAll(RedoTestData.drain(r));
            assertEquals(20, all.size());
            assertTrue(r.poll(10).isEmpty(), "torn tail of the current log: wait, no error");
            assertEquals(new RedoPosition(1, 1, end), r.position());

            try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
                assertEquals(end, Files.size(cfg.onlineLog(1)), "torn tail truncated");
                assertEquals(Scn.of(119), w.lastScn());
                assertEquals(end, w.position());
                RedoTestData.writeTransactions(w, 11, 5, 120);
            }
            all.addAll(RedoTestData.drain(r));
        }
        assertEquals(LongStream.rangeClosed(1, 15).boxed().toList(), RedoTestData.insertedIds(all));
    }

    @Test
    void garbageAfterTheLastRecordIsTruncatedOnResume() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        long end;
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 3, 100);
            end = w.position();
        }
        appendBytes(cfg.onlineLog(1), new byte[]{0, 0, 0, 60, 1, 2, 3, 4, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            assertEquals(end, w.position());
            assertEquals(Scn.of(105), w.lastScn());
        }
        assertEquals(end, Files.size(cfg.onlineLog(1)));
    }

    @Test
    void badCrcInAnArchivedLogIsCorruptionNamingFileAndRba() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 2);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 1500, 10);
            assertTrue(w.sequence() >= 3, "sequence 1's group must be reused");
        }
        RedoRecord victim;
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            victim = r.poll(8).get(7);
        }
        Path arc = cfg.archivedLog(1);
        try (RandomAccessFile f = new RandomAccessFile(arc.toFile(), "rw")) {
            long at = victim.position().rba() + 20;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> RedoTestData.drain(r));
            assertEquals(arc, e.file());
            assertEquals(victim.position().rba(), e.position());
            assertTrue(e.getMessage().contains("1_1.arc") && e.getMessage().contains("RBA " + victim.position().rba()), e.getMessage());
            assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        }
    }

    @Test
    void truncatedArchivedLogIsCorruptionNamingFileAndRba() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 2);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 1500, 10);
        }
        Path arc = cfg.archivedLog(1);
        List<RedoRecord> seq1;
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            seq1 = r.poll(100);
        }
        long cut = seq1.get(50).position().rba() + 10;
        try (FileChannel ch = FileChannel.open(arc, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> RedoTestData.drain(r));
            assertEquals(arc, e.file());
            assertEquals(seq1.get(50).position().rba(), e.position());
            assertTrue(e.getMessage().contains("incomplete record"), e.getMessage());
        }
    }

    @Test
    void shortRecordInAFinishedOnlineLogWithoutArchiveIsCorruption() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        long cut;
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 10, 100);
            cut = w.position() - 5; // inside the last record
            w.switchLogFile();
            RedoTestData.writeTransactions(w, 11, 1, 200);
        }
        Files.delete(cfg.archivedLog(1));
        try (FileChannel ch = FileChannel.open(cfg.onlineLog(1), StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> RedoTestData.drain(r));
            assertEquals(cfg.onlineLog(1), e.file());
            assertTrue(e.getMessage().contains("finished log sequence 1"), e.getMessage());
        }
    }

    @Test
    void garbageLengthAtTheTailOfTheCurrentLogIsWaitedOnWithoutAllocatingIt() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 2, 100);
        }
        appendBytes(cfg.onlineLog(1), new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0, 1, 2, 3, 4, 5});
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            assertEquals(4, RedoTestData.drain(r).size());
            assertTrue(r.poll(10).isEmpty());
        }
    }

    @Test
    void damageBelowTheSizeRecordedAtCloseAbendsTheReaderAndTheWritersRecoveryRefusesToCutIt() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 10, 100);
        }
        long closedAt = Files.size(cfg.onlineLog(1));
        List<RedoRecord> all;
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            all = RedoTestData.drain(r);
        }
        long last = all.get(all.size() - 1).position().rba();
        try (FileChannel ch = FileChannel.open(cfg.onlineLog(1), StandardOpenOption.WRITE)) {
            ch.truncate(last); // the last commit, acknowledged and fsynced, is gone
        }
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> RedoTestData.drain(r));
            assertEquals(cfg.onlineLog(1), e.file());
            assertEquals(last, e.position());
            assertTrue(e.getMessage().contains("below the " + closedAt + " bytes"), e.getMessage());
        }
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> RedoLogWriter.open(cfg));
        assertTrue(e.getMessage().contains("refusing to discard durable redo"), e.getMessage());
        assertEquals(last, Files.size(cfg.onlineLog(1)), "nothing truncated");
    }

    @Test
    void aDamagedHeaderOfTheCurrentLogIsNotTakenForAnInterruptedLogSwitch() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 3, 100);
        }
        try (RandomAccessFile f = new RandomAccessFile(cfg.onlineLog(1).toFile(), "rw")) {
            f.seek(9);
            f.write(f.read() ^ 0x10);
        }
        long size = Files.size(cfg.onlineLog(1));
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> r.poll(10));
            assertEquals(cfg.onlineLog(1), e.file());
        }
        assertThrows(CorruptFileException.class, () -> RedoLogWriter.open(cfg));
        assertEquals(size, Files.size(cfg.onlineLog(1)), "the log was not reinitialised");
    }
}
