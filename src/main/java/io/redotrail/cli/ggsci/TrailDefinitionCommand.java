package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ALTER EXTTRAIL | RMTTRAIL ./dirdat/xx, EXTRACT g, MEGABYTES n} and {@code DELETE EXTTRAIL | RMTTRAIL
 * ./dirdat/xx [, EXTRACT g]}: change or remove a trail ADD EXTTRAIL / RMTTRAIL defined, in the write checkpoint of
 * the extract (or pump) that writes it, while that group is stopped. ALTER changes the size of the files the group
 * writes from its next start (the current file included: it is closed once it reaches the new size); the position
 * stays. DELETE removes the trail from the group's definition; the trail's files stay, as in GoldenGate, and an
 * ADD EXTTRAIL / RMTTRAIL can then give the group another trail. Replies "EXTTRAIL altered." / "Deleted EXTTRAIL
 * ./dirdat/ex." as GGSCI does.
 */
final class TrailDefinitionCommand implements GgsciCommand {
    private final String verb;
    private final String type;

    TrailDefinitionCommand(String verb, String type) {
        this.verb = verb;
        this.type = type;
    }

    @Override
    public String verb() {
        return verb;
    }

    @Override
    public String object() {
        return type;
    }

    @Override
    public String usage() {
        return verb.equals("ALTER") ? "ALTER " + type + " ./dirdat/<xx>, EXTRACT <group>, MEGABYTES <n>"
                : "DELETE " + type + " ./dirdat/<xx> [, EXTRACT <group>]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        boolean alter = verb.equals("ALTER");
        c.requireKnownOptions(verb + " " + type, alter ? Map.of("EXTRACT", 1, "EXT", 1, "MEGABYTES", 1)
                : Map.of("EXTRACT", 1, "EXT", 1));
        if (c.groupAsTyped() == null) throw new GgsciException("usage: " + usage());
        List<String> ext = c.option("EXTRACT") != null ? c.option("EXTRACT") : c.option("EXT");
        if ((ext != null && ext.size() != 2) || (alter && (ext == null || c.option("MEGABYTES") == null))) {
            throw new GgsciException("usage: " + usage());
        }
        String trail = Groups.homeTrail(ctx.home(), c.groupAsTyped());
        String named = ext == null ? null : ext.get(1).toUpperCase(Locale.ROOT);
        String g = writer(ctx, trail, named);
        Groups.requireStopped(ctx.home(), "EXTRACT", g, (alter ? "alter" : "delete") + " its trail");
        ProcessCheckpoint cp = Groups.checkpoint(ctx.home(), "EXTRACT", g).orElseThrow();
        List<WriteCheckpoint> writes = new ArrayList<>();
        for (WriteCheckpoint w : cp.writes()) {
            if (!isTrail(ctx, w, trail)) writes.add(w);
            else if (alter) writes.add(w.withMegabytes(AddTrailCommand.megabytes(c)));
        }
        new CheckpointFile(CheckpointFile.extractFile(ctx.home(), g)).write(new ProcessCheckpoint(g, cp.processType(),
                cp.redoReads(), cp.trailRead(), writes, cp.brPrevious(), cp.brBegin(), cp.brEnd(), cp.startTimeMillis(),
                ctx.nowMillis(), cp.stopStatus()));
        ctx.out().println(alter ? type + " altered." : "Deleted " + type + " " + trail + ".");
        return 0;
    }

    /** The extract that writes {@code trail} as this type (and is {@code named}, when a name was given). */
    private String writer(GgsciContext ctx, String trail, String named) {
        for (String g : Groups.find(ctx.home(), "EXTRACT", "*")) {
            ProcessCheckpoint cp = Groups.checkpoint(ctx.home(), "EXTRACT", g).orElse(null);
            if (cp == null || cp.writes().stream().noneMatch(w -> isTrail(ctx, w, trail))) continue;
            if (named != null && !named.equals(g)) {
                throw new GgsciException(type + " " + trail + " is written by EXTRACT " + g + ", not " + named + ".");
            }
            return g;
        }
        throw new GgsciException(type + " " + trail + " does not exist" + (named == null ? "" : " for EXTRACT " + named) + ".");
    }

    private boolean isTrail(GgsciContext ctx, WriteCheckpoint w, String trail) {
        return type.equals(w.trailType())
                && Groups.sameTrail(Groups.trailPath(ctx.home(), w.trail()), Groups.trailPath(ctx.home(), trail));
    }
}
