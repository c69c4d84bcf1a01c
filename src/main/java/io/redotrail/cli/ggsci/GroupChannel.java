package io.redotrail.cli.ggsci;

import java.io.IOException;
import java.util.Optional;

/**
 * GGSCI requests that go straight to a running group's control channel ({@code dirchk/<GROUP>.ctl}, contract 5
 * verbs: STATS, LAG, STATUS, REPORT, SHOWTRANS ...), not through the Manager: "Sending STATS request to EXTRACT
 * PUMHA ..." then the group's reply as it words it. A group that is not running is GoldenGate's "EXTRACT PUMHA not
 * currently running." error. Stateless.
 */
final class GroupChannel {
    private GroupChannel() {
    }

    /**
     * Sends {@code line} to {@code group}; {@code shownVerb} is the request GoldenGate names in its line (GETLAG for
     * LAG). Exit code 1 when the reply starts with ERROR.
     */
    static int forward(GgsciContext ctx, String program, String group, String shownVerb, String line) throws IOException {
        if (group == null) throw new GgsciException("a group name is needed");
        if (!program.equals(Groups.programOf(ctx.home(), group))) throw new GgsciException(program + " " + group + " does not exist.");
        Optional<String> reply = ControlClient.send(ctx.home(), group, line, 60_000);
        if (reply.isEmpty()) throw new GgsciException(program + " " + group + " not currently running.");
        ctx.out().println();
        ctx.out().println("Sending " + shownVerb + " request to " + program + " " + group + " ...");
        ctx.out().println();
        ctx.out().print(reply.get());
        ctx.out().println();
        return ManagerClient.failed(reply.get()) ? 1 : 0;
    }
}
