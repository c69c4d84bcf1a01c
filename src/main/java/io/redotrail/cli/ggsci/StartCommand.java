package io.redotrail.cli.ggsci;

import java.util.List;

/**
 * {@code START EXTRACT | REPLICAT | ER group|pattern [, ATCSN n | AFTERCSN n]}: asks the Manager to start each group
 * ({@code START <GROUP> [ATCSN n | AFTERCSN n]}), which runs it as a process of its own. A group already running is
 * said so without a request, as GGSCI does. ATCSN / AFTERCSN apply to a Replicat, for this one start.
 */
final class StartCommand extends ManagerRequestCommand {
    StartCommand(String object) {
        super("START", object);
    }

    @Override
    public String usage() {
        return super.usage() + ("EXTRACT".equals(object()) ? "" : " [, ATCSN n | AFTERCSN n]");
    }

    @Override
    String request(ParsedCommand c, GgsciContext ctx, String program, String group) {
        List<String> at = c.option("ATCSN");
        List<String> after = c.option("AFTERCSN");
        if (at != null && after != null) throw new GgsciException("give ATCSN or AFTERCSN, not both");
        List<String> csn = at != null ? at : after;
        if (csn != null && !program.equals("REPLICAT")) {
            throw new GgsciException(upper(csn.get(0)) + " applies to a Replicat, not to " + program + " " + group + ".");
        }
        if (running(ctx, group)) {
            ctx.out().println();
            ctx.out().println(program + " " + group + " is already running.");
            return null;
        }
        if (csn == null) return "START " + group;
        if (csn.size() != 2) throw new GgsciException(upper(csn.get(0)) + " needs one CSN number");
        return "START " + group + " " + upper(csn.get(0)) + " " + Options.parseNumber(upper(csn.get(0)), csn.get(1));
    }
}
