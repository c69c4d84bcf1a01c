package io.redotrail.cli;

import io.redotrail.runtime.Settings;
import io.redotrail.runtime.Workloads;
import io.redotrail.sim.WorkloadConfig;
import picocli.CommandLine.Option;

/** {@code --transactions N --seed S} of the commands that play a workload into the home ({@code demo}, {@code simulate}). */
final class WorkloadOptions {
    @Option(names = "--transactions", paramLabel = "N", description = "transactions to generate (default: redotrail.workload.transactions)")
    Integer transactions;

    @Option(names = "--seed", paramLabel = "S", description = "workload seed (default: redotrail.workload.seed)")
    Long seed;

    WorkloadConfig config(Settings settings) {
        return Workloads.config(settings, transactions, seed, "redotrail.workload.transactions");
    }
}
