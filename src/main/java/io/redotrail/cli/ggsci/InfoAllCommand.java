package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointLag;
import io.redotrail.report.GroupStatus;
import io.redotrail.checkpoint.ProcessCheckpoint;

import java.util.Optional;

/**
 * {@code INFO ALL}: the Manager first (RUNNING while a Manager holds the lock on {@code dirchk/MGR.pid}, else
 * STOPPED), then one line per group found in {@code dirchk/} — Program, Status, Group, Lag at Chkpt, Time Since
 * Chkpt — extracts first, then replicats.
 */
final class InfoAllCommand implements GgsciCommand {
    static final String FORMAT = "%-12s%-12s%-12s%-14s%s";

    @Override
    public String verb() {
        return "INFO";
    }

    @Override
    public String object() {
        return "ALL";
    }

    @Override
    public String usage() {
        return "INFO ALL";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        ctx.out().println(String.format(FORMAT, "Program", "Status", "Group", "Lag at Chkpt", "Time Since Chkpt").stripTrailing());
        ctx.out().println();
        ctx.out().println(String.format(FORMAT, "MANAGER", ManagerClient.running(ctx.home()) ? "RUNNING" : "STOPPED", "", "", "")
                .stripTrailing());
        for (String program : new String[]{"EXTRACT", "REPLICAT"}) {
            for (String g : Groups.find(ctx.home(), program, "*")) {
                Optional<ProcessCheckpoint> cp;
                try {
                    cp = Groups.checkpoint(ctx.home(), program, g);
                } catch (RuntimeException e) {
                    // an unreadable checkpoint: the status still comes from the lock and the pid file
                    String status = GroupStatus.of(ctx.home(), g, null).status();
                    ctx.out().println(String.format(FORMAT, program, status, g, "", "") + "(" + e.getMessage() + ")");
                    continue;
                }
                GroupStatus st = GroupStatus.of(ctx.home(), g, cp.orElse(null));
                String lag = cp.map(p -> CheckpointLag.hms(CheckpointLag.lagMillis(p))).orElse("");
                String since = cp.map(p -> CheckpointLag.hms(ctx.nowMillis() - p.lastUpdateMillis())).orElse("");
                ctx.out().println(String.format(FORMAT, program, st.status(), g, lag, since).stripTrailing());
            }
        }
        ctx.out().println();
        return 0;
    }
}
