package io.redotrail.cli;

import io.redotrail.report.GroupProcess;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.main.BaseMainSupport;
import io.redotrail.runtime.GroupLocks;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code run}: extract, pump and replicat until SIGTERM/Ctrl-C, which stop the routes gracefully: each finishes
 * its current exchange and checkpoints, and the Replicat commits its open group; exit code 0. Resumes from the
 * checkpoints on start. An abend (missing redo, corrupt trail, apply error) stops the process with exit code 1.
 * The locks of the groups are taken first ({@link GroupLocks}): when another process runs one of them, nothing
 * starts and the exit code is 2 (nothing was done, as for a configuration error; 1 means a group abended).
 * <p>
 * The signals are handled here, not by a JVM shutdown hook: the embedded H2 target closes its database in a
 * shutdown hook of its own, and the hooks run at the same time, so the Replicat's last commit could find the
 * database closed. Here the routes stop first; the hooks run at {@code System.exit} afterwards.
 */
@Command(name = "run", description = {"Run extract, pump and replicat until SIGTERM/Ctrl-C (graceful); resumes from the checkpoints.",
        "A group another process runs is refused (exit 2, nothing started)."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--brreset", description = "ignore Bounded Recovery state for this start (BRRESET)")
    boolean brReset;

    private Settings settings;

    @Override
    public Integer call() throws Exception {
        settings = common.settings();
        Main main = Pipeline.create(settings); // checks the configuration and the routes before the home is touched
        // before anything touches the home or the target: a group another process runs is refused here
        try (GroupLocks locks = GroupLocks.take(settings, null)) {
            return run(main, locks);
        }
    }

    private int run(Main main, GroupLocks locks) throws Exception {
        HomeSetup.prepareHome(settings);
        try {
            // the tables target create makes (MAP-aware, HomeSetup.prepare's); only the ones created now are reported
            for (String line : TargetSetup.createConfiguredQuietly(settings)) System.out.println(line);
        } catch (RuntimeException e) {
            // the Replicat cannot start without its target: its start-up refusal, reported like an abend
            for (String g : locks.groupsOf("REPLICAT")) GroupProcess.abendedOutside(settings.home(), g, "REPLICAT", e);
            throw e;
        }
        if (brReset) {
            // GoldenGate's BRRESET is a startup option: normal recovery this run, Bounded Recovery from then on
            main.addOverrideProperty("redotrail.extract.brReset", "true");
        }
        // the exit status comes from the groups of the context this run starts, before its routes start
        AtomicReference<GroupRuntimes> groups = new AtomicReference<>();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                GroupRuntimes g = GroupRuntimes.of(m.getCamelContext());
                groups.set(g);
                g.onAbend((group, cause) -> {
                    System.err.println("redotrail: " + group + " ABENDED: " + cause.getMessage());
                    main.completed();
                });
            }
        });
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    System.out.println("redotrail: SIG" + sig.getName() + " received, stopping gracefully");
                    main.completed();
                });
            } catch (IllegalArgumentException e) {
                // the platform lacks the signal (or the JVM reserves it): Camel Main's shutdown hook still stops us
            }
        }
        System.out.println("redotrail: running with home " + settings.home() + " (SIGTERM stops gracefully)");
        main.run();
        return groups.get() == null || groups.get().abends().isEmpty() ? 0 : 1;
    }
}
