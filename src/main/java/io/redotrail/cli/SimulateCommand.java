package io.redotrail.cli;

import io.redotrail.runtime.Workloads;
import io.redotrail.runtime.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import java.util.concurrent.Callable;

/** {@code simulate}: adds a workload to the source database and its redo; safe while {@code run} runs. */
@Command(name = "simulate", description = "Add a workload to the source database and its redo logs (may run while run runs).")
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    WorkloadOptions workload;

    @Override
    public Integer call() {
        Settings settings = common.settings();
        Workloads.play(settings, workload.config(settings), System.out);
        return 0;
    }
}
