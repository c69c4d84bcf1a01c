package io.redotrail.cli.ggsci;

/**
 * {@code KILL EXTRACT | REPLICAT | ER group|pattern}: asks the Manager to kill each group's process at once
 * ({@code KILL <GROUP>}); no graceful stop, the group restarts from its checkpoints. The Manager's reply is
 * printed as it words it.
 */
final class KillCommand extends ManagerRequestCommand {
    KillCommand(String object) {
        super("KILL", object);
    }

    @Override
    String request(ParsedCommand c, GgsciContext ctx, String program, String group) {
        return "KILL " + group;
    }
}
