package io.redotrail.cli;

import io.redotrail.runtime.Workloads;
import io.redotrail.runtime.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;

/** {@code simulate}: adds a workload to the source database and its redo; safe while {@code run} runs. */
@Command(name = "simulate", description = "Add a workload to the source database and its redo logs (may run while run runs).")
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--transactions", paramLabel = "N", description = "transactions to generate (default: redotrail.workload.transactions)")
    Integer transactions;

    @Option(names = "--seed", paramLabel = "S", description = "workload seed (default: redotrail.workload.seed)")
    Long seed;

    @Override
    public Integer call() {
        Settings settings = common.settings();
        Workloads.play(settings, Workloads.config(settings, transactions, seed, "redotrail.workload.transactions"), System.out);
        return 0;
    }
}
