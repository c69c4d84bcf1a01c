package io.redotrail.cli;

import io.redotrail.pump.TablePatterns;
import io.redotrail.redo.RedoLogWriter;
import io.redotrail.redo.sim.RedoLogSink;
import io.redotrail.redo.sim.SourceDatabase;
import io.redotrail.redo.sim.SourceSchema;
import io.redotrail.redo.sim.WorkloadConfig;
import io.redotrail.redo.sim.WorkloadGenerator;
import io.redotrail.redo.sim.WorkloadStats;

import java.io.PrintStream;

/** Plays a workload from the configuration (and --transactions/--seed) into the home's source and redo. */
final class Workloads {
    private Workloads() {
    }

    static WorkloadConfig config(Settings s, Args args, String transactionsKey) {
        try {
            return WorkloadConfig.defaults()
                    .withTransactions((int) args.longOption("transactions", s.getInt(transactionsKey, 20000)))
                    .withSeed(args.longOption("seed", s.getLong("redotrail.workload.seed", 42)))
                    .withOpsPerTransaction(s.getInt("redotrail.workload.minOps", 1), s.getInt("redotrail.workload.maxOps", 9))
                    .withRollbackRatio(s.getDouble("redotrail.workload.rollbackRatio", 0.05))
                    .withMaxOpenTransactions(s.getInt("redotrail.workload.maxOpen", 8));
        } catch (IllegalArgumentException e) {
            throw new Settings.ConfigException(s.file() + ": workload: " + e.getMessage());
        }
    }

    /** Result of a run: the generator's counts and the CSN the pump's tables last committed at. */
    record Played(WorkloadStats stats, long lastSelectedCsn) {
    }

    static Played play(Settings s, WorkloadConfig wc, PrintStream out) {
        HomeSetup.prepare(s);
        TablePatterns selected = TablePatterns.parse(s.get("redotrail.pump.tables"));
        out.printf("generating workload: %,d transactions (seed %d) into %s%n", wc.transactions(), wc.seed(), s.home());
        try (SourceDatabase db = SourceDatabase.open(s.home(), SourceSchema.demo());
             RedoLogSink sink = new RedoLogSink(RedoLogWriter.open(HomeSetup.redoConfig(s, 1)), selected::matches)) {
            WorkloadStats stats = new WorkloadGenerator(db, sink, wc).run();
            out.printf("  committed %,d transactions / %,d row changes, rolled back %,d / %,d, %,d redo records, %.1f s%n",
                    stats.committedTransactions(), stats.committedRowChanges(), stats.rolledBackTransactions(),
                    stats.rolledBackRowChanges(), stats.redoRecords(), stats.elapsedNanos() / 1e9);
            return new Played(stats, sink.lastSelectedCommitScn());
        }
    }
}
