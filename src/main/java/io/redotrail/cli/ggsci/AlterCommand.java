package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.ReportFile;

import java.util.List;
import java.util.Map;

/**
 * {@code ALTER EXTRACT|REPLICAT group, ETROLLOVER} and {@code ALTER EXTRACT|REPLICAT group, EXTSEQNO n, EXTRBA m}:
 * GoldenGate's ways out of a startup refusal or an abend, acting on the group's checkpoints while it is stopped
 * ({@link EtRollover}, {@link ReaderReposition}). Each accepted command is recorded in the group's report file
 * (OGG-01021), so what an operator chose, and what it cost, can be read later.
 */
class AlterCommand implements GgsciCommand {
    private final String program;

    AlterCommand(String program) {
        this.program = program;
    }

    @Override
    public String verb() {
        return "ALTER";
    }

    @Override
    public String object() {
        return program;
    }

    @Override
    public String usage() {
        return "ALTER " + program + " <group>, " + (program.equals("EXTRACT") ? "ETROLLOVER | " : "")
                + "EXTSEQNO <n>, EXTRBA <m>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null || c.options().isEmpty()) throw new GgsciException("usage: " + usage());
        c.requireKnownOptions("ALTER " + program, Map.of("ETROLLOVER", 0, "EXTSEQNO", 1, "EXTRBA", 1));
        List<String> words = c.words();
        boolean etrollover = words.stream().anyMatch(w -> w.equalsIgnoreCase("ETROLLOVER"));
        Long seqno = Options.find(words, "EXTSEQNO");
        Long rba = Options.find(words, "EXTRBA");
        if (etrollover == (seqno != null || rba != null) || (!etrollover && seqno == null)) {
            throw new GgsciException("usage: " + usage());
        }
        if (etrollover && program.equals("REPLICAT")) {
            throw new GgsciException("ETROLLOVER applies to a process that writes a trail (EXTRACT); usage: " + usage());
        }
        String g = c.group();
        if (!program.equals(Groups.programOf(ctx.home(), g))) throw new GgsciException(program + " " + g + " does not exist.");
        Groups.requireStopped(ctx.home(), program, g, "alter it");
        ProcessCheckpoint cp = Groups.checkpoint(ctx.home(), program, g).orElseThrow(() -> new GgsciException(
                program + " " + g + " has no checkpoint file yet: start it once before altering its position."));
        List<String> report;
        try {
            if (etrollover) {
                report = new EtRollover(ctx, cp).run();
                ctx.out().println("Rollover performed.");
            } else {
                report = new ReaderReposition(ctx, program, cp).run(new TrailPosition(seqno, rba == null ? 0 : rba));
            }
        } catch (CorruptFileException e) {
            // a trail file the command had to read; the checkpoint files were not changed
            throw new GgsciException(program + " " + g + " not altered: " + e.getMessage() + ". Restore that file; to "
                    + "accept losing what it holds, move it out of " + e.file().getParent() + " and repeat the command.");
        }
        ctx.out().println(program + " altered.");
        ReportFile rpt = ReportFile.open(ctx.home(), g);
        rpt.infoQuietly("OGG-01021", "Command received from GGSCI: " + c.raw());
        report.forEach(line -> rpt.infoQuietly("OGG-01021", line));
        return 0;
    }
}
