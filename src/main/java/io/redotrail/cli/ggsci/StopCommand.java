package io.redotrail.cli.ggsci;

/**
 * {@code STOP EXTRACT | REPLICAT | ER group|pattern}: asks the Manager to stop each running group gracefully
 * ({@code STOP <GROUP>}); GoldenGate's line names the group as the receiver ("Sending STOP request to EXTRACT
 * PUMHA ..."), the reply follows ("Request processed."). A stopped group is still sent to a running Manager, which cancels its pending
 * AUTORESTART and replies "already stopped"; without a Manager it is said so here.
 */
final class StopCommand extends ManagerRequestCommand {
    StopCommand(String object) {
        super("STOP", object);
    }

    @Override
    String receiver(String program, String group) {
        return program + " " + group;
    }

    @Override
    String request(ParsedCommand c, GgsciContext ctx, String program, String group) {
        // a running Manager always gets the STOP: it cancels a pending AUTORESTART of a group that has exited
        if (!running(ctx, group) && !ManagerClient.running(ctx.home())) {
            ctx.out().println();
            ctx.out().println(program + " " + group + " is already stopped.");
            return null;
        }
        return "STOP " + group;
    }
}
