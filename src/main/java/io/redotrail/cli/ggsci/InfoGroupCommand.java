package io.redotrail.cli.ggsci;

import io.redotrail.control.params.Wildcards;

import io.redotrail.report.GroupStatus;
import io.redotrail.report.RemoteStatusFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.control.group.ReplicatTarget;
import io.redotrail.replicat.CheckpointTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code INFO EXTRACT|REPLICAT group|pattern [, SHOWCH [n]] [, DETAIL]}: read from {@code dirchk/<GROUP>.cpe|.cpr},
 * whether or not the process runs; status from the pid file ({@link GroupStatus}), and for a running group what it
 * waits for ({@link InfoDetail#waiting}). For a replicat with SHOWCH, the Database Checkpoint block names the
 * checkpoint table the Replicat uses ({@link io.redotrail.control.group.ReplicatTarget}), the group's key and the
 * row's CREATE_TS (read over JDBC when its target is reachable, else "Not available"). DETAIL adds
 * {@link InfoDetail#lines}; SHOWCH n shows the current checkpoints (no history is kept) and says so.
 */
abstract class InfoGroupCommand implements GgsciCommand {
    private final String program;

    InfoGroupCommand(String program) {
        this.program = program;
    }

    @Override
    public String verb() {
        return "INFO";
    }

    @Override
    public String object() {
        return program;
    }

    @Override
    public String usage() {
        return "INFO " + program + " <group|pattern> [, SHOWCH [n]] [, DETAIL]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        if (c.group() == null) throw new GgsciException("INFO " + program + " needs a group name or pattern, e.g. " + usage());
        c.requireKnownOptions("INFO " + program, java.util.Map.of("SHOWCH", -1, "DETAIL", 0));
        TreeSet<String> groups = Wildcards.isPattern(c.group()) ? Groups.find(ctx.home(), program, c.group())
                : new TreeSet<>(List.of(c.group()));
        if (groups.isEmpty()) throw new GgsciException(program + " " + c.group() + " does not exist.");
        boolean showch = c.has("SHOWCH");
        boolean first = true;
        for (String g : groups) {
            Optional<ProcessCheckpoint> cp = program.equals(Groups.programOf(ctx.home(), g))
                    ? Groups.checkpoint(ctx.home(), program, g) : Optional.empty();
            if (cp.isEmpty()) {
                if (program.equals(Groups.programOf(ctx.home(), g))) {
                    GroupStatus st = GroupStatus.of(ctx.home(), g, null);
                    ctx.out().println(String.format("%-10s %-9s Initialized   Status %s", program, g, st.status()));
                    ctx.out().println("(no checkpoint written yet)");
                    continue;
                }
                throw new GgsciException(program + " " + g + " does not exist.");
            }
            if (!first) ctx.out().println();
            first = false;
            cp = cp.map(x -> withTrailName(x, ctx));
            GroupStatus st = GroupStatus.of(ctx.home(), g, cp.get());
            CheckpointPrinter.DatabaseCheckpoint db = showch && program.equals("REPLICAT") ? databaseCheckpoint(ctx, g, cp.get()) : null;
            CheckpointPrinter.print(program, cp.get(), st, ctx.nowMillis(), showch, db).forEach(ctx.out()::println);
            if (program.equals("REPLICAT") && new io.redotrail.checkpoint.CheckpointFile(
                    io.redotrail.checkpoint.CheckpointFile.replicatFile(ctx.home(), g)).parallel()) {
                ctx.out().println("Replicat type          Parallel (ADD REPLICAT ... PARALLEL)");
            }
            if (st.running()) InfoDetail.waiting(ctx, g).ifPresent(w -> ctx.out().println(w));
            else RemoteStatusFile.read(ctx.home(), g).ifPresent(r -> ctx.out().println(r + " (when it last ran)"));
            if (showchCount(c) > 0) previous(ctx, program, g, showchCount(c));
            if (c.has("DETAIL")) {
                ctx.out().println();
                InfoDetail.lines(ctx, program, cp.get()).forEach(ctx.out()::println);
                if (program.equals("REPLICAT")) parallelDetail(ctx, g, cp.get()).forEach(ctx.out()::println);
            }
            ctx.out().println();
        }
        return 0;
    }

    /** {@code SHOWCH n}: the n previous checkpoints to list after the current one; 0 without a number. */
    private static int showchCount(ParsedCommand c) {
        List<String> o = c.option("SHOWCH");
        if (o == null || o.size() < 2) return 0;
        long n = Options.parseNumber("SHOWCH", o.get(1));
        if (n > 10_000) throw new GgsciException("SHOWCH " + n + ": at most 10000 previous checkpoints can be listed");
        return (int) n;
    }

    /** The {@code n} checkpoints before the current one from the group's history, newest first; says when fewer are kept. */
    private static void previous(GgsciContext ctx, String program, String g, int n) {
        java.nio.file.Path cpFile = program.equals("REPLICAT") ? io.redotrail.checkpoint.CheckpointFile.replicatFile(ctx.home(), g)
                : io.redotrail.checkpoint.CheckpointFile.extractFile(ctx.home(), g);
        List<io.redotrail.checkpoint.CheckpointHistory.Entry> kept = io.redotrail.checkpoint.CheckpointHistory.previous(cpFile, n);
        int i = 0;
        for (io.redotrail.checkpoint.CheckpointHistory.Entry e : kept) {
            i++;
            if (e.checkpoint() == null) {
                ctx.out().println();
                ctx.out().println();
                ctx.out().println("Previous Checkpoint #" + i + " Detail: Not available (" + e.damage() + ")");
                continue;
            }
            CheckpointPrinter.previous(program, i, withTrailName(e.checkpoint(), ctx)).forEach(ctx.out()::println);
        }
        if (kept.size() < n) {
            ctx.out().println();
            ctx.out().println("(SHOWCH " + n + ": " + (kept.isEmpty() ? "no previous checkpoint is" : kept.size() + " previous checkpoint"
                    + (kept.size() == 1 ? " is" : "s are")) + " kept in " + io.redotrail.checkpoint.HomePaths.store(ctx.home(),
                    io.redotrail.checkpoint.CheckpointHistory.file(cpFile).toString()) + ")");
        }
    }

    /** A replicat checkpoint that does not name its trail: the configured remote trail (home/dirdat/<pump trail>). */
    static ProcessCheckpoint withTrailName(ProcessCheckpoint cp, GgsciContext ctx) {
        TrailReadCheckpoint t = cp.trailRead();
        String prefix = ctx.config("redotrail.pump.trail", null);
        if (t == null || !t.trail().isBlank() || prefix == null) return cp;
        TrailReadCheckpoint named = new TrailReadCheckpoint(ctx.home().resolve("dirdat").resolve(prefix).toString(),
                t.startup(), t.startupTimestampMillis(), t.current(), t.currentTimestampMillis());
        return new ProcessCheckpoint(cp.group(), cp.processType(), cp.redoReads(), named, cp.writes(), cp.brPrevious(),
                cp.brBegin(), cp.brEnd(), cp.startTimeMillis(), cp.lastUpdateMillis(), cp.stopStatus());
    }

    /**
     * DETAIL of a parallel Replicat: its low watermark and one line per applier with the last transaction it
     * committed, read from the checkpoint table it uses; a line saying why when the target is unreachable.
     */
    static List<String> parallelDetail(GgsciContext ctx, String group, ProcessCheckpoint cp) {
        if (!new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.replicatFile(ctx.home(), group)).parallel()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>(List.of(""));
        try {
            ReplicatTarget t = ReplicatTargets.of(ctx, group, cp);
            if (t.jdbcUrl() == null || t.jdbcUrl().isBlank()) return List.of("", "  Parallel Replicat checkpoints: Not available (no target login)");
            try (Connection conn = t.connect()) {
                List<String> d = t.table(ctx.home()).parallelDetail(conn, group);
                if (d.isEmpty()) return List.of("", "  Parallel Replicat checkpoints: none yet (no applier has committed)");
                out.addAll(d);
            }
        } catch (Exception e) {
            out.add("  Parallel Replicat checkpoints: Not available (" + io.redotrail.core.Jdbc.oneLine(e) + ")");
        }
        return out;
    }

    /** The Replicat's row in the checkpoint table it uses ({@link ReplicatTarget}); "Not available" when unreachable. */
    static CheckpointPrinter.DatabaseCheckpoint databaseCheckpoint(GgsciContext ctx, String group, ProcessCheckpoint cp) {
        ReplicatTarget t;
        try {
            t = ReplicatTargets.of(ctx, group, cp);
        } catch (GgsciException e) {
            return new CheckpointPrinter.DatabaseCheckpoint("Not available", 0, "Not available (" + e.getMessage() + ")");
        }
        CheckpointTable ct;
        try {
            ct = t.table(ctx.home()); // reads the home's identity, which GROUP_KEY hashes
        } catch (RuntimeException e) {
            return new CheckpointPrinter.DatabaseCheckpoint(t.checkpointTable(), 0, "Not available (" + e.getMessage() + ")");
        }
        String table = ct.name();
        long key = ct.key(group);
        String created = "Not available";
        if (t.jdbcUrl() == null || t.jdbcUrl().isBlank()) return new CheckpointPrinter.DatabaseCheckpoint(table, key, created);
        try (Connection conn = t.connect();
             PreparedStatement ps = conn.prepareStatement("SELECT CREATE_TS FROM " + table + " WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            key = ct.rowKey(conn, group);
            ps.setString(1, group);
            ps.setLong(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    Timestamp ts = rs.getTimestamp(1);
                    if (ts != null) created = CheckpointPrinter.ts(CheckpointPrinter.SECOND, ts.getTime());
                }
            }
        } catch (Exception e) {
            created = "Not available (" + io.redotrail.core.Jdbc.oneLine(e) + ")";
        }
        return new CheckpointPrinter.DatabaseCheckpoint(table, key, created);
    }
}
