package io.redotrail.redo;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.sim.RedoLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedoLogSwitchTest {
    @TempDir
    Path home;

    @Test
    void switchLogFileArchivesAndRecordsTheLogInTheControlFile() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 10, 100);
            long end = w.position();
            w.switchLogFile();
            assertEquals(2, w.sequence());
            assertEquals(2, w.group());
            assertEquals(Scn.of(119), w.lastScn());
            Path arc = home.resolve("arch/1_1.arc");
            assertTrue(Files.exists(arc));
            assertArrayEquals(Files.readAllBytes(cfg.onlineLog(1)), Files.readAllBytes(arc));
            assertEquals(end + RedoFormat.END_OF_LOG_SIZE, Files.size(arc));
            ControlFile cf = ControlFile.read(cfg.controlFile()).orElseThrow();
            assertEquals(2, cf.currentSequence(1));
            ControlFile.LogEntry e1 = cf.log(1, 1);
            assertEquals(120, e1.nextScn);
            assertEquals(arc, e1.archived);
            assertEquals(cfg.onlineLog(1), e1.online);
            ControlFile.LogEntry e2 = cf.log(1, 2);
            assertEquals(120, e2.firstScn);
            assertEquals(-1, e2.nextScn);
            assertNull(e2.archived);
        }
        // a new run resumes in sequence 2 with the same last SCN
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            assertEquals(2, w.sequence());
            assertEquals(Scn.of(119), w.lastScn());
            assertEquals(new RedoPosition(1, 2, RedoFormat.HEADER_SIZE), w.currentPosition());
        }
    }

    @Test
    void readerFollowsAutomaticSwitchesIntoArchives() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 3000, 10);
            assertTrue(w.sequence() >= 6, "sequence " + w.sequence());
            for (long s = 1; s < w.sequence(); s++) {
                assertTrue(Files.exists(cfg.archivedLog(s)), "archive of " + s);
                assertTrue(Files.size(cfg.archivedLog(s)) <= cfg.logSizeBytes());
            }
        }
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            List<RedoRecord> all = RedoTestData.drain(r);
            assertEquals(6000, all.size());
            assertEquals(LongStream.rangeClosed(1, 3000).boxed().toList(), RedoTestData.insertedIds(all));
            assertTrue(all.get(0).redoFile().endsWith("1_1.arc"), all.get(0).redoFile());
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i).scn().isAfter(all.get(i - 1).scn()));
                RedoRecord prev = all.get(i - 1), cur = all.get(i);
                if (prev.position().sequence() == cur.position().sequence()) assertEquals(prev.next(), cur.position());
                else assertEquals(RedoFormat.HEADER_SIZE, cur.position().rba());
            }
        }
    }

    @Test
    void readerBehindAnOverwrittenOnlineGroupContinuesFromTheArchive() {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 2);
        List<RedoRecord> all = new ArrayList<>();
        try (RedoLogWriter w = RedoLogWriter.open(cfg);
             RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            RedoTestData.writeTransactions(w, 1, 100, 10);
            all.addAll(r.poll(50));
            assertEquals(cfg.onlineLog(1).toString(), r.currentFile());
            // the writer wraps around both groups: sequence 1's group now holds sequence 3
            RedoTestData.writeTransactions(w, 101, 1500, 210);
            assertTrue(w.sequence() >= 4);
            // records already buffered from sequence 1 are still valid; past them the reader must notice the overwrite
            while (r.position().sequence() == 1 && !r.readingArchive()) all.addAll(r.poll(10));
            assertTrue(r.readingArchive(), "reader should have moved to the archived copy");
            assertEquals(1, r.position().sequence());
            assertEquals(cfg.archivedLog(1).toString(), r.currentFile());
            all.addAll(RedoTestData.drain(r));
        }
        assertEquals(LongStream.rangeClosed(1, 1600).boxed().toList(), RedoTestData.insertedIds(all));
    }

    @Test
    void missingArchivedLogIsOgg00446AndNeverSkipped() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 2);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 2000, 10);
            assertTrue(w.sequence() >= 5);
        }
        Files.delete(cfg.archivedLog(2));
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            List<RedoRecord> seq1 = new ArrayList<>();
            MissingRedoLogException e = null;
            try {
                while (true) {
                    List<RedoRecord> got = r.poll(100);
                    if (got.isEmpty()) break;
                    seq1.addAll(got);
                }
            } catch (MissingRedoLogException x) {
                e = x;
            }
            assertTrue(e != null, "expected MissingRedoLogException");
            assertTrue(e.getMessage().startsWith("OGG-00446 Could not find archived log for sequence 2 thread 1"), e.getMessage());
            assertTrue(e.getMessage().contains("thread 1 seqno 2 RBA 512"), e.getMessage());
            assertTrue(seq1.stream().allMatch(x -> x.position().sequence() == 1));
            assertEquals(new RedoPosition(1, 2, 512), r.position());
            // polling again does not skip ahead
            MissingRedoLogException again = org.junit.jupiter.api.Assertions.assertThrows(MissingRedoLogException.class, () -> r.poll(10));
            assertEquals(2, again.sequence());
        }
        RedoLogReader fromCheckpoint = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, new RedoPosition(1, 2, 4096));
        MissingRedoLogException e = org.junit.jupiter.api.Assertions.assertThrows(MissingRedoLogException.class, () -> fromCheckpoint.poll(10));
        assertTrue(e.getMessage().contains("thread 1 seqno 2 RBA 4096"), e.getMessage());
    }

    /** The current online log deleted: the reader abends naming it (OGG-00446) instead of waiting for it forever. */
    @Test
    void deletedCurrentOnlineLogIsOgg00446NotAWait() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 2);
        long current;
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 300, 10);
            current = w.sequence();
        }
        int group = (int) ((current - 1) % 2) + 1;
        java.nio.file.Path online = io.redotrail.redo.RedoFormat.onlineLog(cfg.redoDir(), 1, group);
        assertTrue(Files.exists(online), online + " holds the current sequence " + current);
        Files.delete(online);
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, new RedoPosition(1, current, 512))) {
            MissingRedoLogException e = org.junit.jupiter.api.Assertions.assertThrows(MissingRedoLogException.class, () -> r.poll(10));
            assertTrue(e.getMessage().contains("the control file records online log " + online + " (group " + group
                    + ") as holding sequence " + current + " with ") && e.getMessage().contains("and the file does not exist"),
                    e.getMessage());
        }
    }

    @Test
    void readerWaitsForTheNextSequenceWhileTheWriterHasNotStartedIt() {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 5, 10);
            try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, new RedoPosition(1, 2, 512))) {
                assertTrue(r.poll(10).isEmpty());
                w.switchLogFile();
                RedoTestData.writeTransactions(w, 6, 1, 100);
                assertEquals(List.of(6L), RedoTestData.insertedIds(r.poll(10)));
            }
            w.append(RedoOp.COMMIT, new Xid(9, 9, 9), Scn.of(200), 0, false, null);
        }
    }

    @Test
    void switchInterruptedAfterTheEndOfLogRecordIsCompletedOnResume() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 4, 10);
        }
        // crash right after the end-of-log record reached the file, before archiving
        io.redotrail.core.BinaryWriter bw = new io.redotrail.core.BinaryWriter();
        RedoFormat.encodeRecord(bw, RedoFormat.OP_END_OF_LOG, 1, 1, null, Scn.of(17), 0, false, null, 2, Scn.of(18));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(cfg.onlineLog(1),
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND)) {
            ch.write(bw.view());
        }
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            assertEquals(2, w.sequence());
            assertEquals(Scn.of(17), w.lastScn());
            assertTrue(Files.exists(cfg.archivedLog(1)));
            RedoTestData.writeTransactions(w, 5, 1, 18);
        }
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), RedoTestData.insertedIds(RedoTestData.drain(r)));
        }
    }
}
