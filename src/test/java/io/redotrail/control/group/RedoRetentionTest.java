package io.redotrail.control.group;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.extract.BoundedRecovery;
import io.redotrail.extract.br.BrStore;
import io.redotrail.redo.ArchiveLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The redo a home's Extracts still need, from their checkpoint files: the Recovery checkpoint, or a Bounded Recovery
 * checkpoint's restart position while BR would restore from it; a pump needs none.
 */
class RedoRetentionTest {
    @TempDir
    Path home;

    CheckpointPoint at(int thread, long seq, long rba) {
        return new CheckpointPoint(new RedoPosition(thread, seq, rba), Scn.of(seq * 1000 + rba), 1_700_000_000_000L,
                home.resolve("redo/redo0" + thread + ".log").toString());
    }

    void extract(String group, RedoReadCheckpoint... reads) {
        new CheckpointFile(CheckpointFile.extractFile(home, group)).write(new ProcessCheckpoint(group, "EXTRACT",
                List.of(reads), null, List.of(new io.redotrail.checkpoint.WriteCheckpoint("./dirdat/ex", new TrailPosition(0, 0), 0,
                "EXTTRAIL", Scn.of(0))), null, null, null, 1L, 2L, 'A'));
    }

    List<String> retained() {
        return RedoRetention.of(home, k -> null).stream().map(r -> r.thread() + ":" + r.sequence() + " " + r.neededBy()).toList();
    }

    @Test
    void recoveryCheckpointUnlessAnUnsupersededBrCheckpointRestartsLater() {
        extract("EXT1", new RedoReadCheckpoint(1, at(1, 2, 0), at(1, 5, 100), at(1, 9, 400)),
                new RedoReadCheckpoint(2, at(2, 1, 0), at(2, 3, 50), at(2, 4, 80)));
        new CheckpointFile(CheckpointFile.extractFile(home, "PUMP1")).write(new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(),
                new TrailReadCheckpoint("./dirdat/ex", new TrailPosition(0, 0), 0, new TrailPosition(0, 0), 0), List.of(),
                null, null, null, 1L, 2L, 'A'));
        assertEquals(List.of("1:5 Extract EXT1 (its Recovery checkpoint: Thread 1, Seqno 5, RBA 100)",
                "2:3 Extract EXT1 (its Recovery checkpoint: Thread 2, Seqno 3, RBA 50)"), retained());

        // BR persisted thread 1's oldest transactions: a restart re-reads thread 1 from sequence 7 only
        BrStore br = new BrStore(BoundedRecovery.dirOf(home.resolve("BR"), "EXT1"), "EXT1", false);
        br.checkpoint(3L, Scn.of(1), at(1, 5, 100), Map.of(1, at(1, 8, 0), 2, at(2, 4, 0)), Map.of(1, at(1, 7, 10)), List.of());
        assertEquals(List.of("1:7 Extract EXT1 (its Bounded Recovery checkpoint 1 restarts at Thread 1, Seqno 7, RBA 10)",
                "2:3 Extract EXT1 (its Recovery checkpoint: Thread 2, Seqno 3, RBA 50)"), retained());

