package io.redotrail.cli.ggsci;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code START MANAGER | MGR}: starts the home's Manager in the background ({@link ManagerLaunch}) and returns once
 * it holds its lock on {@code dirchk/MGR.pid} and answers INFO on its port: "Manager started.", as GGSCI says. A
 * Manager that exits instead (bad mgr.prm, port in use) is an error quoting the end of {@code dirrpt/MGR.rpt}. A
 * Manager already running: "MGR is already running." (GGSCI's words; exit status 0, nothing to do). The Manager gets
 * this GGSCI's {@code --home}, {@code --config} and {@code --set} options, and passes them on to its groups.
 */
final class StartManagerCommand implements GgsciCommand {
    /** How long a Manager may take to start on a slow machine (a JVM, mgr.prm, AUTOSTART). */
    static final long START_MILLIS = 120_000;
    private final Supplier<List<String>> options;

    /** {@code options}: the {@code --home H [--config C] [--set K=V]...} the Manager is started with. */
    StartManagerCommand(Supplier<List<String>> options) {
        this.options = options;
    }

    @Override
    public String verb() {
        return "START";
    }

    @Override
    public String object() {
        return "MANAGER";
    }

    @Override
    public String usage() {
        return "START MGR";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() != null || !c.options().isEmpty()) throw new GgsciException("usage: " + usage());
        Path home = ctx.home();
        if (ManagerClient.running(home)) {
            ctx.out().println("MGR is already running.");
            return 0;
        }
        Process p = ManagerLaunch.start(home, options.get());
        boolean up = ManagerLaunch.poll(START_MILLIS, () -> answers(ctx) || !p.isAlive());
        if (up && answers(ctx)) {
            ctx.out().println("Manager started.");
            return 0;
        }
        Path rpt = ManagerLaunch.output(home);
        if (p.isAlive()) {
            throw new GgsciException("Manager did not answer within " + START_MILLIS / 1000 + " s of its start (pid " + p.pid()
                    + ", still running); see " + rpt + ":\n" + ManagerLaunch.tail(rpt, 10));
        }
        throw new GgsciException("Manager did not start (exit code " + p.exitValue() + "); " + rpt + ":\n"
                + ManagerLaunch.tail(rpt, 10));
    }

    /** True once the Manager holds its lock and answers INFO on the port its pid file names. */
    private static boolean answers(GgsciContext ctx) {
        if (!ManagerClient.running(ctx.home())) return false;
        try {
            return ManagerClient.send(ctx, "INFO").startsWith("Manager is running");
        } catch (java.io.IOException | RuntimeException e) {
            return false; // pid file being written, listener not bound yet
        }
    }
}
