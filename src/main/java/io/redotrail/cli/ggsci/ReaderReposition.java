package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.control.group.ReplicatTarget;
import io.redotrail.core.TrailPosition;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.trail.TrailFiles;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ALTER EXTRACT pump, EXTSEQNO n, EXTRBA m} / {@code ALTER REPLICAT g, EXTSEQNO n, EXTRBA m}: moves a trail
 * reader's read checkpoint to (n, m), which must be RBA 0 of an existing trail file or the end of a complete
 * transaction in it. A Replicat's position lives in two places: the checkpoint-table row (authoritative) and
 * {@code dirchk/<GROUP>.cpr}; both move, in the order that never leaves the file ahead of the table, so a failure
 * half-way cannot trigger OGG-30176 at the next start. The row's CSN watermark stays: moving back re-reads
 * transactions the Replicat then suppresses as applied, so nothing is applied twice.
 */
final class ReaderReposition {
    private final GgsciContext ctx;
    private final String program;
    private final ProcessCheckpoint cp;
    private final List<String> lines = new ArrayList<>();

    ReaderReposition(GgsciContext ctx, String program, ProcessCheckpoint cp) {
        this.ctx = ctx;
        this.program = program;
        this.cp = cp;
    }

    List<String> run(TrailPosition to) throws SQLException {
        String g = cp.group();
        TrailReadCheckpoint r = cp.trailRead();
        if (r == null) {
            throw new GgsciException(program + " " + g + " reads redo logs, not a trail: EXTSEQNO/EXTRBA position a trail "
                    + "reader (a pump or a Replicat). For a trail this extract cannot write, use ALTER EXTRACT " + g + ", ETROLLOVER.");
        }
        Path trail = Groups.readTrail(ctx, r);
        // after ETROLLOVER the writer creates its new file at its next start: its readers may be pointed there first
        boolean pendingRollover = Groups.writerOf(ctx.home(), trail).map(w -> w.position().equals(to)).orElse(false);
        try {
            if (!pendingRollover) TrailFiles.requireBoundary(trail, to);
        } catch (IllegalArgumentException e) {
            throw new GgsciException("EXTSEQNO " + to.seqno() + ", EXTRBA " + to.rba() + " refused for " + program + " " + g
                    + ": " + e.getMessage());
        }
        if (pendingRollover) say("Trail file " + io.redotrail.trail.TrailFormat.fileOf(trail, to.seqno())
                + " is the writer's rolled-over file, created when it next starts.");
        TrailPosition old = r.current();
        TrailReadCheckpoint moved = new TrailReadCheckpoint(r.trail(), r.startup(), r.startupTimestampMillis(), to, 0);
        ProcessCheckpoint updated = new ProcessCheckpoint(g, cp.processType(), cp.redoReads(), moved, cp.writes(),
                cp.brPrevious(), cp.brBegin(), cp.brEnd(), cp.startTimeMillis(), ctx.nowMillis(), cp.stopStatus());
        Path file = program.equals("REPLICAT") ? CheckpointFile.replicatFile(ctx.home(), g) : CheckpointFile.extractFile(ctx.home(), g);
        ReplicatTarget target = program.equals("REPLICAT") ? ReplicatTargets.of(ctx, g, cp) : null;
        if (target == null) {
            new CheckpointFile(file).write(updated);
        } else {
            // file never ahead of the table: moving back, the file first; moving forward, the table first
            boolean back = to.compareTo(old) < 0;
            if (back) new CheckpointFile(file).write(updated);
            TrailPosition rowWas = moveRow(target, g, to);
            if (!back) new CheckpointFile(file).write(updated);
            say("Checkpoint table " + target.checkpointTable() + ": " + (rowWas == null ? "no row for " + g + " (nothing applied yet), row added"
                    : EtRollover.at(rowWas)) + " -> " + EtRollover.at(to));
        }
        say("Read checkpoint (" + file + "): " + EtRollover.at(old) + " -> " + EtRollover.at(to) + " of " + trail);
        if (to.compareTo(old) < 0 && program.equals("REPLICAT")) {
            say("Transactions between the two positions are read again; those the checkpoint table holds as applied (its"
                    + " CSN watermark stays) are not applied twice, and its position follows the re-read.");
        }
        if (to.compareTo(old) > 0) {
            say("Transactions stored between the two positions, if any, are not read" + (program.equals("REPLICAT") ? " or applied" : "")
                    + " by " + program + " " + g + ".");
        }
        return lines;
    }

    /** Moves the row in one target transaction; returns its old position, or null when there was no row. */
    private TrailPosition moveRow(ReplicatTarget target, String g, TrailPosition to) {
        CheckpointTable table = target.table(ctx.home());
        try (Connection c = target.connect()) {
            table.create(c);
            c.setAutoCommit(false);
            Optional<CheckpointTable.Row> row = table.read(c, g);
            if (row.isPresent()) table.reposition(c, g, to);
            else table.update(c, g, to, io.redotrail.core.Scn.ZERO, 0, List.of());
            c.commit();
            return row.map(CheckpointTable.Row::position).orElse(null);
        } catch (SQLException e) {
            throw new GgsciException("cannot move " + program + " " + g + " in checkpoint table " + target.checkpointTable() + " of "
                    + target.jdbcUrl() + " (login from " + target.loginSource() + "; nothing changed in the table, which is"
                    + " authoritative: the Replicat still starts from its row): " + e.getMessage());
        }
    }

    private void say(String line) {
        ctx.out().println(line);
        lines.add(line);
    }
}
