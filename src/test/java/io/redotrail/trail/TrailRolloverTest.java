package io.redotrail.trail;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.redotrail.trail.TrailTestData.txs;
import static io.redotrail.trail.TrailWriterReaderTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write checkpoint at RBA 0 of a file that does not exist yet (ALTER EXTRACT ... ETROLLOVER) makes the writer
 * open that file instead of refusing a trail cut below its checkpoint; {@link TrailFiles} answers the questions
 * GGSCI asks before moving a checkpoint.
 */
class TrailRolloverTest {
    @TempDir
    Path home;

    private Path trail() {
        return home.resolve("dirdat").resolve("ex");
    }

    private List<Transaction> writeFive() throws Exception {
        return TrailRecoveryTest.writeFive(trail());
    }

    @Test
    void truncatedBelowCheckpointRefusesUntilRolledOver() throws Exception {
        List<Transaction> five = writeFive();
        TrailPosition checkpoint = five.get(4).trailEnd();
        Path f0 = TrailFormat.fileOf(trail(), 0);
        TrailRecoveryTest.truncate(f0, five.get(2).trailEnd().rba() + 7); // transactions 4 and 5 lost, a torn record left
        CorruptFileException refused = assertThrows(CorruptFileException.class,
                () -> TrailWriter.open(trail(), "EXT1", 1 << 20, checkpoint));
        assertTrue(refused.getMessage().contains("refusing to discard durable data"), refused.getMessage());

        TrailFiles.LastComplete kept = TrailFiles.lastComplete(trail());
        assertEquals(five.get(2).trailEnd(), kept.end());
        assertEquals(Scn.of(1003), kept.csn());

        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20, new TrailPosition(1, 0))) {
            assertEquals(1, w.seqno(), "writes into the rolled-over file");
            assertEquals(Scn.of(1003), w.lastCsn(), "skips judged against what the trail kept");
            assertFalse(w.alreadyWritten(five.get(3)), "a lost transaction is written again");
            assertTrue(w.alreadyWritten(five.get(2)));
            w.append(txs(4, 7, 3));
        }
        assertEquals(five.get(2).trailEnd().rba(), Files.size(f0), "torn bytes cut by the writer's own recovery");
        try (TrailReader r = new TrailReader(trail(), TrailPosition.START)) {
            List<Transaction> all = readAll(r, 6, 5000);
            assertEquals(List.of(1001L, 1002L, 1003L, 1004L, 1005L, 1006L), all.stream().map(t -> t.csn().value()).toList());
        }
    }

    @Test
    void rolloverPastLostFilesAndFromNothing() throws Exception {
        writeFive();
        // the checkpoint says seqno 3 (files 1..3 lost): the new file is 4, after a FILE_END in file 0
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20, new TrailPosition(4, 0))) {
            assertEquals(4, w.seqno());
        }
        Path empty = home.resolve("other").resolve("ha");
        try (TrailWriter w = TrailWriter.open(empty, "PUMP1", 1 << 20, new TrailPosition(7, 0))) {
            assertEquals(7, w.seqno());
            assertEquals(Scn.ZERO, w.lastCsn());
        }
    }

    @Test
    void boundariesAndRereadPoint() throws Exception {
        List<Transaction> five = writeFive();
        try (TrailWriter w = TrailWriter.open(trail(), "EXT1", 1 << 20, new TrailPosition(1, 0))) {
            w.append(txs(6, 8, 2));
        }
        TrailFiles.requireBoundary(trail(), new TrailPosition(0, 0));
        TrailFiles.requireBoundary(trail(), five.get(1).trailEnd());
        TrailFiles.requireBoundary(trail(), five.get(4).trailEnd());
        IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
                () -> TrailFiles.requireBoundary(trail(), new TrailPosition(0, five.get(1).trailEnd().rba() + 3)));
        assertTrue(inside.getMessage().contains("RBA " + (five.get(1).trailEnd().rba() + 3) + " of " + TrailFormat.fileOf(trail(), 0))
                && inside.getMessage().contains("nearest: RBA " + five.get(1).trailEnd().rba()), inside.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TrailFiles.requireBoundary(trail(), new TrailPosition(5, 0)));
        assertTrue(missing.getMessage().contains("does not exist") && missing.getMessage().contains("seqno 0 to 1"), missing.getMessage());

        assertEquals(new TrailPosition(1, 0), TrailFiles.rereadFrom(trail(), Scn.of(1006), 1), "file 1 follows CSN 1005");
        assertEquals(new TrailPosition(0, 0), TrailFiles.rereadFrom(trail(), Scn.of(1005), 1), "CSN 1005 is in file 0");
        assertEquals(new TrailPosition(0, 0), TrailFiles.rereadFrom(trail(), Scn.of(1006), 0), "never past the reader");
    }

    /** A trail file is named by its prefix and its seqno in nine digits, zero-padded, beyond nine digits as it is. */
    @Test
    void filesAreNamedByTheSeqnoInNineDigits() {
        Path trail = Path.of("dirdat", "ex");
        assertEquals(Path.of("dirdat", "ex000000000"), TrailFormat.fileOf(trail, 0));
        assertEquals(Path.of("dirdat", "ex000000012"), TrailFormat.fileOf(trail, 12));
        assertEquals(Path.of("dirdat", "ex999999999"), TrailFormat.fileOf(trail, 999_999_999));
        for (long s : new long[]{1, 9, 10, 99, 100, 123_456_789, 1_000_000_000L, Long.MAX_VALUE, -1, -12}) {
            assertEquals(trail.resolveSibling("ex" + String.format("%09d", s)), TrailFormat.fileOf(trail, s), "seqno " + s);
        }
    }
}
