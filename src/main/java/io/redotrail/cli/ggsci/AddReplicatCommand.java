package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.TrailPosition;

import java.util.List;
import java.util.Locale;

/**
 * {@code ADD REPLICAT r, EXTTRAIL ./dirdat/xx [, EXTSEQNO n, EXTRBA m] [, CHECKPOINTTABLE owner.table | NODBCHECKPOINT]}:
 * defines the Replicat by writing {@code dirchk/<R>.cpr} (processType REPLICAT, trail read checkpoint at sequence 0
 * RBA 0 or the given one, start time 0 = never started) with the checkpoint table it names (the
 * {@code checkpointtable} key of the file, which the group process uses; without one the configuration's
 * {@code redotrail.replicat.checkpointTable} applies). BEGIN with a time is not supported: positioning a Replicat
 * by time would need the trail scanned by commit time; EXTSEQNO / EXTRBA position it.
 */
final class AddReplicatCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "ADD";
    }

    @Override
    public String object() {
        return "REPLICAT";
    }

    @Override
    public String usage() {
        return "ADD REPLICAT <group>, EXTTRAIL ./dirdat/<xx> [, EXTSEQNO n, EXTRBA m] [, CHECKPOINTTABLE owner.table]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        String g = Groups.requireValidName("REPLICAT", c.group());
        if (Groups.programOf(ctx.home(), g) != null) {
            throw new GgsciException(Groups.programOf(ctx.home(), g) + " " + g + " already exists.");
        }
        List<String> ext = c.option("EXTTRAIL");
        if (ext == null || ext.size() != 2) throw new GgsciException("usage: " + usage());
        String trail = Groups.homeTrail(ctx.home(), ext.get(1));
        List<String> begin = c.option("BEGIN");
        if (begin != null && !(begin.size() == 2 && begin.get(1).equalsIgnoreCase("NOW"))) {
            throw new GgsciException("ADD REPLICAT ..., BEGIN " + String.join(" ", begin.subList(1, begin.size()))
                    + " is not supported by redotrail: position a Replicat with EXTSEQNO n, EXTRBA m.");
        }
        String table = null;
        List<String> cpt = c.option("CHECKPOINTTABLE");
        if (cpt != null) {
            if (cpt.size() != 2) throw new GgsciException("CHECKPOINTTABLE needs one name, owner.table");
            table = AddCheckpointTableCommand.requireTableName(cpt.get(1));
        }
        TrailPosition at = new TrailPosition(Options.number(c, "EXTSEQNO", 0), Options.number(c, "EXTRBA", 0));
        new CheckpointFile(CheckpointFile.replicatFile(ctx.home(), g)).write(new ProcessCheckpoint(g, "REPLICAT", List.of(),
                new TrailReadCheckpoint(trail, at, 0, at, 0), List.of(), null, null, null, 0, ctx.nowMillis(), 'G',
                table == null ? null : table.toUpperCase(Locale.ROOT)));
        ctx.out().println("REPLICAT added.");
        return 0;
    }
}
