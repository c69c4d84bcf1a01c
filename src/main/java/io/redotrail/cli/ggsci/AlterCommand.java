package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.ReportFile;

import java.util.List;
import java.util.Map;

/**
 * {@code ALTER EXTRACT|REPLICAT group, ETROLLOVER}, {@code ALTER EXTRACT|REPLICAT group, EXTSEQNO n, EXTRBA m} and
 * {@code BEGIN NOW | time} (a trail reader: the trail position ADD REPLICAT would find; an Extract reading redo: the
 * redo position ADD EXTRACT would find):
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
        return "ALTER " + program + " <group>, " + (program.equals("EXTRACT") ? "ETROLLOVER | SCN <n> | " : "")
                + "BEGIN NOW | BEGIN yyyy-mm-dd hh:mi[:ss[.cccccc]] | EXTSEQNO <n>, EXTRBA <m>"
                + (program.equals("EXTRACT") ? " [, THREAD <t>] (redo)" : "");
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null || c.options().isEmpty()) throw new GgsciException("usage: " + usage());
        if (c.has("SCN") || (c.has("BEGIN") && !readsTrail(c, ctx))) return alterBegin(c, ctx);
        c.requireKnownOptions("ALTER " + program, Map.of("ETROLLOVER", 0, "EXTSEQNO", 1, "EXTRBA", 1, "BEGIN", -1, "THREAD", 1));
        List<String> words = c.words();
        boolean etrollover = words.stream().anyMatch(w -> w.equalsIgnoreCase("ETROLLOVER"));
        List<String> begin = c.option("BEGIN");
        Long seqno = Options.find(words, "EXTSEQNO");
        Long rba = Options.find(words, "EXTRBA");
        int ways = (etrollover ? 1 : 0) + (begin != null ? 1 : 0) + (seqno != null || rba != null ? 1 : 0);
        if (ways != 1 || (seqno == null && rba != null)) throw new GgsciException("usage: " + usage());
        if (etrollover && program.equals("REPLICAT")) {
            throw new GgsciException("ETROLLOVER applies to a process that writes a trail (EXTRACT); usage: " + usage());
        }
        String g = c.group();
        if (!program.equals(Groups.programOf(ctx.home(), g))) throw new GgsciException(program + " " + g + " does not exist.");
        Groups.requireStopped(ctx.home(), program, g, "alter it");
        ProcessCheckpoint cp = Groups.checkpoint(ctx.home(), program, g).orElseThrow(() -> new GgsciException(
                program + " " + g + " has no checkpoint file yet: start it once before altering its position."));
        Long thread = Options.find(words, "THREAD");
        if (seqno != null && !cp.redoReads().isEmpty()) return alterRedoPosition(c, ctx, cp, thread, seqno, rba == null ? 0 : rba);
        if (thread != null) throw new GgsciException("THREAD positions an Extract reading redo (with EXTSEQNO, EXTRBA); usage: " + usage());
        List<String> report;
        try {
            if (etrollover) {
                report = new EtRollover(ctx, cp).run();
                ctx.out().println("Rollover performed.");
            } else {
                TrailPosition to = begin == null ? new TrailPosition(seqno, rba == null ? 0 : rba)
                        : AddReplicatCommand.trailBegin(Groups.readTrail(ctx, cp.trailRead()), cp.trailRead().trail(), begin);
                report = new ReaderReposition(ctx, program, cp).run(to);
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

    /** Whether the group reads a trail (a Replicat or a pump), so that BEGIN positions it in that trail. */
    private boolean readsTrail(ParsedCommand c, GgsciContext ctx) {
        if (program.equals("REPLICAT")) return true;
        if (c.group() == null || !program.equals(Groups.programOf(ctx.home(), c.group()))) return false;
        return Groups.checkpoint(ctx.home(), program, c.group()).map(cp -> cp.trailRead() != null).orElse(false);
    }

    /**
     * {@code ALTER EXTRACT g, BEGIN NOW | BEGIN time | [BEGIN] SCN n}: a stopped primary Extract's read checkpoints
     * (Startup = Recovery = Current, per thread it reads) move to the begin point, found as ADD EXTRACT finds it
     * ({@link RedoBegin}); its Bounded Recovery state is retired and its start time cleared, so the next start is
     * recovered from the altered checkpoint like a first start (OGG-01635; a transaction in flight at the begin is
     * left out, OGG-01028). Its trail and write checkpoints stay: what it wrote is not written again.
     */
    private int alterBegin(ParsedCommand c, GgsciContext ctx) {
        String g = c.group();
        if (!program.equals("EXTRACT")) throw new GgsciException("SCN positions an Extract reading redo; for a Replicat use BEGIN or EXTSEQNO, EXTRBA.");
        if (!program.equals(Groups.programOf(ctx.home(), g))) throw new GgsciException(program + " " + g + " does not exist.");
        Groups.requireStopped(ctx.home(), program, g, "alter it");
        ProcessCheckpoint cp = Groups.checkpoint(ctx.home(), program, g).orElseThrow(() -> new GgsciException(
                program + " " + g + " has no checkpoint file: ADD EXTRACT defines it."));
        if (cp.redoReads().isEmpty()) {
            throw new GgsciException("EXTRACT " + g + " reads a trail (a pump), not redo: position it with BEGIN NOW | BEGIN time or EXTSEQNO n, EXTRBA m.");
        }
        io.redotrail.control.params.BrFiles br = EtRollover.boundedRecovery(ctx, cp);
        RedoBegin redo = new RedoBegin(ctx.home());
        // every thread of the source: a group added with fewer gets a start point for the rest too
        List<io.redotrail.checkpoint.RedoReadCheckpoint> at = AddExtractCommand.begin(c, ctx, redo,
                Math.max(cp.redoReads().size(), redo.threadCount()));
        ProcessCheckpoint altered = new ProcessCheckpoint(g, cp.processType(), at, null, cp.writes(), null, null, null, 0,
                ctx.nowMillis(), 'G');
        new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.extractFile(ctx.home(), g)).write(altered);
        List<String> report = new java.util.ArrayList<>();
        for (int i = 0; i < at.size(); i++) {
            io.redotrail.checkpoint.CheckpointPoint from = i < cp.redoReads().size() ? cp.redoReads().get(i).recovery() : null;
            io.redotrail.checkpoint.CheckpointPoint to = at.get(i).recovery();
            report.add("  Read checkpoint thread " + at.get(i).thread() + ": " + point(from) + " -> " + point(to));
        }
        report.add(EtRollover.resetBoundedRecovery(br));
        report.forEach(ctx.out()::println);
        ctx.out().println(program + " altered.");
        ReportFile rpt = ReportFile.open(ctx.home(), g);
        rpt.infoQuietly("OGG-01021", "Command received from GGSCI: " + c.raw());
        report.forEach(line -> rpt.infoQuietly("OGG-01021", line.strip()));
        return 0;
    }

    /**
     * {@code ALTER EXTRACT g, EXTSEQNO n, EXTRBA m [, THREAD t]} on a primary Extract: thread t's read checkpoints
     * (Startup = Recovery = Current) move to the first record at or after that redo position, the other threads'
     * stay; as with BEGIN, Bounded Recovery is retired and the start time cleared (a transaction in flight there is
     * left out, OGG-01028), the trail and write checkpoints stay.
     */
    private int alterRedoPosition(ParsedCommand c, GgsciContext ctx, ProcessCheckpoint cp, Long thread, long seqno, long rba) {
        String g = cp.group();
        if (thread == null && cp.redoReads().size() > 1) {
            throw new GgsciException("EXTRACT " + g + " reads " + cp.redoReads().size() + " redo threads: give the thread,"
                    + " ALTER EXTRACT " + g + ", THREAD n, EXTSEQNO " + seqno + ", EXTRBA " + rba);
        }
        int t = thread == null ? cp.redoReads().get(0).thread() : thread.intValue();
        io.redotrail.control.params.BrFiles br = EtRollover.boundedRecovery(ctx, cp);
        // a thread the checkpoint lacks (one the source has) is added: its start point is this one
        io.redotrail.checkpoint.RedoReadCheckpoint to = new RedoBegin(ctx.home()).atPosition(t, seqno, rba);
        List<io.redotrail.checkpoint.RedoReadCheckpoint> reads = new java.util.ArrayList<>();
        for (io.redotrail.checkpoint.RedoReadCheckpoint r : cp.redoReads()) if (r.thread() != t) reads.add(r);
        reads.add(to);
        reads.sort(java.util.Comparator.comparingInt(io.redotrail.checkpoint.RedoReadCheckpoint::thread));
        new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.extractFile(ctx.home(), g)).write(
                new ProcessCheckpoint(g, cp.processType(), reads, null, cp.writes(), null, null, null, 0, ctx.nowMillis(), 'G'));
        List<String> report = List.of("  Read checkpoint thread " + t + ": " + point(cp.redoRead(t) == null ? null : cp.redoRead(t).recovery()) + " -> "
                + point(to.recovery()), EtRollover.resetBoundedRecovery(br));
        report.forEach(ctx.out()::println);
        ctx.out().println("EXTRACT altered.");
        ReportFile rpt = ReportFile.open(ctx.home(), g);
        rpt.infoQuietly("OGG-01021", "Command received from GGSCI: " + c.raw());
        report.forEach(line -> rpt.infoQuietly("OGG-01021", line.strip()));
        return 0;
    }

    private static String point(io.redotrail.checkpoint.CheckpointPoint p) {
        return p == null ? "none" : "Sequence # " + p.position().sequence() + ", RBA " + p.position().rba() + ", SCN " + p.scn().value();
    }
}
