package io.redotrail.cli;

import io.redotrail.report.GroupProcess;
import io.redotrail.runtime.Foreground;
import io.redotrail.runtime.GroupLocks;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.control.manager.GroupDefs;
import io.redotrail.observe.web.LivePage;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;
import java.nio.file.Path;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code run}: extract, pump and replicat until SIGTERM/Ctrl-C, which stop the routes gracefully: each finishes
 * its current exchange and checkpoints, and the Replicat commits its open group; exit code 0. Resumes from the
 * checkpoints on start. An abend (missing redo, corrupt trail, apply error) stops the process with exit code 1.
 * The locks of the groups are taken first ({@link GroupLocks}): when another process runs one of them, nothing
 * starts and the exit code is 2 (nothing was done, as for a configuration error; 1 means a group abended).
 * Signals and exit status: {@link Foreground}, shared with a group's {@code process}.
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
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                prepare(locks); // once Camel loaded the routes: a route file it refuses leaves home and target untouched
            }
        });
        if (brReset) {
            // GoldenGate's BRRESET is a startup option: normal recovery this run, Bounded Recovery from then on
            main.addOverrideProperty("redotrail.extract.brReset", "true");
        }
        livePage(main);
        return Foreground.run(main, "redotrail: running with home " + settings.home() + " (SIGTERM stops gracefully)");
    }

    /** The home's folders and source, and the target tables target create makes (MAP-aware, HomeSetup.prepare's). */
    private void prepare(GroupLocks locks) {
        HomeSetup.prepareHome(settings);
        try {
            // only the ones created now are reported
            for (String line : TargetSetup.createConfiguredQuietly(settings)) System.out.println(line);
        } catch (RuntimeException e) {
            // the Replicat cannot start without its target: its start-up refusal, reported like an abend
            for (String g : locks.groupsOf("REPLICAT")) GroupProcess.abendedOutside(settings.home(), g, "REPLICAT", e);
            throw e;
        }
    }

    /**
     * With Camel's HTTP server on ({@code camel.server.enabled}, however it was set), {@code run} serves the
     * Manager's live page on it (docs/observability.md#live-page; {@code /metrics} is the process's own).
     */
    private void livePage(Main main) {
        Path home = settings.home();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                HttpServerConfigurationProperties http = m.configure().httpServer();
                if (!http.isEnabled()) return;
                try {
                    LivePage.install(m.getCamelContext(), home, () -> GroupDefs.pageRefs(home), false);
                } catch (Exception e) {
                    throw new IllegalStateException("live page: " + e.getMessage(), e);
                }
                System.out.println("redotrail: live page on http://" + http.getHost() + ":" + http.getPort() + "/");
            }
        });
    }
}
