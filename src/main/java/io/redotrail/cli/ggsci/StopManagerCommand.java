package io.redotrail.cli.ggsci;

import java.io.Console;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code STOP MANAGER | MGR [!]}: asks the Manager to stop ({@code STOPMGR}: it stops the groups it started
 * gracefully, then itself) and waits until its process has exited and its lock on {@code dirchk/MGR.pid} is free.
 * On a terminal GGSCI first asks "Manager process is required by other GGS processes. Are you sure you want to
 * stop it (y/n)?", as GoldenGate's does; {@code !} never asks, and neither does a session reading commands from a
 * file or pipe (OBEY, stdin, a command-line argument without a terminal). A Manager that is not running: "Manager
 * is already stopped." (ours; exit status 0, nothing to do).
 */
final class StopManagerCommand implements GgsciCommand {
    /** The Manager's own stop waits up to its --stop-timeout (120 s by default) per group, then kills: allow more. */
    static final long STOP_MILLIS = 300_000;
    private final Supplier<Console> terminal;

    /** {@code terminal}: the console to ask on, null when the session has none (System::console in GGSCI). */
    StopManagerCommand(Supplier<Console> terminal) {
        this.terminal = terminal;
    }

    @Override
    public String verb() {
        return "STOP";
    }

    @Override
    public String object() {
        return "MANAGER";
    }

    @Override
    public String usage() {
        return "STOP MGR [!]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        boolean force = "!".equals(c.group()) || c.words().equals(java.util.List.of("!"));
        if (!force && (c.group() != null || !c.options().isEmpty())) throw new GgsciException("usage: " + usage());
        if (!ManagerClient.running(ctx.home())) {
            ctx.out().println("Manager is already stopped.");
            return 0;
        }
        Console console = terminal.get();
        if (!force && console != null) {
            ctx.out().println("Manager process is required by other GGS processes.");
            ctx.out().flush();
            String answer = console.readLine("Are you sure you want to stop it (y/n)?");
            if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) return 0;
        }
        long pid = ManagerClient.pid(ctx.home());
        ctx.out().println();
        ctx.out().println("Sending STOP request to MANAGER ...");
        String reply = ManagerClient.send(ctx, "STOPMGR");
        if (ManagerClient.failed(reply)) {
            ctx.out().println(reply.stripTrailing());
            return 1;
        }
        ctx.out().println("Request processed.");
        Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        boolean gone = ManagerLaunch.poll(STOP_MILLIS, () -> !ManagerClient.running(ctx.home())
                && process.map(p -> !p.isAlive()).orElse(true));
        if (!gone) {
            throw new GgsciException("Manager (pid " + pid + ") has not stopped within " + STOP_MILLIS / 1000
                    + " s of the request; see ggserr.log and " + ManagerLaunch.output(ctx.home()) + ".");
        }
        ctx.out().println("Manager stopped.");
        return 0;
    }
}
