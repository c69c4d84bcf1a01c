package io.redotrail.cli.ggsci;

import io.redotrail.report.GroupLock;

import java.util.List;
import java.util.Locale;

/**
 * What START, STOP and KILL share: the groups a command names ({@code EXTRACT g}, {@code REPLICAT r*},
 * {@code ER *}: wildcards expanded from dirchk/ here, the Manager takes plain names), one Manager request per group
 * ({@link ManagerClient}), GoldenGate's "Sending ... request to ..." line, then the Manager's reply as it is.
 * A subclass words the request and says what needs no request (STOP of a stopped group). Exit 1 when any group
 * failed or the Manager is down.
 */
abstract class ManagerRequestCommand implements GgsciCommand {
    private final String verb;
    private final String object;

    ManagerRequestCommand(String verb, String object) {
        this.verb = verb;
        this.object = object;
    }

    @Override
    public String verb() {
        return verb;
    }

    @Override
    public String object() {
        return object;
    }

    /** The request line for {@code group} of {@code program}, or null when it is not sent (the reason printed). */
    abstract String request(ParsedCommand c, GgsciContext ctx, String program, String group);

    /** Who GoldenGate says receives the request: MANAGER, unless a command names the group ({@code EXTRACT PUMHA}). */
    String receiver(String program, String group) {
        return "MANAGER";
    }

    @Override
    public String usage() {
        return verb + " " + object + " <group|pattern>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null) throw new GgsciException("usage: " + usage());
        int rc = 0;
        List<String> programs = "ER".equals(object) ? List.of("EXTRACT", "REPLICAT") : List.of(object);
        for (String[] pg : Groups.named(ctx.home(), programs, c.group())) {
            String line = request(c, ctx, pg[0], pg[1]);
            if (line == null) continue;
            ManagerClient.requireRunning(ctx);
            ctx.out().println();
            ctx.out().println("Sending " + verb + " request to " + receiver(pg[0], pg[1]) + " ...");
            String reply = ManagerClient.send(ctx, line);
            ctx.out().println(reply.stripTrailing());
            if (ManagerClient.failed(reply)) rc = 1;
        }
        ctx.out().println();
        return rc;
    }

    static boolean running(GgsciContext ctx, String group) {
        return GroupLock.held(ctx.home(), group);
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
