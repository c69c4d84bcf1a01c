package io.redotrail.cli.ggsci;

/**
 * {@code STOP EXTRACT | REPLICAT | ER group|pattern}: asks the Manager to stop each running group gracefully
 * ({@code STOP <GROUP>}); GoldenGate's line names the group as the receiver ("Sending STOP request to EXTRACT
 * PUMHA ..."), the reply follows ("Request processed."). A stopped group is said so without a request.
 */
final class StopCommand extends ManagerRequestCommand {
    StopCommand(String object) {
        super("STOP", object);
    }

    @Override
    public String usage() {
        return "STOP " + object() + " <group|pattern>";
    }

    @Override
    String receiver(String program, String group) {
        return program + " " + group;
    }

    @Override
    String request(ParsedCommand c, GgsciContext ctx, String program, String group) {
        if (!running(ctx, group)) {
            ctx.out().println();
            ctx.out().println(program + " " + group + " is already stopped.");
            return null;
        }
        return "STOP " + group;
    }
}
