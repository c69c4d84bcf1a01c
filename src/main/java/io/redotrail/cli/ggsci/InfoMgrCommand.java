package io.redotrail.cli.ggsci;

/**
 * {@code INFO MGR | MANAGER}: asks the running Manager ({@code INFO}) and prints its reply ("Manager is running (IP
 * port host.7809, Process ID 1234)."); when no Manager holds {@code dirchk/MGR.pid}'s lock, or none answers on
 * its port: "Manager is DOWN!", as GGSCI says (exit status 0: INFO answered).
 */
final class InfoMgrCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "INFO";
    }

    @Override
    public String object() {
        return "MANAGER";
    }

    @Override
    public String usage() {
        return "INFO MGR";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        String reply;
        try {
            reply = ManagerClient.send(ctx, "INFO");
        } catch (GgsciException down) {
            ctx.out().println();
            ctx.out().println("Manager is DOWN!");
            ctx.out().println();
            return 0; // an answer, as INFO ALL's STOPPED is: the command itself did not fail
        }
        ctx.out().println();
        ctx.out().println(reply.stripTrailing());
        ctx.out().println();
        return ManagerClient.failed(reply) ? 1 : 0;
    }
}
