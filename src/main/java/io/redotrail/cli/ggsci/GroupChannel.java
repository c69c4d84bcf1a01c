package io.redotrail.cli.ggsci;

import io.redotrail.report.ControlClient;
import io.redotrail.control.params.Wildcards;

import java.io.IOException;
import java.util.List;
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
     * Sends {@code line} to each group of {@code program} that {@code pattern} names (a name, or {@code *}
     * wildcards); {@code shownVerb} is the request GoldenGate names in its line (GETLAG for LAG). A named group
     * that is not running is an error; with a wildcard each one not running is said and the others asked. Exit
     * code 1 when any reply starts with ERROR or any group could not be asked.
     */
    static int forward(GgsciContext ctx, String program, String pattern, String shownVerb, String line) throws IOException {
        if (pattern == null) throw new GgsciException("a group name is needed");
        int rc = 0;
        for (String[] pg : Groups.named(ctx.home(), List.of(program), pattern)) {
            Optional<String> reply = ControlClient.send(ctx.home(), pg[1], line, 60_000);
            if (reply.isEmpty()) {
                String down = program + " " + pg[1] + " not currently running.";
                if (!Wildcards.isPattern(pattern)) throw new GgsciException(down);
                ctx.out().println();
                ctx.out().println("ERROR: " + down);
                rc = 1;
                continue;
            }
            ctx.out().println();
            ctx.out().println("Sending " + shownVerb + " request to " + program + " " + pg[1] + " ...");
            ctx.out().println();
            ctx.out().print(reply.get());
            ctx.out().println();
            if (ManagerClient.failed(reply.get())) rc = 1;
        }
        return rc;
    }
}
