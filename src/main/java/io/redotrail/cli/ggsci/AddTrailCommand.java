package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ADD EXTTRAIL | RMTTRAIL ./dirdat/xx, EXTRACT g [, MEGABYTES n]}: gives the extract (or pump) {@code g} an
 * output trail, a write checkpoint at sequence 0 RBA 0 with its trail type and file size in its checkpoint file
 * (contract 1: the definition is the checkpoint). The group must exist and be stopped; a trail it already writes,
 * or one another extract writes, is refused. Replies as GGSCI does: "EXTTRAIL added." / "RMTTRAIL added.".
 */
final class AddTrailCommand implements GgsciCommand {
    private final String type;

    AddTrailCommand(String type) {
        this.type = type;
    }

    @Override
    public String verb() {
        return "ADD";
    }

    @Override
    public String object() {
        return type;
    }

    @Override
    public String usage() {
        return "ADD " + type + " ./dirdat/<xx>, EXTRACT <group> [, MEGABYTES <n>]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        c.requireKnownOptions("ADD " + type, Map.of("EXTRACT", 1, "EXT", 1, "MEGABYTES", 1));
        List<String> ext = c.option("EXTRACT");
        if (ext == null) ext = c.option("EXT");
        if (c.groupAsTyped() == null || ext == null || ext.size() != 2) throw new GgsciException("usage: " + usage());
        String trail = Groups.homeTrail(ctx.home(), c.groupAsTyped());
        String g = ext.get(1).toUpperCase(java.util.Locale.ROOT);
        int mb = megabytes(c);
        if (!"EXTRACT".equals(Groups.programOf(ctx.home(), g))) throw new GgsciException("EXTRACT " + g + " does not exist.");
        Groups.requireStopped(ctx.home(), "EXTRACT", g, "add a trail to it");
        ProcessCheckpoint cp = Groups.checkpoint(ctx.home(), "EXTRACT", g)
                .orElseThrow(() -> new GgsciException("EXTRACT " + g + " has no checkpoint file: ADD EXTRACT it first."));
        for (String other : Groups.find(ctx.home(), "EXTRACT", "*")) {
            Groups.checkpoint(ctx.home(), "EXTRACT", other).ifPresent(o -> o.writes().forEach(w -> {
                if (Groups.sameTrail(Groups.trailPath(ctx.home(), w.trail()), Groups.trailPath(ctx.home(), trail))) {
                    throw new GgsciException("Trail " + trail + " is already written by EXTRACT " + other + ".");
                }
            }));
        }
        if (!cp.writes().isEmpty()) {
            // one output trail per group: the trail producer of a group writes one trail (write checkpoint #1)
            throw new GgsciException("EXTRACT " + g + " already writes trail " + cp.write(0).trail() + " (redotrail groups"
                    + " write one trail); DELETE the group and add it again to change it.");
        }
        List<WriteCheckpoint> writes = new ArrayList<>(cp.writes());
        writes.add(new WriteCheckpoint(trail, TrailPosition.START, 0, type, Scn.ZERO, mb));
        new CheckpointFile(CheckpointFile.extractFile(ctx.home(), g)).write(new ProcessCheckpoint(g, cp.processType(),
                cp.redoReads(), cp.trailRead(), writes, cp.brPrevious(), cp.brBegin(), cp.brEnd(), cp.startTimeMillis(),
                ctx.nowMillis(), cp.stopStatus()));
        ctx.out().println(type + " added.");
        return 0;
    }

    /**
     * {@code MEGABYTES n} when given (0: not given, the group's configuration decides), within the writer's limits:
     * a value outside them would be accepted here and refused when the group starts.
     */
    static int megabytes(ParsedCommand c) {
        Long mb = Options.find(c.words(), "MEGABYTES");
        if (mb == null) return 0;
        if (mb < TrailFormat.MIN_MEGABYTES || mb > TrailFormat.MAX_MEGABYTES) {
            throw new GgsciException("MEGABYTES must be " + TrailFormat.MIN_MEGABYTES + " to " + TrailFormat.MAX_MEGABYTES + ", got " + mb);
        }
        return mb.intValue();
    }
}
