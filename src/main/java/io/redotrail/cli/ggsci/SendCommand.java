package io.redotrail.cli.ggsci;

import java.util.List;
import java.util.Locale;

/**
 * {@code SEND EXTRACT|REPLICAT group, <command>}: sends the command (STATUS, SHOWTRANS, SKIPTRANS xid [FORCE],
 * FORCETRANS xid ...) over the running process's control channel and prints its reply ({@link GroupChannel}). When it does not run: "EXTRACT g not currently running.", exit code 1.
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
        return "SEND " + program + " <group|pattern>, {STATUS" + (program.equals("EXTRACT")
                ? " | SHOWTRANS [xid] [THREAD n] [COUNT n] [DURATION n unit] [TABULAR] | SKIPTRANS xid [THREAD n] [FORCE]"
                + " | FORCETRANS xid [THREAD n] | BR {BRSTATUS | BRCHECKPOINT {IMMEDIATE | IN n{M|H} | AT time} | BRINTERVAL i}" : "")
                + " | REPORT | FORCESTOP | STATS ...}";
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
        return GroupChannel.forward(ctx, program, c.group(), verb, line.toString());
    }
}
