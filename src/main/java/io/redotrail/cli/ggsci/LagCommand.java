package io.redotrail.cli.ggsci;

/**
 * {@code LAG EXTRACT | REPLICAT group}: asks the running group for its lag ({@code LAG} on its control channel,
 * contract 5); GoldenGate names the request GETLAG ("Sending GETLAG request to EXTRACT EXT1 ..."). With a heartbeat
 * table in the home, then the lag the heartbeat measured on the group's paths ({@link HeartbeatLag}).
 */
final class LagCommand implements GgsciCommand {
    private final String program;

    LagCommand(String program) {
        this.program = program;
    }

    @Override
    public String verb() {
        return "LAG";
    }

    @Override
    public String object() {
        return program;
    }

    @Override
    public String usage() {
        return "LAG " + program + " <group|pattern>" + (program.equals("REPLICAT") ? " [HISTORY]" : "");
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        // HISTORY: GoldenGate for Distributed Applications and Analytics' LAG <replicat> HISTORY (GG_LAG_HISTORY per day)
        boolean history = program.equals("REPLICAT") && c.words().size() == 1 && c.words().get(0).equalsIgnoreCase("HISTORY");
        if (c.group() == null || !c.options().isEmpty() && !history) throw new GgsciException("usage: " + usage());
        int rc;
        try {
            rc = GroupChannel.forward(ctx, program, c.group(), "GETLAG", "LAG");
        } catch (GgsciException e) {
            if (!HeartbeatLag.configured(ctx)) throw e;
            ctx.out().println(); // a stopped group: its heartbeat lag is still worth seeing (the age grows)
            ctx.out().println("ERROR: " + e.getMessage());
            rc = 1;
        }
        HeartbeatLag.print(ctx, program, c.group());
        if (history) HeartbeatLag.printHistory(ctx, c.group());
        return rc;
    }
}
