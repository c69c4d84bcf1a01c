package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.TrailPosition;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Transaction;
import io.redotrail.trail.TrailFiles;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;

import io.redotrail.control.group.ReplicatTarget;
import io.redotrail.replicat.CheckpointTable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * {@code ADD REPLICAT r, EXTTRAIL ./dirdat/xx [, EXTSEQNO n, EXTRBA m] [, CHECKPOINTTABLE owner.table | NODBCHECKPOINT] [, PARALLEL]}:
 * (PARALLEL: a parallel Replicat, the {@code parallel} key of the file)
 * defines the Replicat by writing {@code dirchk/<R>.cpr} (processType REPLICAT, trail read checkpoint at sequence 0
 * RBA 0 or the given one, start time 0 = never started) with the checkpoint table it names (the
 * {@code checkpointtable} key of the file, which the group process uses; without one the configuration's
 * {@code redotrail.replicat.checkpointTable} applies). BEGIN NOW | time positions it in the trail ({@link #begin}).
 */
final class AddReplicatCommand extends AddGroupCommand {
    AddReplicatCommand() {
        super("REPLICAT");
    }

    @Override
    public String usage() {
        return "ADD REPLICAT <group>, EXTTRAIL ./dirdat/<xx> [, BEGIN NOW | BEGIN yyyy-mm-dd hh:mi[:ss[.cccccc]] | EXTSEQNO n, EXTRBA m]"
                + " [, CHECKPOINTTABLE owner.table] [, PARALLEL]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        String g = newGroup(c, ctx, Map.of("EXTTRAIL", 1, "CHECKPOINTTABLE", 1, "BEGIN", -1,
                "EXTSEQNO", 1, "EXTRBA", 1, "PARALLEL", 0));
        if (!c.has("EXTTRAIL")) throw new GgsciException("usage: " + usage());
        String trail = AddGroupCommand.trail(c, ctx, "EXTTRAIL");
        TrailPosition at = begin(c, ctx, trail);
        String table = null;
        List<String> cpt = c.option("CHECKPOINTTABLE");
        if (cpt != null) {
            if (cpt.size() != 2) throw new GgsciException("CHECKPOINTTABLE needs one name, owner.table");
            table = AddCheckpointTableCommand.requireTableName(cpt.get(1));
        }
        ProcessCheckpoint cp = new ProcessCheckpoint(g, "REPLICAT", List.of(),
                new TrailReadCheckpoint(trail, at, 0, at, 0), List.of(), null, null, null, 0, ctx.nowMillis(), 'G', -1, false,
                table == null ? null : table.toUpperCase(Locale.ROOT));
        refuseStaleRow(ctx, g, cp);
        CheckpointFile file = new CheckpointFile(CheckpointFile.replicatFile(ctx.home(), g));
        if (c.has("PARALLEL")) file.writeParallel(cp); // its definition: the group runs as a parallel Replicat
        else file.write(cp);
        ctx.out().println("REPLICAT added.");
        return 0;
    }

    /**
     * A row of {@code g} this home left in the checkpoint table the new Replicat would use (a DELETE REPLICAT that
     * could not reach the target) would make it resume from the old group's position, not from this definition:
     * refused, naming the row. Another home's group of that name has its own GROUP_KEY. An unreachable target or a
     * missing table cannot hold one.
     */
    private static void refuseStaleRow(GgsciContext ctx, String g, ProcessCheckpoint cp) {
        ReplicatTarget t = ReplicatTargets.of(ctx, g, cp);
        CheckpointTable table = t.table(ctx.home());
        Optional<CheckpointTable.Row> row;
        long key;
        try (Connection c = t.connect()) {
            row = table.read(c, g);
            key = table.rowKey(c, g);
        } catch (SQLException e) {
            return;
        }
        row.ifPresent(r -> {
            throw new GgsciException("REPLICAT " + g + " not added: checkpoint table " + table.name() + " of " + t.jdbcUrl()
                    + " still holds a row for " + g + " (trail position " + EtRollover.at(r.position()) + ", left by an earlier"
                    + " group of that name in this home); the new Replicat would resume from it. Delete it (DELETE FROM "
                    + table.name() + " WHERE GROUP_NAME = '" + g + "' AND GROUP_KEY = " + key + ", and a parallel Replicat's"
                    + " applier rows above that key and its rows in " + table.loxName() + ") or name another CHECKPOINTTABLE.");
        });
    }

    /**
     * EXTSEQNO / EXTRBA as given; BEGIN NOW = the end of the last complete transaction the trail holds (0:0 while it
     * has no file: all it will hold is written later); BEGIN time = the start of the first transaction in the trail
     * that committed at or after it, refused while there is none yet.
     */
    private TrailPosition begin(ParsedCommand c, GgsciContext ctx, String trail) {
        List<String> begin = c.option("BEGIN");
        if (begin == null) return AddGroupCommand.extPosition(c);
        if (c.has("EXTSEQNO") || c.has("EXTRBA")) throw new GgsciException("give BEGIN or EXTSEQNO / EXTRBA, not both");
        return trailBegin(Groups.trailPath(ctx.home(), trail), trail, begin);
    }

    /**
     * Where {@code BEGIN NOW | BEGIN time} (the option's words, BEGIN first) is in {@code file}, the trail named
     * {@code trail}: for ADD REPLICAT and for ALTER of a trail reader.
     */
    static TrailPosition trailBegin(Path file, String trail, List<String> begin) {
        if (begin.size() < 2) throw new GgsciException("BEGIN needs NOW or yyyy-mm-dd hh:mi[:ss[.cccccc]]");
        if (begin.size() == 2 && begin.get(1).equalsIgnoreCase("NOW")) {
            TrailFiles.LastComplete last = TrailFiles.lastComplete(file);
            return last == null ? TrailPosition.START : last.end();
        }
        String text = String.join(" ", begin.subList(1, begin.size()));
        long millis = Options.timestamp(text);
        long[] seqnos = TrailFormat.seqnos(file);
        // from the oldest file still there: a purged trail starts above 0
        try (TrailReader r = new TrailReader(file, seqnos.length == 0 ? TrailPosition.START : new TrailPosition(seqnos[0], 0))) {
            for (List<Transaction> batch = r.poll(10_000); !batch.isEmpty(); batch = r.poll(10_000)) {
                for (Transaction t : batch) {
                    if (t.commitTimestampMillis() >= millis) return t.trailStart();
                }
            }
        } catch (CorruptFileException e) {
            throw new GgsciException("cannot read trail " + file + " to find BEGIN " + text + ": " + e.getMessage());
        }
        throw new GgsciException("No transaction in trail " + trail + " committed at or after " + text + " yet: use BEGIN NOW,"
                + " or position the reader once the trail holds it.");
    }
}
