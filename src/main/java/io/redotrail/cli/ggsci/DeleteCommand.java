package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.control.group.ReplicatTarget;
import io.redotrail.report.PidFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code DELETE EXTRACT | REPLICAT group}: removes the group's definition, its files in {@code dirchk/} (checkpoint
 * file, pid/lock file, control port file), refused while the group runs. Its parameter file in {@code dirprm/},
 * reports and trails stay, as in GoldenGate. A Replicat's row in the checkpoint table it uses ({@link #deleteRow})
 * is deleted when its target is reachable (else a WARNING line says it stays); "Deleted REPLICAT R." as GGSCI says.
 */
final class DeleteCommand implements GgsciCommand {
    private final String program;

    DeleteCommand(String program) {
        this.program = program;
    }

    @Override
    public String verb() {
        return "DELETE";
    }

    @Override
    public String object() {
        return program;
    }

    @Override
    public String usage() {
        return "DELETE " + program + " <group>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws IOException {
        String g = c.group();
        if (g == null) throw new GgsciException("usage: " + usage());
        if (!program.equals(Groups.programOf(ctx.home(), g))) throw new GgsciException(program + " " + g + " does not exist.");
        Groups.requireStopped(ctx.home(), program, g, "delete it");
        Path cpFile = program.equals("REPLICAT") ? CheckpointFile.replicatFile(ctx.home(), g) : CheckpointFile.extractFile(ctx.home(), g);
        Optional<ProcessCheckpoint> cp;
        try {
            cp = new CheckpointFile(cpFile).read();
        } catch (RuntimeException e) {
            cp = Optional.empty(); // a damaged checkpoint is deleted with the rest
        }
        if (program.equals("REPLICAT")) deleteRow(ctx, g, cp.orElse(null));
        // a group ADDed again under the name must not inherit the BR state or the SKIPTRANS/FORCETRANS XIDs of this one
        if (cp.isPresent() && !cp.get().redoReads().isEmpty()) {
            try {
                io.redotrail.control.params.BrFiles br = EtRollover.boundedRecovery(ctx, cp.get());
                new io.redotrail.extract.br.BrStore(br.dir(), br.group(), br.keepStaleFiles()).reset();
            } catch (GgsciException e) {
                ctx.out().println("WARNING: the Bounded Recovery files of " + g + " were not retired (" + e.getMessage()
                        + "); a group added again under the name retires them at its first start");
            }
        }
        List<Path> files = new java.util.ArrayList<>(List.of(cpFile, PidFile.pathOf(ctx.home(), g), PidFile.controlPathOf(ctx.home(), g)));
        if (!program.equals("REPLICAT")) files.add(io.redotrail.extract.ExtractControl.ignoreFile(ctx.home(), g));
        files.addAll(io.redotrail.checkpoint.CheckpointHistory.files(cpFile));
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + f + " of " + program + " " + g, e);
            }
        }
        ctx.out().println("Deleted " + program + " " + g + ".");
        return 0;
    }

    /**
     * Deletes the Replicat's row from the checkpoint table it uses ({@link ReplicatTarget}: its definition's table,
     * its USERIDALIAS's database), as GoldenGate does after DBLOGIN: an ADD REPLICAT of the same name then starts
     * from its new definition, not from the old row. When the row cannot be deleted, the definition goes anyway
     * (the user asked for it) and the stale row is named so it can be removed by hand; ADD REPLICAT refuses while
     * it stays.
     */
    private static void deleteRow(GgsciContext ctx, String g, ProcessCheckpoint cp) {
        ReplicatTarget t;
        try {
            t = ReplicatTargets.of(ctx, g, cp);
        } catch (GgsciException e) {
            ctx.out().println("WARNING: the checkpoint table row of " + g + " was not deleted: " + e.getMessage());
            return;
        }
        try (Connection conn = t.connect()) {
            t.table(ctx.home()).delete(conn, g);
        } catch (SQLException e) {
            ctx.out().println("WARNING: the row of " + g + " in checkpoint table " + t.checkpointTable() + " of " + t.jdbcUrl()
                    + " was not deleted: " + io.redotrail.core.Jdbc.oneLine(e));
        }
    }
}
