package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.TrailPosition;
import io.redotrail.redo.RedoFormat;

import java.util.List;
import java.util.Map;

/**
 * {@code ADD EXTRACT g, TRANLOG, BEGIN NOW | BEGIN yyyy-mm-dd hh:mi[:ss[.cccccc]] | SCN n [, THREADS n]} and
 * {@code ADD EXTRACT p, EXTTRAILSOURCE ./dirdat/ex [, EXTSEQNO n, EXTRBA m]}: defines the group by writing its
 * checkpoint file {@code dirchk/<G>.cpe} (processType EXTRACT, start time 0 = never started). A primary extract's
 * read checkpoints (Startup = Recovery = Current) are the begin position of each redo thread ({@link RedoBegin});
 * a pump's is RBA 0 of sequence 0 of its source trail, as GoldenGate sets it (a BEGIN given to a pump is accepted
 * and, as in GoldenGate, does not move it: EXTSEQNO / EXTRBA do). No write checkpoint yet: ADD EXTTRAIL / RMTTRAIL.
 * THREADS defaults to every thread of the redo control file (our choice: GoldenGate's default of 1 would leave a
 * RAC thread unread without a word).
 */
final class AddExtractCommand extends AddGroupCommand {
    AddExtractCommand() {
        super("EXTRACT");
    }

    @Override
    public String usage() {
        return "ADD EXTRACT <group>, {TRANLOG, {BEGIN NOW | BEGIN yyyy-mm-dd hh:mi[:ss[.cccccc]] | SCN n} [, THREADS n]"
                + " | EXTTRAILSOURCE ./dirdat/xx [, EXTSEQNO n, EXTRBA m]}";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        String g = newGroup(c, ctx, Map.of("TRANLOG", 0, "INTEGRATED", 0, "EXTTRAILSOURCE", 1,
                "BEGIN", -1, "SCN", 1, "THREADS", 1, "EXTSEQNO", 1, "EXTRBA", 1));
        boolean tranlog = c.has("TRANLOG") || c.has("INTEGRATED");
        if (c.has("EXTTRAILSOURCE") == tranlog) throw new GgsciException("usage: " + usage());
        String trail = AddGroupCommand.trail(c, ctx, "EXTTRAILSOURCE");
        ProcessCheckpoint cp;
        if (trail != null) {
            TrailPosition at = AddGroupCommand.extPosition(c);
            cp = new ProcessCheckpoint(g, "EXTRACT", List.of(), new TrailReadCheckpoint(trail, at, 0, at, 0), List.of(),
                    null, null, null, 0, ctx.nowMillis(), 'G');
        } else {
            RedoBegin redo = new RedoBegin(ctx.home());
            int threads = (int) Options.number(c, "THREADS", redo.threadCount());
            if (threads < 1) throw new GgsciException("THREADS must be at least 1");
            if (threads < redo.threadCount()) {
                // the Extract reads every thread of the source: one left without a start point would be read from
                // its oldest log, history from before BEGIN included
                throw new GgsciException("THREADS " + threads + ": the source has " + redo.threadCount() + " redo threads ("
                        + ctx.home().relativize(RedoFormat.controlFile(ctx.home().resolve("redo"))) + "), and the Extract reads"
                        + " every one; give THREADS " + redo.threadCount() + " or leave THREADS out");
            }
            cp = new ProcessCheckpoint(g, "EXTRACT", begin(c, ctx, redo, threads), null, List.of(), null, null, null, 0,
                    ctx.nowMillis(), 'G');
        }
        new CheckpointFile(CheckpointFile.extractFile(ctx.home(), g)).write(cp);
        ctx.out().println("EXTRACT added.");
        return 0;
    }

    /** The begin of {@code BEGIN NOW | BEGIN time | BEGIN SCN n | SCN n} (ADD and ALTER EXTRACT), per thread. */
    static List<RedoReadCheckpoint> begin(ParsedCommand c, GgsciContext ctx, RedoBegin redo, int threads) {
        List<String> scn = c.option("SCN");
        List<String> begin = c.option("BEGIN");
        if (begin != null && begin.size() == 3 && begin.get(1).equalsIgnoreCase("SCN")) scn = begin.subList(1, 3);
        else if (begin != null && begin.size() >= 2 && !begin.get(1).equalsIgnoreCase("NOW") && scn != null) {
            throw new GgsciException("give one start point: BEGIN or SCN, not both");
        }
        if (scn != null) {
            if (scn.size() != 2) throw new GgsciException("SCN needs one number, e.g. SCN 8723953559");
            return redo.atScn(threads, Options.parseNumber("SCN", scn.get(1)));
        }
        if (begin == null || begin.size() < 2) {
            throw new GgsciException("ADD EXTRACT ..., TRANLOG needs a start point: BEGIN NOW, BEGIN yyyy-mm-dd hh:mi[:ss[.cccccc]]"
                    + " or SCN n");
        }
        if (begin.size() == 2 && begin.get(1).equalsIgnoreCase("NOW")) return redo.now(threads, ctx.nowMillis());
        String text = String.join(" ", begin.subList(1, begin.size()));
        return redo.atTime(threads, Options.timestamp(text), text);
    }
}
