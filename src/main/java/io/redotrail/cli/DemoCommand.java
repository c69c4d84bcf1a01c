package io.redotrail.cli;

import io.redotrail.report.GroupRuntimes;
import io.redotrail.runtime.Workloads;
import io.redotrail.extract.ExtractStats;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.RoutesPattern;
import io.redotrail.runtime.Settings;
import io.redotrail.verify.VerifyReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code demo}: the main job. Generates a workload into the source, runs the real routes until the target has
 * applied the last committed transaction of a selected table, stops them gracefully, prints a summary, and
 * exits 0 only when source and target are identical.
 */
@Command(name = "demo", description = "Generate a workload, replicate it, compare source and target (exit 0 only when identical).")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    WorkloadOptions workload;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "give up waiting for the target to catch up after this long (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    private final PrintStream out = System.out;
    private Settings settings;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        settings = common.settings();
        // fail before the work if the comparison would be empty or no route would run
        HomeSetup.prepareHome(settings);
        VerifyCommand.selectedTables(settings);
        RoutesPattern.require(settings);
        Workloads.Played played = Workloads.play(settings,
                workload.config(settings), out);
        long timeoutMs = timeoutSeconds * 1000;

        out.println("starting pipeline (routes " + settings.get(RoutesPattern.KEY) + ")");
        long p0 = System.nanoTime();
        ExtractStats ex;
        ReplicatApplier rep;
        boolean caughtUp;
        GroupRuntimes groups;
        try (Pipeline p = Pipeline.start(settings)) {
            groups = p.groups();
            ex = p.bean("extract", TransactionAggregator.class).stats();
            rep = p.bean("replicat", ReplicatApplier.class);
            caughtUp = CatchUp.await(groups, rep, played.lastSelectedCsn(), timeoutMs, ex, out);
            // further Replicat groups the routes add (templatedRoute) drain the same trail before the stop
            for (ReplicatApplier other : p.beans(ReplicatApplier.class).values()) {
                if (caughtUp && other != rep) caughtUp = CatchUp.await(groups, other, played.lastSelectedCsn(), timeoutMs, ex, out);
            }
        }
        double seconds = (System.nanoTime() - p0) / 1e9;
        out.println();
        out.println("==== redotrail demo summary ====");
        out.printf("captured     %,10d transactions %,12d row changes%n", ex.transactionsCommitted.get(), ex.rowsCommitted.get());
        out.printf("rolled back  %,10d transactions %,12d row changes (never written to a trail)%n",
                ex.transactionsRolledBack.get(), ex.rowsRolledBack.get());
        out.printf("applied      %,10d transactions %,12d row changes%n", rep.getAppliedTransactions(), rep.getAppliedOperations());
        out.printf("pipeline     %.1f s, %,.0f row changes/s end to end (total with workload generation %.1f s)%n",
                seconds, ex.rowsCommitted.get() / seconds, (System.nanoTime() - t0) / 1e9);
        if (!groups.abends().isEmpty()) {
            groups.abends().forEach((g, e) -> out.println("ABENDED " + g + ": " + e.getMessage()));
        }
        VerifyReport r = VerifyCommand.compare(settings);
        r.print(out);
        boolean ok = caughtUp && r.allEqual() && groups.abends().isEmpty();
        out.println(ok ? "RESULT: source and target are identical" : "RESULT: FAILED — source and target differ or the pipeline did not catch up");
        return ok ? 0 : 1;
    }
}
