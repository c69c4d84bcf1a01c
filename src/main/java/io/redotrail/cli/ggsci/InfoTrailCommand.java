package io.redotrail.cli.ggsci;

import io.redotrail.control.params.Wildcards;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code INFO EXTTRAIL | RMTTRAIL path | pattern | *}: the trails of that type the extracts and pumps of the home
 * write (their write checkpoints in {@code dirchk/}), in GGSCI's shape: Extract Trail, Seqno Length, Flip Seqno
 * Length, Extract, Seqno, RBA, File Size. File Size is the trail's MEGABYTES as ADD EXTTRAIL / RMTTRAIL defined it,
 * else the group's configured size ({@code redotrail.extract.megabytes} / {@code redotrail.pump.megabytes}).
 */
final class InfoTrailCommand implements GgsciCommand {
    private final String type;

    InfoTrailCommand(String type) {
        this.type = type;
    }

    @Override
    public String verb() {
        return "INFO";
    }

    @Override
    public String object() {
        return type;
    }

    @Override
    public String usage() {
        return "INFO " + type + " <path | pattern | *>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        if (c.groupAsTyped() == null) throw new GgsciException("usage: " + usage());
        if (!c.options().isEmpty()) {
            throw new GgsciException("Unknown option '" + String.join(" ", c.options().get(0)) + "' for INFO " + type + " (it takes none).");
        }
        String typed = c.groupAsTyped();
        boolean glob = Wildcards.isPattern(typed);
        Path exact = glob ? null : Groups.trailPath(ctx.home(), typed);
        int shown = 0;
        for (String g : Groups.find(ctx.home(), "EXTRACT", "*")) {
            Optional<ProcessCheckpoint> cp = Groups.checkpoint(ctx.home(), "EXTRACT", g);
            if (cp.isEmpty()) continue;
            for (WriteCheckpoint w : cp.get().writes()) {
                if (!type.equals(w.trailType())) continue;
                boolean match = glob ? typed.equals("*") || Wildcards.matches(typed, w.trail())
                        : Groups.sameTrail(exact, Groups.trailPath(ctx.home(), w.trail()));
                if (!match) continue;
                shown++;
                String mb = w.megabytes() > 0 ? Integer.toString(w.megabytes())
                        : ctx.config(type.equals("RMTTRAIL") ? "redotrail.pump.megabytes" : "redotrail.extract.megabytes", "500");
                ctx.out().println();
                line(ctx, "Extract Trail", w.trail());
                line(ctx, "Seqno Length", "9");
                line(ctx, "Flip Seqno Length", "no");
                line(ctx, "Extract", g);
                line(ctx, "Seqno", Long.toString(w.position().seqno()));
                line(ctx, "RBA", Long.toString(w.position().rba()));
                line(ctx, "File Size", mb.trim() + "M");
            }
        }
        if (shown == 0) throw new GgsciException("No " + type + " matches " + typed + ".");
        ctx.out().println();
        return 0;
    }

    private static void line(GgsciContext ctx, String label, String value) {
        ctx.out().println(String.format("%20s: %s", label, value));
    }
}
