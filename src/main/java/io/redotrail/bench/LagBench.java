package io.redotrail.bench;

import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.report.GroupRuntime;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.Workloads;
import io.redotrail.sim.WorkloadConfig;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * {@code bin/redotrail bench --lag}: commit-to-apply lag under a steady load. The end-to-end maximum (committed
 * row changes/s) is measured first as {@link PipelineBench} measures its end-to-end stage, or taken from
 * {@code --max-rate}. Then, in the wiped home, the whole pipeline runs while the workload generator, paced on the
 * real clock ({@code redotrail.workload.rate}, a steady schedule: {@code sim.Pacer}), commits at 50 % of that
 * maximum for an unmeasured warm-up, then at 50 % and at 90 % for {@code seconds} each. The lag of each applied
 * transaction (target commit time minus source commit time, one clock) goes into the HdrHistogram of the phase its
 * source commit falls in ({@link LagPhases}, the Replicat group's {@link GroupRuntime.Applied} listener, registered
 * through the pipeline's CamelContext); after the last phase bench waits for the Replicat to apply everything, then
 * prints p50, p90, p99, p99.9 and max per phase and the goal line {@code goal: lag-p99-at-50 <ms> 1000 MET|NOT MET}.
 */
public final class LagBench {
    /** Transactions played before the pipeline starts: its redo exists and every route runs before the pacing begins. */
    private static final int PRIME_TRANSACTIONS = 50;
    /** A group commit spans at most this much of the offered load (a database's group commit takes milliseconds). */
    private static final double GROUP_COMMIT_SECONDS = 0.005;

    /** {@code maxRate} null: measure it; {@code seconds} per measured phase; {@code warmupSeconds} unmeasured at 50 %. */
    public record Options(Double maxRate, int seconds, int warmupSeconds) {
        public Options {
            if (maxRate != null && !(maxRate > 0)) throw new IllegalArgumentException("--max-rate must be > 0, got " + maxRate);
            if (seconds < 1) throw new IllegalArgumentException("--lag-seconds must be at least 1, got " + seconds);
            if (warmupSeconds < 0) throw new IllegalArgumentException("--warmup-seconds must be at least 0, got " + warmupSeconds);
        }
    }

    private record Phase(String name, double fraction, int seconds, boolean measured) {
    }

    /** A measured phase as it ran: offered committed row changes/s, the rows committed. */
    private record Ran(String name, double offered, long rows) {
    }

    private LagBench() {
    }

    public static void run(Settings base, PipelineBench.Options o, Options lo, PipelineBench.Report report, PrintStream out) throws Exception {
        double max;
        String maxText;
        if (lo.maxRate() != null) {
            max = lo.maxRate();
            maxText = String.format(Locale.ROOT, "%,.0f rows/s (--max-rate)", max);
        } else {
            max = PipelineBench.endToEndRate(base, o, out);
            maxText = String.format(Locale.ROOT, "%,.0f rows/s (end to end from scratch, measured in this run)", max);
        }
        out.println("end-to-end maximum: " + maxText);
        if (lo.seconds() < 60) {
            out.println("note: phases of " + lo.seconds() + " s, shorter than the 60 s of issue 13: a trial, not the published measurement");
        }
        BenchHome.wipe(base.home());
        WorkloadConfig wc = Workloads.config(base, o.transactions(), o.seed(), "redotrail.bench.transactions");
        List<Phase> plan = new ArrayList<>();
        if (lo.warmupSeconds() > 0) plan.add(new Phase("warm-up", 0.5, lo.warmupSeconds(), false));
        plan.add(new Phase("50%", 0.5, lo.seconds(), true));
        plan.add(new Phase("90%", 0.9, lo.seconds(), true));
        List<LagSummary> phases = PipelineBench.onTarget(base, o, s -> underLoad(s, wc, max, plan, out));

        out.println();
        out.println("machine: " + PerformanceReport.machine());
        for (LagSummary p : phases) out.println(p.line());
        Goal goal = LagSummary.goal(phases.get(0));
        PerformanceReport.writeLagSection(report.file(), report.section(), report.title(), o.kind().label, maxText, phases, goal);
        out.println("written to " + report.file().toAbsolutePath());
        out.println(goal.line());
    }

    /** Runs the pipeline while the phases play, waits until everything is applied; returns the measured phases. */
    private static List<LagSummary> underLoad(Settings s, WorkloadConfig wc, double max, List<Phase> plan, PrintStream out)
            throws InterruptedException {
        LagPhases lag = new LagPhases();
        List<Ran> ran = new ArrayList<>();
        long primed = Workloads.play(s, wc.withTransactions(PRIME_TRANSACTIONS), out).lastSelectedCsn();
        try (Pipeline p = Pipeline.start(s, null)) {
            String group = p.bean("replicat", ReplicatApplier.class).getGroup();
            p.groups().find(group).orElseThrow(() -> new IllegalStateException("bench: the Replicat group " + group + " did not start"))
                    .onApplied(lag);
            awaitApplied(p, primed, 120);
            long lastCsn = primed;
            int i = 0;
            for (Phase ph : plan) {
                double rate = max * ph.fraction();
                WorkloadConfig phase = paced(wc, rate, ph.seconds()).withSeed(wc.seed() + ++i);
                out.printf(Locale.ROOT, "phase %s: %,.0f committed rows/s for %d s%s%n", ph.name(), rate, ph.seconds(),
                        ph.measured() ? "" : " (not measured)");
                if (ph.measured()) lag.begin(ph.name(), System.currentTimeMillis());
                Workloads.Played played = Workloads.play(s, phase, out);
                if (ph.measured()) lag.end(System.currentTimeMillis());
                if (p.abended()) throw new IllegalStateException("bench: a route abended: " + p.abends());
                lastCsn = Math.max(lastCsn, played.lastSelectedCsn());
                if (ph.measured()) ran.add(new Ran(ph.name(), rate, played.stats().committedRowChanges()));
            }
            // every transaction of the phases applied: a late one is the tail the percentiles are about
            awaitApplied(p, lastCsn, 300 + 2L * plan.stream().mapToInt(Phase::seconds).sum());
        }
        out.printf("applied outside the measured phases (priming, warm-up): %,d transactions%n", lag.unmeasured());
        // achieved over the span of the phase's source commits: the generator's start-up (loading the source's rows) is no load
        return ran.stream().map(r -> {
            double secs = lag.sourceSpanMillis(r.name()) / 1000.0;
            return LagSummary.of(r.name(), r.offered(), secs > 0 ? r.rows() / secs : Double.NaN, secs, lag.histogram(r.name()));
        }).toList();
    }

    /**
     * The workload paced at {@code committedRate} committed row changes/s for at least {@code seconds}: the
     * generator paces every change, rolled-back ones too, so its rate is divided by the committed share; 1 % more
     * transactions than the mean needs, so chance never makes a phase short; group commits of at most 5 ms of load.
     */
    static WorkloadConfig paced(WorkloadConfig wc, double committedRate, int seconds) {
        double changeRate = committedRate / Math.max(0.01, 1 - wc.rollbackRatio());
        double meanOps = (wc.minOpsPerTransaction() + wc.maxOpsPerTransaction()) / 2.0;
        long n = (long) Math.ceil(changeRate * seconds * 1.01 / meanOps);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("bench --lag: " + n + " transactions per phase is too many");
        int group = (int) Math.max(1, Math.min(wc.commitGroupSize(), Math.round(changeRate / meanOps * GROUP_COMMIT_SECONDS)));
        return wc.withRowsPerSecond(changeRate).withTransactions((int) Math.max(1, n)).withCommitGroupSize(group);
    }

    private static void awaitApplied(Pipeline p, long csn, long seconds) throws InterruptedException {
        BooleanSupplier reached = PipelineBench.replicatReached(p, csn);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!reached.getAsBoolean()) {
            if (p.abended()) throw new IllegalStateException("bench: a route abended: " + p.abends());
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bench: the Replicat did not apply up to CSN " + csn + " within " + seconds + " s");
            }
            Thread.sleep(5);
        }
    }
}
