package io.redotrail.control.manager;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailWriter;

import java.nio.file.Path;
import java.util.List;

/**
 * Homes for the Manager's tests, written with the real writers: trail files by {@link TrailWriter} (one
 * transaction per file: small files) and group definitions as GGSCI ADD writes them (contract 1), by
 * {@link CheckpointFile}. Stateless.
 */
public final class TestHomes {
    private TestHomes() {
    }

    /** Writes trail {@code ./dirdat/<prefix>} until it has files 0..lastSeqno; returns the writer's position. */
    public static TrailPosition writeTrail(Path home, String prefix, long lastSeqno) {
        Path trail = home.resolve("dirdat").resolve(prefix);
        long csn = 1000;
        try (TrailWriter w = TrailWriter.open(trail, "EXT1", 1024)) {
            while (w.seqno() < lastSeqno || TrailFormat.lastSeqno(trail).orElse(-1) < lastSeqno) {
                csn += 3;
                RowImage img = new RowImage(new String[]{"ID", "NAME"}, new Object[]{csn, "x".repeat(900)});
                w.append(List.of(new Transaction(new Xid(1, 1, csn), Scn.of(csn), 1_700_000_000_000L + csn, 1,
                        List.of(new RowChange("HR.EMP", ChangeOp.INSERT, null, img)), null)));
            }
            return w.position();
        }
    }

    /** A primary Extract writing {@code trail} at {@code writeSeqno}. */
    public static void extract(Path home, String group, String trail, long writeSeqno) {
        long now = System.currentTimeMillis();
        new CheckpointFile(CheckpointFile.extractFile(home, group)).write(new ProcessCheckpoint(group, "EXTRACT", List.of(), null,
                List.of(new WriteCheckpoint(trail, new TrailPosition(writeSeqno, 0), now, "EXTTRAIL", Scn.of(0))),
                null, null, null, now, now, 'G'));
    }

    /** A pump (EXTRACT with a trail read) reading {@code source} at {@code readSeqno}, writing {@code target}. */
    public static void pump(Path home, String group, String source, long readSeqno, String target, long writeSeqno) {
        long now = System.currentTimeMillis();
        List<WriteCheckpoint> writes = target == null ? List.of()
                : List.of(new WriteCheckpoint(target, new TrailPosition(writeSeqno, 0), now, "RMTTRAIL", Scn.of(0)));
        new CheckpointFile(CheckpointFile.extractFile(home, group)).write(new ProcessCheckpoint(group, "EXTRACT", List.of(),
                read(source, readSeqno, now), writes, null, null, null, now, now, 'G'));
    }

    /** A Replicat reading {@code trail} at {@code readSeqno}. */
    public static void replicat(Path home, String group, String trail, long readSeqno) {
        long now = System.currentTimeMillis();
        new CheckpointFile(CheckpointFile.replicatFile(home, group)).write(new ProcessCheckpoint(group, "REPLICAT", List.of(),
                read(trail, readSeqno, now), List.of(), null, null, null, now, now, 'G'));
    }

    private static TrailReadCheckpoint read(String trail, long seqno, long now) {
        return new TrailReadCheckpoint(trail, TrailPosition.START, now, new TrailPosition(seqno, 0), now);
    }
}
