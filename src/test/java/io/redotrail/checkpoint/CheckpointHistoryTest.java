package io.redotrail.checkpoint;

import io.redotrail.core.TrailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SHOWCH n's history: what a checkpoint write keeps of the one it replaced, rotation, and damage shown as such. */
class CheckpointHistoryTest {
    @TempDir
    Path home;

    private static ProcessCheckpoint cp(long seqno, long rba, long updated, char status) {
        return new ProcessCheckpoint("REP1", "REPLICAT", List.of(),
                new TrailReadCheckpoint("./dirdat/ha", new TrailPosition(3, 20259), 1L, new TrailPosition(seqno, rba), 1_000L + rba),
                List.of(), null, null, null, 1_000L, updated, status);
    }

    private CheckpointFile file() {
        return new CheckpointFile(CheckpointFile.replicatFile(home, "REP1"));
    }

    private List<ProcessCheckpoint> previous(int n) {
        return CheckpointHistory.previous(file().path(), n).stream().map(e -> {
            assertNull(e.damage());
            return e.checkpoint();
        }).toList();
    }

    @Test
    void keepsEachReplacedCheckpointThatMovedNewestFirst() {
        CheckpointFile f = file();
        f.write(cp(4, 100, 10_000, 'A'));
        assertEquals(List.of(), previous(5), "the first checkpoint has nothing before it");
        f.write(cp(4, 100, 11_000, 'A')); // renewed only: the same position, a later update time
        assertEquals(List.of(), previous(5));
        f.write(cp(4, 1755, 12_000, 'A'));
        f.write(cp(4, 1755, 13_000, 'G')); // a graceful stop at the same position is a change of state
        f.write(cp(5, 0, 14_000, 'A'));
        assertEquals(List.of(cp(4, 1755, 13_000, 'G'), cp(4, 1755, 12_000, 'A'), cp(4, 100, 11_000, 'A')), previous(5));
        assertEquals(List.of(cp(4, 1755, 13_000, 'G')), previous(1));
        assertEquals(cp(5, 0, 14_000, 'A'), f.read().orElseThrow(), "the current checkpoint is the file's");
    }

    @Test
    void rotatesIntoASecondFileAndKeepsTheNewest() throws Exception {
        CheckpointFile f = file();
        int writes = 0;
        Path h = CheckpointHistory.file(f.path());
        while (!Files.exists(CheckpointHistory.rotated(f.path())) || Files.size(h) < 4096) {
            f.write(cp(1, ++writes, writes, 'A'));
        }
        assertTrue(Files.size(CheckpointHistory.rotated(f.path())) >= CheckpointHistory.ROTATE_BYTES);
        List<ProcessCheckpoint> kept = previous(Integer.MAX_VALUE);
        assertTrue(kept.size() > 100 && kept.size() < writes, kept.size() + " of " + writes);
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(writes - 1 - i, kept.get(i).trailRead().current().rba(), "entry " + i + " in order, none missing");
        }
    }

    @Test
    void aDamagedOrTornEntryIsShownAsSuchNamingFileAndOffset() throws Exception {
        CheckpointFile f = file();
        for (int i = 1; i <= 4; i++) f.write(cp(1, i, i, 'A'));
        Path h = CheckpointHistory.file(f.path());
        byte[] bytes = Files.readAllBytes(h);
        int second = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).indexOf("redotrail-checkpoint", 1);
        bytes[second + 40] ^= 0x01; // inside the second entry (rba 2)
        Files.write(h, bytes);
        Files.write(h, "redotrail-checkpoint=2\ngroup=REP1\n".getBytes(), StandardOpenOption.APPEND); // a torn append
        List<CheckpointHistory.Entry> e = CheckpointHistory.previous(f.path(), 10);
        assertEquals(4, e.size());
        assertNull(e.get(0).checkpoint());
        assertTrue(e.get(0).damage().contains(h + " at byte " + bytes.length + ": the last entry is incomplete"), e.get(0).damage());
        assertEquals(3, e.get(1).checkpoint().trailRead().current().rba());
        assertNull(e.get(2).checkpoint());
        assertTrue(e.get(2).damage().startsWith(h + " at byte ") && e.get(2).damage().contains("CRC mismatch"), e.get(2).damage());
        assertEquals(1, e.get(3).checkpoint().trailRead().current().rba());
    }

    /** An idle Extract or pump rewrites its checkpoint with a new write-checkpoint time only: not history. */
    @Test
    void anIdleWriterStampingItsWriteCheckpointIsNotHistory() {
        CheckpointFile f = new CheckpointFile(CheckpointFile.extractFile(home, "PUMHA"));
        for (long t = 1; t <= 5; t++) {
            WriteCheckpoint w = new WriteCheckpoint("./dirdat/ha", new TrailPosition(2, 4711), 10_000 * t, "RMTTRAIL",
                    io.redotrail.core.Scn.of(77));
            f.write(new ProcessCheckpoint("PUMHA", "EXTRACT", List.of(), new TrailReadCheckpoint("./dirdat/ex",
                    new TrailPosition(0, 0), 1L, new TrailPosition(3, 900), 5L), List.of(w), null, null, null, 1L, 10_000 * t, 'A'));
        }
        assertEquals(List.of(), CheckpointHistory.previous(f.path(), 10));
    }

    /** A torn append, then the restarted process's next entry: the torn one is shown as such, the next one read. */
    @Test
    void anEntryAfterATornOneIsRead() throws Exception {
        CheckpointFile f = file();
        f.write(cp(1, 1, 1, 'A'));
        f.write(cp(1, 2, 2, 'A'));
        Path h = CheckpointHistory.file(f.path());
        long torn = Files.size(h);
        Files.write(h, "redotrail-checkpoint=2\ngroup=REP1\n".getBytes(), StandardOpenOption.APPEND);
        f.write(cp(1, 3, 3, 'A'));
        List<CheckpointHistory.Entry> e = CheckpointHistory.previous(f.path(), 10);
        assertEquals(3, e.size(), e.toString());
        assertEquals(2, e.get(0).checkpoint().trailRead().current().rba());
        assertTrue(e.get(1).damage().startsWith(h + " at byte " + torn + ": an entry without its CRC line"), e.get(1).damage());
        assertEquals(1, e.get(2).checkpoint().trailRead().current().rba());
    }

    @Test
    void aDamagedCheckpointFileIsNotHistory() throws Exception {
        CheckpointFile f = file();
        f.write(cp(1, 1, 1, 'A'));
        byte[] b = Files.readAllBytes(f.path());
        b[30] ^= 0x01;
        Files.write(f.path(), b);
        f.write(cp(1, 2, 2, 'A'));
        assertFalse(Files.exists(CheckpointHistory.file(f.path())));
        assertEquals(cp(1, 2, 2, 'A'), f.read().orElseThrow());
    }
}
