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
    void lagAndEofAreOptionalKeysAndDecideTheCheckpointLag() {
        CheckpointFile f = new CheckpointFile(CheckpointFile.extractFile(home, "pump1"));
        TrailReadCheckpoint read = new TrailReadCheckpoint("./dirdat/ex", new TrailPosition(0, 0), 1_000,
                new TrailPosition(3, 900), 10_000);
        // as GGSCI ADD / an older version writes it: no lag recorded, the old formula (checkpoint - last record)
        ProcessCheckpoint old = new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(), read, List.of(), null, null, null,
                500, 70_000, 'A');
        f.write(old);
        assertEquals(old, f.read().orElseThrow());
        assertEquals(-1, f.read().orElseThrow().lagMillis());
        assertEquals(60_000, CheckpointLag.lagMillis(f.read().orElseThrow()));
        // a backlog: the last record's lag when processed, however long ago the record was
        ProcessCheckpoint busy = new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(), read, List.of(), null, null, null,
                500, 70_000, 'A', 4_000, false);
        f.write(busy);
        assertEquals(busy, f.read().orElseThrow());
        assertEquals(4_000, CheckpointLag.lagMillis(f.read().orElseThrow()));
        // idle and caught up: 0, and the status survives withStatus (a graceful stop)
        ProcessCheckpoint idle = new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(), read, List.of(), null, null, null,
                500, 900_000, 'A', 0, true);
        f.write(idle.withStatus(901_000, 'G'));
        ProcessCheckpoint back = f.read().orElseThrow();
        assertTrue(back.atEof());
        assertEquals(0, CheckpointLag.lagMillis(back));
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
    void pathsUnderTheHomeAreStoredRelativeSoACopiedHomeNamesItsOwnFiles() throws Exception {
        Path a = home.resolve("a"), b = home.resolve("b");
        CheckpointPoint redo = new CheckpointPoint(new RedoPosition(1, 3, 512), Scn.of(7), 1L, a.resolve("arch/1_3.arc").toString());
        ProcessCheckpoint cp = new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(new RedoReadCheckpoint(1, redo, redo, redo)),
                new TrailReadCheckpoint(a.resolve("dirdat/ex").toString(), new TrailPosition(0, 0), 1L, new TrailPosition(0, 90), 2L),
                List.of(new WriteCheckpoint(a.resolve("dirdat/ha").toString(), new TrailPosition(0, 80), 3L, "RMTTRAIL", Scn.of(7))),
                null, null, null, 1L, 2L, 'G');
        new CheckpointFile(CheckpointFile.extractFile(a, "PUMP1")).write(cp);
        String text = Files.readString(CheckpointFile.extractFile(a, "PUMP1"));
        assertTrue(text.startsWith("redotrail-checkpoint=2\n"), text);
        assertTrue(text.contains("trailread.trail=./dirdat/ex\n") && text.contains("write.1.trail=./dirdat/ha\n")
                && text.contains("read.1.current.file=./arch/1_3.arc\n"), text);
        assertFalse(text.contains(a.toString()), "no absolute path of the home in its checkpoint file:\n" + text);
        Files.createDirectories(b.resolve("dirchk"));
        Files.copy(CheckpointFile.extractFile(a, "PUMP1"), CheckpointFile.extractFile(b, "PUMP1"));
        ProcessCheckpoint copied = new CheckpointFile(CheckpointFile.extractFile(b, "PUMP1")).read().orElseThrow();
        assertEquals(b.resolve("dirdat/ha"), HomePaths.resolve(b, copied.write(0).trail()));
        assertTrue(HomePaths.same(b, copied.trailRead().trail(), b.resolve("dirdat/ex").toString()));
    }

    @Test
    void versionOneAbsolutePathsOfAnotherHomeAreMappedUnderThisOne() throws Exception {
        Files.createDirectories(home.resolve("dirdat"));
        Files.createDirectories(home.resolve("arch"));
        String v1 = "redotrail-checkpoint=1\ngroup=EXT1\nprocess=EXTRACT\nstart.time=1\nlast.update=2\nstop.status=G\n"
                + "redo.threads=1\nread.1.current.thread=1\nread.1.current.seqno=3\nread.1.current.rba=512\n"
                + "read.1.current.scn=7\nread.1.current.ts=1\nread.1.current.file=/old/home/arch/1_3.arc\n"
                + "writes=1\nwrite.1.trail=/old/home/dirdat/ex\nwrite.1.position=0:80\nwrite.1.ts=3\n"
                + "write.1.type=EXTTRAIL\nwrite.1.lastcsn=7\n";
        Path p = CheckpointFile.extractFile(home, "EXT1");
        SealedTextFile.write(p, v1, "crc32c=");
        ProcessCheckpoint cp = new CheckpointFile(p).read().orElseThrow();
        assertEquals("./dirdat/ex", cp.write(0).trail());
        assertEquals("./arch/1_3.arc", cp.redoRead(1).current().redoFile());
    }

    @Test
    void unknownVersionIsRefused() {
        Path p = CheckpointFile.extractFile(home, "EXT1");
        SealedTextFile.write(p, "redotrail-checkpoint=99\ngroup=EXT1\n", "crc32c=");
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> new CheckpointFile(p).read());
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }
}
