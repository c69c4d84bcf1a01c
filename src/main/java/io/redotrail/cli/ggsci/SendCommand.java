package io.redotrail.cli.ggsci;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code SEND EXTRACT|REPLICAT group, <command>}: sends the command (STATUS, SHOWTRANS, SKIPTRANS xid [FORCE],
 * FORCETRANS xid ...) over the running process's control channel and prints its reply. When nothing listens:
 * "Process not running", exit code 1.
 */
class SendCommand implements GgsciCommand {
    private final String program;

    SendCommand(String program) {
        this.program = program;
    }

    @Override
    public String verb() {
        return "SEND";
    }

    @Override
    public String object() {
        return program;
    }

    @Override
    public String usage() {
        return "SEND " + program + " <group>, {STATUS" + (program.equals("EXTRACT")
                ? " | SHOWTRANS [xid] [COUNT n] | SKIPTRANS xid [THREAD n] [FORCE] | FORCETRANS xid [THREAD n]" : "") + "}";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null || c.options().isEmpty()) throw new GgsciException("usage: " + usage());
        StringBuilder line = new StringBuilder();
        for (List<String> clause : c.options()) {
            if (line.length() > 0) line.append(' ');
            line.append(String.join(" ", clause));
        }
        String verb = c.options().get(0).get(0).toUpperCase(Locale.ROOT);
        Optional<String> reply = ControlClient.send(ctx.home(), c.group(), line.toString(), 60_000);
        if (reply.isEmpty()) {
            ctx.out().println(program + " " + c.group() + ": Process not running.");
            return 1;
        }
        ctx.out().println();
        ctx.out().println("Sending " + verb + " request to " + program + " " + c.group() + " ...");
        ctx.out().println();
        ctx.out().print(reply.get());
        ctx.out().println();
        return reply.get().startsWith("ERROR") ? 1 : 0;
    }
}
