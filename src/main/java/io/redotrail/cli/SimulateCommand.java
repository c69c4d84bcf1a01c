package io.redotrail.cli;

import io.redotrail.runtime.Workloads;
import io.redotrail.runtime.Settings;
import java.util.concurrent.Callable;

/** {@code simulate}: adds a workload to the source database and its redo; safe while {@code run} runs. */
final class SimulateCommand implements Callable<Integer> {
    private final Settings settings;
    private final Args args;

    SimulateCommand(Settings settings, Args args) {
        args.allow("home", "config", "transactions", "seed");
        this.settings = settings;
        this.args = args;
    }

    @Override
    public Integer call() {
        Workloads.play(settings, Workloads.config(settings, args.longOrNull("transactions"), args.longOrNull("seed"), "redotrail.workload.transactions"), System.out);
        return 0;
    }
}
