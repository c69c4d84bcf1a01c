package io.redotrail.cli.ggsci;

import io.redotrail.report.GroupStatus;

/**
 * {@code STATUS EXTRACT | REPLICAT group}: the group's state from its pid file and checkpoint, one line as GGSCI
 * prints it ({@code EXTRACT EXT1: RUNNING}); with a wildcard, one line per group it matches.
 */
final class StatusCommand implements GgsciCommand {
    private final String program;

    StatusCommand(String program) {
        this.program = program;
    }

    @Override
    public String verb() {
        return "STATUS";
    }

    @Override
    public String object() {
        return program;
    }

    @Override
    public String usage() {
        return "STATUS " + program + " <group|pattern>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        if (c.group() == null || !c.options().isEmpty()) throw new GgsciException("usage: " + usage());
        for (String[] pg : Groups.named(ctx.home(), java.util.List.of(program), c.group())) {
            GroupStatus st = GroupStatus.of(ctx.home(), pg[1], Groups.checkpoint(ctx.home(), program, pg[1]).orElse(null));
            ctx.out().println(program + " " + pg[1] + ": " + st.status());
        }
        return 0;
    }
}
