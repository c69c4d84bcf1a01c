package io.redotrail.replicat.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Discard records are in the file exactly once across a crash at any step of {@link DiscardFile#commit}: each
 * state a crash can leave (side file written and not committed; committed and not appended; appended and the side
 * file not cleared) is made with the real files, then a new DiscardFile (the restart) recovers it as the
 * checkpoint table answers.
 */
class DiscardRecoveryTest {
    @TempDir
    Path dir;

    private static final String EARLIER = "Discarded record from action DISCARD on error earlier\n*\n";
    private static final String RECORDS = "Discarded record from action DISCARD on error 1\n*\nDiscarded record from action DISCARD on error 2\n*\n";

    private Path dsc() {
        return dir.resolve("dirrpt/REP1.dsc");
    }

    private Path side() {
        return dir.resolve("dirrpt/REP1.dsc.pending");
    }

    private DiscardFile withEarlierRecord() {
        DiscardFile f = new DiscardFile(dsc(), "REP1");
        f.append(EARLIER);
        return f;
    }

    /** A commit that is interrupted like a crash: the exception stands for the JVM stopping there. */
    private static final class Crash extends SQLException {
    }

    @Test
    void aCommitWritesTheRecordsOnceAndLeavesNoSideFile() throws Exception {
        DiscardFile f = withEarlierRecord();
        List<String> seen = new ArrayList<>();
        f.commit(RECORDS, 42, "1.2.3", () -> seen.add(Files.exists(side()) ? "side file before the commit" : "no side file"));
        assertEquals(List.of("side file before the commit"), seen);
        assertFalse(Files.exists(side()));
        String text = Files.readString(dsc());
        assertTrue(text.startsWith("Discard file of Replicat group REP1 (redotrail), opened "), text);
        assertTrue(text.endsWith("\n\n" + EARLIER + RECORDS), text);

        f.commit("", 43, "1.2.4", () -> seen.add("commit without records"));
        f.commit(null, 44, "1.2.5", () -> seen.add("commit without records"));
        assertEquals(3, seen.size());
        assertEquals(text, Files.readString(dsc()), "a group without records writes nothing");
        assertNull(new DiscardFile(dsc(), "REP1").recover((csn, xid) -> fail("no side file: nothing to ask")));
    }

    @Test
    void crashBeforeTheCommitDropsTheRecordsTheReplayedGroupWritesAgain() throws Exception {
        DiscardFile f = withEarlierRecord();
        String before = Files.readString(dsc());
        assertThrows(Crash.class, () -> f.commit(RECORDS, 42, "1.2.3", () -> {
            throw new Crash();
        }));
        assertTrue(Files.exists(side()));
        assertEquals(before, Files.readString(dsc()));
        List<String> asked = new ArrayList<>();
        String done = new DiscardFile(dsc(), "REP1").recover((csn, xid) -> asked.add(csn + " " + xid) && false);
        assertEquals(List.of("42 1.2.3"), asked, "the checkpoint table is asked about the group's last transaction");
        assertTrue(done.contains("did not commit") && done.contains("CSN 42 XID 1.2.3"), done);
        assertFalse(Files.exists(side()));
        assertEquals(before, Files.readString(dsc()));
    }

    @Test
    void crashAfterTheCommitBeforeTheAppendWritesTheRecordsAtStart() throws Exception {
        DiscardFile f = withEarlierRecord();
        String before = Files.readString(dsc());
        assertThrows(Crash.class, () -> f.commit(RECORDS, 42, "1.2.3", () -> {
            throw new Crash(); // as if committed, then killed: the files are what a crash there leaves
        }));
        assertEquals(before, Files.readString(dsc()));
        String done = new DiscardFile(dsc(), "REP1").recover((csn, xid) -> true);
        assertTrue(done.contains("committed before the crash"), done);
        assertEquals(before + RECORDS, Files.readString(dsc()));
        assertFalse(Files.exists(side()));
        assertNull(new DiscardFile(dsc(), "REP1").recover((csn, xid) -> true), "done once");
        assertEquals(before + RECORDS, Files.readString(dsc()));
    }

    @Test
    void crashAfterTheAppendDoesNotWriteTheRecordsTwice() throws Exception {
        DiscardFile f = withEarlierRecord();
        Path kept = dir.resolve("kept");
        // the side file as it was when the commit ran, put back after the append: a crash before it was cleared
        f.commit(RECORDS, 42, "1.2.3", () -> copy(side(), kept));
        String appended = Files.readString(dsc());
        Files.copy(kept, side());
        String done = new DiscardFile(dsc(), "REP1").recover((csn, xid) -> true);
        assertTrue(done.contains("committed before the crash"), done);
        assertEquals(appended, Files.readString(dsc()));
        assertEquals(1, count(appended, "on error 1\n"));
    }

    @Test
    void crashAfterAPartOfTheAppendCompletesIt() throws Exception {
        DiscardFile f = withEarlierRecord();
        Path kept = dir.resolve("kept");
        f.commit(RECORDS, 42, "1.2.3", () -> copy(side(), kept));
        String appended = Files.readString(dsc());
        long size = Files.size(dsc());
        try (var ch = java.nio.channels.FileChannel.open(dsc(), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 10); // a torn append
        }
        Files.copy(kept, side());
        new DiscardFile(dsc(), "REP1").recover((csn, xid) -> true);
        assertEquals(appended, Files.readString(dsc()));
    }

    @Test
    void theFirstRecordsOfAFileKeepTheirHeaderAcrossTheRecovery() throws Exception {
        DiscardFile f = new DiscardFile(dsc(), "REP1");
        Path kept = dir.resolve("kept");
        f.commit(RECORDS, 42, "1.2.3", () -> copy(side(), kept));
        String appended = Files.readString(dsc());
        Files.copy(kept, side());
        new DiscardFile(dsc(), "REP1").recover((csn, xid) -> true);
        assertEquals(appended, Files.readString(dsc()));
        assertEquals(1, count(appended, "Discard file of Replicat group"));
    }

    @Test
    void aFileShortenedSinceGetsTheRecordsAtItsEndRatherThanLosingThem() throws Exception {
        DiscardFile f = withEarlierRecord();
        assertThrows(Crash.class, () -> f.commit(RECORDS, 42, "1.2.3", () -> {
            throw new Crash();
        }));
        Files.writeString(dsc(), "x\n"); // an operator cut it meanwhile
        String done = new DiscardFile(dsc(), "REP1").recover((csn, xid) -> true);
        assertTrue(done.contains("appended at its end"), done);
        assertEquals("x\n" + RECORDS, Files.readString(dsc()));
    }

    @Test
    void afterAFailedCommitNoOtherGroupOverwritesTheSideFile() throws Exception {
        DiscardFile f = withEarlierRecord();
        assertThrows(Crash.class, () -> f.commit(RECORDS, 42, "1.2.3", () -> {
            throw new Crash();
        }));
        byte[] side = Files.readAllBytes(side());
        List<String> committed = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> f.commit("other\n*\n", 50, "9.9.9", () -> committed.add("other")));
        assertTrue(e.getMessage().contains(side().toString()) && e.getMessage().contains("CSN 42"), e.getMessage());
        assertEquals(List.of(), committed, "refused before its commit");
        assertArrayEquals(side, Files.readAllBytes(side()));
        f.commit("", 51, "9.9.8", () -> committed.add("no records"));
        assertEquals(List.of("no records"), committed);
    }

    @Test
    void aFullFileAbendsTheGroupBeforeItsCommitAndLeavesNothing() throws Exception {
        DiscardFile f = new DiscardFile(dsc(), "REP1", DiscardFile.Options.parse("APPEND, MAXBYTES 300"));
        f.append(EARLIER);
        String before = Files.readString(dsc());
        List<String> committed = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> f.commit("y".repeat(250) + "\n*\n", 42, "1.2.3", () -> committed.add("committed")));
        assertTrue(e.getMessage().contains("300 bytes") && e.getMessage().contains("not committing"), e.getMessage());
        assertEquals(List.of(), committed);
        assertFalse(Files.exists(side()));
        assertEquals(before, Files.readString(dsc()));
    }

    @Test
    void purgeComesAfterTheRecoveryAndAppendKeepsItsResult() throws Exception {
        DiscardFile f = withEarlierRecord();
        assertThrows(Crash.class, () -> f.commit(RECORDS, 42, "1.2.3", () -> {
            throw new Crash();
        }));
        DiscardFile appendMode = new DiscardFile(dsc(), "REP1", DiscardFile.Options.parse("APPEND"));
        appendMode.recover((csn, xid) -> true);
        appendMode.open();
        assertTrue(Files.readString(dsc()).endsWith(EARLIER + RECORDS));
        Files.copy(dir.resolve("dirrpt/REP1.dsc"), dir.resolve("copy"));
        assertThrows(Crash.class, () -> appendMode.commit(RECORDS, 43, "1.2.4", () -> {
            throw new Crash();
        }));
        DiscardFile purge = new DiscardFile(dsc(), "REP1", DiscardFile.Options.parse("PURGE"));
        assertNotNull(purge.recover((csn, xid) -> true));
        purge.open();
        assertFalse(Files.exists(dsc()));
        assertFalse(Files.exists(side()));
    }

    @Test
    void aDamagedSideFileIsRefusedNamingIt() throws Exception {
        DiscardFile f = withEarlierRecord();
        assertThrows(Crash.class, () -> f.commit(RECORDS, 42, "1.2.3", () -> {
            throw new Crash();
        }));
        byte[] b = Files.readAllBytes(side());
        b[b.length - 3] ^= 1;
        Files.write(side(), b);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new DiscardFile(dsc(), "REP1").recover((csn, xid) -> true));
        assertTrue(e.getMessage().contains(side().toString()) && e.getMessage().contains("CRC32"), e.getMessage());
        Files.writeString(side(), "something else\n\n");
        e = assertThrows(IllegalStateException.class, () -> new DiscardFile(dsc(), "REP1").recover((csn, xid) -> true));
        assertTrue(e.getMessage().contains("first line"), e.getMessage());
    }

    @Test
    void theTestHaltNamesOnlyItsSteps() {
        assertThrows(IllegalArgumentException.class, () -> new TestHalt("before@1"));
        new TestHalt(null).at("committed"); // unset: nothing happens
        new TestHalt("committed@2").at("committed"); // the first of two: nothing happens
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }
}
