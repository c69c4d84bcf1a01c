package io.redotrail.fuzz;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;

import java.nio.file.Path;
import java.util.List;

/**
 * Checkpoint files: the extract's {@code EXT1.cpe} and the Replicat's {@code REP1.cpr}, written by
 * {@link CheckpointFile} next to a trail. Read as a restart does: the extract reopens its trail with the
 * .cpe's write checkpoint (its writer's recovery must not cut below it); the Replicat reads the trail from the
 * .cpr's read checkpoint (as it does when its checkpoint table has no row).
 */
final class CheckpointKind implements FileKind {
    @Override
    public String name() {
        return "checkpoint file";
    }

    @Override
    public void write(Path dir) {
        TrailPosition end = TrailKind.writeTrail(dir);
        TrailPosition middle;
        try (TrailReader r = new TrailReader(TrailKind.trail(dir), TrailPosition.START)) {
            middle = r.poll(40).stream().skip(9).findFirst().map(Transaction::trailEnd).orElseThrow();
        }
        CheckpointPoint p = new CheckpointPoint(new RedoPosition(1, 14878, 4_005_324), Scn.of(9_137_554),
                1_403_373_599_000L, "redo/redo_1_2.log");
        CheckpointPoint q = new CheckpointPoint(new RedoPosition(1, 14879, 1_024), Scn.of(9_138_001),
                1_403_373_612_345L, "arch/1_14879.arc");
        new CheckpointFile(CheckpointFile.extractFile(dir, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT",
                List.of(new RedoReadCheckpoint(1, p, p, q)), null,
                List.of(new WriteCheckpoint("dirdat/ex", end, 1_403_373_613_000L, "EXTTRAIL", Scn.of(5117))),
                p, p, q, 1_403_373_000_000L, 1_403_373_613_000L, 'A'));
        new CheckpointFile(CheckpointFile.replicatFile(dir, "REP1")).write(new ProcessCheckpoint("REP1", "REPLICAT",
                List.of(), new TrailReadCheckpoint("dirdat/ex", TrailPosition.START, 1_403_373_000_000L,
                middle, 1_403_373_600_000L), List.of(), null, null, null, 1_403_373_000_000L, 1_403_373_600_000L, 'G'));
    }

    @Override
    public List<Path> targets(Path dir) {
        return List.of(CheckpointFile.extractFile(dir, "EXT1"), CheckpointFile.replicatFile(dir, "REP1"));
    }

    @Override
    public List<Long> hotSpots(Path file, byte[] bytes) {
        return Damage.lines(bytes);
    }

    @Override
    public String read(Path dir, Path damaged, List<String> out) {
        ProcessCheckpoint ext = new CheckpointFile(CheckpointFile.extractFile(dir, "EXT1")).read().orElseThrow();
        out.add(ext.toString());
        try (TrailWriter w = TrailWriter.open(TrailKind.trail(dir), "EXT1", TrailKind.FILE_BYTES, ext.write(0).position())) {
            out.add("extract trail resumes at " + w.position() + " after CSN " + w.lastCsn());
        }
        ProcessCheckpoint rep = new CheckpointFile(CheckpointFile.replicatFile(dir, "REP1")).read().orElseThrow();
        out.add(rep.toString());
        try (TrailReader r = new TrailReader(TrailKind.trail(dir), rep.trailRead().current())) {
            TrailKind.drain(r, out);
        }
        return null;
    }
}