        // ADD EXTRACT of the name again (DELETE left BRDIR; start time 0): its first start retires those BR files
        new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT",
                List.of(new RedoReadCheckpoint(1, at(1, 5, 100), at(1, 5, 100), at(1, 5, 100)), new RedoReadCheckpoint(2,
                        at(2, 3, 50), at(2, 3, 50), at(2, 3, 50))), null, List.of(), null, null, null, 0L, 0L, 'G'));
        assertEquals(List.of("1:5 Extract EXT1 (its Recovery checkpoint: Thread 1, Seqno 5, RBA 100)",
                "2:3 Extract EXT1 (its Recovery checkpoint: Thread 2, Seqno 3, RBA 50)"), retained());
        extract("EXT1", new RedoReadCheckpoint(1, at(1, 2, 0), at(1, 5, 100), at(1, 9, 400)),
                new RedoReadCheckpoint(2, at(2, 1, 0), at(2, 3, 50), at(2, 4, 80)));

        // the extract checkpoint overtook the next BR checkpoint (Recovery past its restart, Current past its end):
        // retired at the next start, so the Recovery checkpoint counts
        br.checkpoint(4L, Scn.of(2), at(1, 5, 100), Map.of(1, at(1, 8, 0)), Map.of(1, at(1, 4, 0)), List.of());
        assertEquals(List.of("1:5 Extract EXT1 (its Recovery checkpoint: Thread 1, Seqno 5, RBA 100)",
                "2:3 Extract EXT1 (its Recovery checkpoint: Thread 2, Seqno 3, RBA 50)"), retained());
    }

    @Test
    void aHomeWithoutExtractsRetainsNothing() {
        assertEquals(List.<ArchiveLogs.Retained>of(), RedoRetention.of(home, k -> null));
    }

    /** A redo thread the source has and the checkpoint lacks is read from its oldest log at restart: every log kept. */
    @Test
    void aThreadTheCheckpointLacksIsKeptWhole() {
        for (int t = 1; t <= 2; t++) {
            try (io.redotrail.sim.RedoLogWriter w = io.redotrail.sim.RedoLogWriter.open(
                    io.redotrail.redo.RedoLogConfig.defaults(home, t, "DB").withLogSize(64 * 1024))) {
                w.switchLogFile();
            }
        }
        extract("EXT1", new RedoReadCheckpoint(1, at(1, 1, 0), at(1, 2, 0), at(1, 2, 0)));
        assertEquals(List.of("1:2 Extract EXT1 (its Recovery checkpoint: Thread 1, Seqno 2, RBA 0)",
                "2:0 Extract EXT1 (it has no checkpoint on thread 2 yet: a restart reads that thread from its oldest log)"), retained());
    }

    /**
     * The BR files are where the group's BRDIR puts them; BR BROFF or BRRESET start from the Recovery checkpoint, so
     * a BR checkpoint on disk then keeps nothing less.
     */
    @Test
    void theGroupsBrdirBroffAndBrresetDecide() throws Exception {
        extract("EXT1", new RedoReadCheckpoint(1, at(1, 2, 0), at(1, 5, 100), at(1, 9, 400)));
        new BrStore(BoundedRecovery.dirOf(home.resolve("mybr"), "EXT1"), "EXT1", false)
                .checkpoint(3L, Scn.of(1), at(1, 5, 100), Map.of(1, at(1, 8, 0)), Map.of(1, at(1, 7, 10)), List.of());
        String recovery = "1:5 Extract EXT1 (its Recovery checkpoint: Thread 1, Seqno 5, RBA 100)";
        assertEquals(List.of(recovery), retained(), "BR/EXT1 holds none");
        java.nio.file.Files.createDirectories(home.resolve("dirprm"));
        java.nio.file.Path prm = home.resolve("dirprm/ext1.prm");
        java.nio.file.Files.writeString(prm, "EXTRACT ext1\nEXTTRAIL ./dirdat/ex\nBR BRDIR ./mybr\n");
        assertEquals(List.of("1:7 Extract EXT1 (its Bounded Recovery checkpoint 1 restarts at Thread 1, Seqno 7, RBA 10)"), retained());
        java.nio.file.Files.writeString(prm, "EXTRACT ext1\nEXTTRAIL ./dirdat/ex\nBR BRDIR ./mybr, BRRESET\n");
        assertEquals(List.of(recovery), retained(), "BRRESET");
        java.nio.file.Files.writeString(prm, "EXTRACT ext1\nEXTTRAIL ./dirdat/ex\nBR BROFF\n");
        assertEquals(List.of(recovery), retained(), "BROFF");
        assertEquals(List.of(recovery), RedoRetention.of(home, k -> k.equals("redotrail.extract.brDir") ? "mybr"
                : k.equals("redotrail.extract.brOff") ? "true" : null).stream()
                .map(r -> r.thread() + ":" + r.sequence() + " " + r.neededBy()).toList(), "BROFF by configuration");
    }
}
