package io.redotrail.checkpoint;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointFileTest {
    @TempDir
    Path home;

    private static CheckpointPoint point(int thread, long seq, long rba, long scn) {
        return new CheckpointPoint(new RedoPosition(thread, seq, rba), Scn.of(scn), 1_403_345_414_000L + scn,
                "/u01/app/oracle/oradata/ggate1/redo03.log");
    }

    private ProcessCheckpoint sample() {
        RedoReadCheckpoint t1 = new RedoReadCheckpoint(1, point(1, 14861, 5918224, 9129707),
                point(1, 14878, 116752, 9137521), point(1, 14878, 5977088, 9137612));
        RedoReadCheckpoint t2 = new RedoReadCheckpoint(2, point(2, 24, 60607504, 8439719),
                point(2, 24, 65657408, 8440613), point(2, 24, 65657408, 8440613));
        WriteCheckpoint w = new WriteCheckpoint("./dirdat/zz", new TrailPosition(3, 8130790), 1_403_345_504_414L,
                "RMTTRAIL", Scn.of(9137600));
        return new ProcessCheckpoint("EXT1", "EXTRACT", List.of(t1, t2), null, List.of(w), null,
                point(1, 14878, 116752, 9137521), point(1, 14881, 139776, 9138688), 1_403_345_255_000L,
                1_403_345_504_000L, 'A');
    }

    @Test
    void roundTripKeepsEveryField() {
        CheckpointFile f = new CheckpointFile(CheckpointFile.extractFile(home, "ext1"));
        assertTrue(f.read().isEmpty());
        ProcessCheckpoint cp = sample();
        f.write(cp);
        assertEquals(home.resolve("dirchk/EXT1.cpe"), f.path());
        assertEquals(cp, f.read().orElseThrow());
        assertFalse(Files.exists(home.resolve("dirchk/EXT1.cpe.tmp")), "temp file must be renamed away");
    }

    @Test
    void trailReaderCheckpointRoundTrips() {
        CheckpointFile f = new CheckpointFile(CheckpointFile.replicatFile(home, "rep1"));
        ProcessCheckpoint cp = new ProcessCheckpoint("REP1", "REPLICAT", List.of(),
                new TrailReadCheckpoint("./dirdat/ha", new TrailPosition(3, 20259), 1L, new TrailPosition(4, 1755), 2L),
                List.of(), null, null, null, 1L, 2L, 'G');
        f.write(cp);
        assertEquals(cp, f.read().orElseThrow());
    }

    @Test
    void damagedFileIsReportedWithItsPathNotGuessedAt() throws Exception {
        CheckpointFile f = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1"));
        f.write(sample());
        String text = Files.readString(f.path(), StandardCharsets.UTF_8).replace("read.1.current.rba=5977088",
                "read.1.current.rba=5977089");
        Files.writeString(f.path(), text, StandardCharsets.UTF_8);
        CorruptFileException e = assertThrows(CorruptFileException.class, f::read);
        assertTrue(e.getMessage().contains("EXT1.cpe") && e.getMessage().contains("CRC mismatch"), e.getMessage());
    }

    @Test
    void unknownVersionIsRefused() {
        Path p = CheckpointFile.extractFile(home, "EXT1");
        SealedTextFile.write(p, "redotrail-checkpoint=99\ngroup=EXT1\n", "crc32c=");
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> new CheckpointFile(p).read());
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }
}
