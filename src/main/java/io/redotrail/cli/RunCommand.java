package io.redotrail.cli;

import io.redotrail.core.Abends;
import org.apache.camel.main.Main;

import java.util.concurrent.Callable;

/**
 * {@code run}: extract, pump and replicat until SIGTERM/Ctrl-C (Camel Main's hangup hook stops the routes
 * gracefully: each finishes its current exchange and checkpoints). Resumes from the checkpoints on start.
 * An abend (missing redo, corrupt trail, apply error) stops the process with exit code 1.
 */
final class RunCommand implements Callable<Integer> {
    private final Settings settings;
    private final Args args;

    RunCommand(Settings settings, Args args) {
        this.args = args;
        args.allow("home", "config", "brreset");
        this.settings = settings;
    }

    @Override
    public Integer call() throws Exception {
        HomeSetup.prepare(settings);
        Main main = Pipeline.create(settings);
        if (args.options.containsKey("brreset")) {
            // GoldenGate's BRRESET is a startup option: normal recovery this run, Bounded Recovery from then on
            main.addOverrideProperty("redotrail.extract.brReset", "true");
        }
        Abends.onAbend((group, cause) -> {
            System.err.println("redotrail: " + group + " ABENDED: " + cause.getMessage());
            main.completed();
        });
        System.out.println("redotrail: running with home " + settings.home() + " (SIGTERM stops gracefully)");
        main.run();
        return Abends.all().isEmpty() ? 0 : 1;
    }
}
