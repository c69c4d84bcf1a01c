package io.redotrail.redo;

import io.redotrail.core.RedoPosition;
import io.redotrail.sim.RedoLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Archive management as a DBA does it (RMAN delete input), on real redo files and control file. */
class ArchiveLogsTest {
    @TempDir
    Path home;

    private RedoLogConfig cfg() {
        return RedoTestData.config(home, 64 * 1024, 3);
    }

    /** Writes enough for sequences 1..5 (current 5 or later), returns the current sequence. */
    private long writeLogs() {
        try (RedoLogWriter w = RedoLogWriter.open(cfg())) {
            for (int i = 0; i < 4; i++) {
                RedoTestData.writeTransactions(w, 1 + i * 10L, 10, 1 + i * 20L);
                w.switchLogFile();
            }
            RedoTestData.writeTransactions(w, 100, 5, 200);
            return w.sequence();
        }
    }

    @Test
    void listShowsEveryLogWithScnsSizesStatusAndPath() {
        long current = writeLogs();
        assertEquals(5, current);
        List<ArchiveLogs.LogInfo> logs = ArchiveLogs.list(cfg().redoDir(), 1);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), logs.stream().map(ArchiveLogs.LogInfo::sequence).toList());
        // 3 groups: sequences 3, 4, 5 are still online; 1 and 2 only archived
        assertEquals(List.of("ARCHIVED", "ARCHIVED", "ONLINE", "ONLINE", "ONLINE"), logs.stream().map(ArchiveLogs.LogInfo::status).toList());
        ArchiveLogs.LogInfo first = logs.get(0), last = logs.get(4);
        assertEquals(1, first.firstScn());
        assertEquals(logs.get(1).firstScn(), first.nextScn());
        assertEquals(cfg().archivedLog(1), first.path());
        assertTrue(first.size() > RedoFormat.HEADER_SIZE);
        assertTrue(last.current());
        assertNull(last.archived());
        assertEquals(-1, last.nextScn());
        assertTrue(ArchiveLogs.list(cfg().redoDir(), 2).isEmpty());
    }

    /**
     * A log a reader still needs (RMAN-08137): --sequence refuses it and deletes nothing, --upto deletes the logs before
     * it and names the ones it keeps; without retained positions (a forced deletion) it goes.
     */
    @Test
    void aLogAReaderStillNeedsIsKept() throws Exception {
        writeLogs();
        List<ArchiveLogs.Retained> needs = List.of(new ArchiveLogs.Retained(1, 2, "Extract EXT1 (its Recovery checkpoint: Thread 1, Seqno 2, RBA 600)"));
        ArchiveLogs.RefusedException e = assertThrows(ArchiveLogs.RefusedException.class,
                () -> ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 2, needs));
        assertTrue(e.getMessage().startsWith("RMAN-08137: WARNING: archived log not deleted, needed for standby or upstream capture process\n"
                + "archived log file name=" + cfg().archivedLog(2) + " thread=1 sequence=2: needed by Extract EXT1 (its Recovery"
                + " checkpoint: Thread 1, Seqno 2, RBA 600)"), e.getMessage());
        assertTrue(Files.exists(cfg().archivedLog(2)));
        ArchiveLogs.Deletion upTo = ArchiveLogs.deleteUpTo(cfg().redoDir(), 1, 4, needs);
        assertEquals(List.of(1L), upTo.deleted().stream().map(ArchiveLogs.LogInfo::sequence).toList());
        assertEquals(3, upTo.kept().size(), upTo.kept().toString()); // 2, 3 and 4: the reader needs every later log too
        assertTrue(upTo.kept().get(2).contains("thread=1 sequence=4: needed by Extract EXT1"), upTo.kept().toString());
        assertTrue(Files.exists(cfg().archivedLog(4)) && !Files.exists(cfg().archivedLog(1)));
        assertEquals(List.of(2L), ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 2, List.of()).stream()
                .map(ArchiveLogs.LogInfo::sequence).toList(), "forced");
    }

    @Test
    void deleteSequenceRemovesTheArchiveAndRecordsItAtomicallyInTheControlFile() throws Exception {
        writeLogs();
        List<ArchiveLogs.LogInfo> deleted = ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 2);
        assertEquals(1, deleted.size());
        assertFalse(Files.exists(cfg().archivedLog(2)));
        assertEquals("DELETED", ArchiveLogs.list(cfg().redoDir(), 1).get(1).status());
        String control = Files.readString(cfg().controlFile(), StandardCharsets.UTF_8);
        assertTrue(control.startsWith("redotrail-control\t3\n"), control);
        assertTrue(control.contains("\t./arch/" + cfg().archivedLog(2).getFileName() + "\tD\n"), control);
        assertFalse(control.contains(home.toString()), "no absolute path of the home in its control file:\n" + control);
        // again: refused, nothing changes
        ArchiveLogs.RefusedException again = assertThrows(ArchiveLogs.RefusedException.class,
                () -> ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 2));
        assertTrue(again.getMessage().contains("already deleted"), again.getMessage());
        // a reader that needs it (a Recovery checkpoint inside sequence 2) stops with OGG-00446 naming the checkpoint
        RedoLogReader r = new RedoLogReader(cfg().redoDir(), cfg().archiveDir(), 1, new RedoPosition(1, 2, 600)).neededBy("Recovery");
        MissingRedoLogException e = assertThrows(MissingRedoLogException.class, () -> r.poll(10));
        assertTrue(e.getMessage().startsWith("OGG-00446 Could not find archived log for sequence 2 thread 1, needed by the "
                + "Recovery checkpoint (thread 1 seqno 2 RBA 600)"), e.getMessage());
        assertEquals("Recovery", e.checkpoint());
        // a reader that reads sequence 1 first and then needs 2 names the Current checkpoint
        RedoLogReader from1 = new RedoLogReader(cfg().redoDir(), cfg().archiveDir(), 1, null);
        MissingRedoLogException e2 = assertThrows(MissingRedoLogException.class, () -> RedoTestData.drain(from1));
        assertEquals("Current", e2.checkpoint());
        assertEquals(new RedoPosition(1, 2, 512), from1.position());
    }

    @Test
    void currentLogIsRefusedButAnArchivedCopyWhoseGroupIsStillOnlineMayGo() {
        writeLogs();
        ArchiveLogs.RefusedException cur = assertThrows(ArchiveLogs.RefusedException.class,
                () -> ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 5));
        assertTrue(cur.getMessage().contains("current log"), cur.getMessage());
        assertThrows(ArchiveLogs.RefusedException.class, () -> ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 99));
        // sequence 4 is still in its online group and archived: the archived copy may be deleted
        ArchiveLogs.deleteSequence(cfg().redoDir(), null, 4);
        assertFalse(Files.exists(cfg().archivedLog(4)));
        assertEquals("ONLINE", ArchiveLogs.list(cfg().redoDir(), 1).get(3).status());
        // the online copy still serves readers; later the writer may reuse the group (it was archived once)
        RedoLogReader r = new RedoLogReader(cfg().redoDir(), cfg().archiveDir(), 1, new RedoPosition(1, 4, 512));
        assertEquals(20, RedoTestData.drain(r).stream().filter(x -> x.position().sequence() == 4).count());
        r.close();
        try (RedoLogWriter w = RedoLogWriter.open(cfg())) {
            w.switchLogFile(); // 6 into sequence 3's group
            w.switchLogFile(); // 7 into sequence 4's group: allowed
            assertEquals(7, w.sequence());
        }
        assertEquals("DELETED", ArchiveLogs.list(cfg().redoDir(), 1).get(3).status());
    }

    @Test
    void deleteUpToSkipsCurrentAndAlreadyDeletedLogs() {
        writeLogs();
        ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 1);
        List<ArchiveLogs.LogInfo> deleted = ArchiveLogs.deleteUpTo(cfg().redoDir(), 1, 10);
        assertEquals(List.of(2L, 3L, 4L), deleted.stream().map(ArchiveLogs.LogInfo::sequence).toList());
        for (long s = 1; s <= 4; s++) assertFalse(Files.exists(cfg().archivedLog(s)));
        assertTrue(ArchiveLogs.deleteUpTo(cfg().redoDir(), 1, 10).isEmpty());
        assertEquals(List.of("DELETED", "DELETED", "ONLINE", "ONLINE", "ONLINE"),
                ArchiveLogs.list(cfg().redoDir(), 1).stream().map(ArchiveLogs.LogInfo::status).toList());
    }

    @Test
    void deleteInACopiedHomeLeavesTheOriginalUntouched() throws Exception {
        writeLogs();
        Path copy = home.resolveSibling(home.getFileName() + "-copy");
        copyTree(home, copy);
        try {
            RedoLogConfig there = RedoTestData.config(copy, 64 * 1024, 3);
            ArchiveLogs.deleteSequence(there.redoDir(), 1, 2);
            assertFalse(Files.exists(there.archivedLog(2)), "the copy's archive is deleted");
            assertTrue(Files.exists(cfg().archivedLog(2)), "the original's archive is untouched");
            assertEquals("ARCHIVED", ArchiveLogs.list(cfg().redoDir(), 1).get(1).status());
            assertEquals(there.archivedLog(1), ArchiveLogs.list(there.redoDir(), 1).get(0).path());
        } finally {
            try (var s = Files.walk(copy)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void versionTwoAbsolutePathsAreMappedUnderTheHomeAndALogOutsideItIsNeverDeleted() throws Exception {
        writeLogs();
        Path outside = Files.createTempFile("redotrail-outside", ".arc");
        try {
            String v2 = "redotrail-control\t2\ndb\tORCL\nthread\t1\t3\t5\t2\tOPEN\n"
                    + "log\t1\t1\t1\t1\t10\t900\t-\t/some/old/home/arch/" + cfg().archivedLog(1).getFileName() + "\tA\n"
                    + "log\t1\t2\t2\t10\t20\t900\t-\t" + outside + "\tA\n"
                    + "log\t1\t5\t2\t20\t-1\t512\t" + cfg().onlineLog(2) + "\t-\t-\n";
            java.util.zip.CRC32C c = new java.util.zip.CRC32C();
            c.update(v2.getBytes(StandardCharsets.UTF_8));
            Files.writeString(cfg().controlFile(), v2 + "crc32c\t" + Long.toHexString(c.getValue()) + "\n");
            assertEquals(cfg().archivedLog(1), ArchiveLogs.list(cfg().redoDir(), 1).get(0).path(), "mapped under the home");
            ArchiveLogs.RefusedException e = assertThrows(ArchiveLogs.RefusedException.class,
                    () -> ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 2));
            assertTrue(e.getMessage().contains("outside the home"), e.getMessage());
            assertTrue(Files.exists(outside));
            ArchiveLogs.deleteSequence(cfg().redoDir(), 1, 1);
            assertFalse(Files.exists(cfg().archivedLog(1)));
            assertTrue(Files.readString(cfg().controlFile()).startsWith("redotrail-control\t3\n"), "rewritten as version 3");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
    }

    @Test
    void versionOneControlFileIsStillReadAsOpenThreadsWithAvailableArchives() throws Exception {
        Path arc = cfg().archivedLog(1);
        String body = "redotrail-control\t1\ndb\tORCL\nthread\t1\t3\t2\t2\n"
                + "log\t1\t1\t1\t1\t10\t900\t-\t" + arc + "\n"
                + "log\t1\t2\t2\t10\t-1\t512\t" + cfg().onlineLog(2) + "\t-\n";
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(cfg().redoDir());
        Files.writeString(cfg().controlFile(), body + "crc32c\t" + Long.toHexString(c.getValue()) + "\n");
        ControlFile cf = ControlFile.read(cfg().controlFile()).orElseThrow();
        assertTrue(cf.threads.get(1).open);
        assertEquals(arc, cf.log(1, 1).availableArchive());
        assertEquals("ARCHIVED", cf.log(1, 1).status());
    }
}
