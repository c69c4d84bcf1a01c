package io.redotrail.bench;

import io.redotrail.core.FileTrees;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.Workloads;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark (not a test) of {@code bin/redotrail bench extract}: plays the bench workload once into a scratch
 * home (wiped first, see {@link BenchHome#wipe}), then runs the extract alone (redo → local trail, the real
 * route with its fsyncs and checkpoints) {@code warmUps} times unmeasured, then {@code repeat} times timed, each
 * from scratch (trail, checkpoints and BR files deleted), timed from the route's start until the trail producer
 * confirmed the workload's last commit durable (fsynced; {@code bench}'s extract stage stops when the aggregator
 * passed it, one batch earlier). Reports every run's rows/s and rows per CPU-second of the whole process (all
 * threads: reader, JIT, GC), then the best rows/s (and, apart, the best rows per CPU-second) of the timed runs, the
 * rows/s as the {@code extract-alone} goal line. CPU-seconds are the fairer figure on a shared machine: wall time
 * counts the other users' load, CPU time mostly does not. The warm-up runs (printed, not counted) are there because
 * a run lasts half a second: on 2 cores the JIT compiles the extract's code through the first five to eight runs of
 * a JVM, and a best of three cold runs measured the compiler. With {@code jfr} set, a JFR recording (profile
 * settings) covers the timed runs only, not the workload or the warm-up.
 * Not thread-safe; one run at a time.
 */
public final class ExtractBench {
    /** The warm-up runs of {@code bench extract} unless {@code --warmup} says otherwise: as many as {@code bench} makes. */
    public static final int DEFAULT_WARM_UPS = PipelineBench.EXTRACT_WARM_UPS;

    /** {@code transactions}, {@code seed}: null for the configured ones; {@code jfr}: recording file or null. */
    public record Options(Integer transactions, Long seed, int warmUps, int repeat, Path jfr) {
        public Options {
            if (warmUps < 0) throw new IllegalArgumentException("--warmup must be at least 0, got " + warmUps);
            if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        }
    }

    /** One timed run; {@code startSeconds}: of {@code seconds}, until the CamelContext had started the route. */
    public record Run(double seconds, double cpuSeconds, double startSeconds) {
    }

    private ExtractBench() {
    }

    public static void run(Settings base, Options o, PrintStream out) throws Exception {
        Path home = base.home();
        BenchHome.wipe(home);
        var played = Workloads.play(base, Workloads.config(base, o.transactions(), o.seed(), "redotrail.bench.transactions"), out);
        long rows = played.stats().committedRowChanges();
        long csn = played.lastSelectedCsn();
        for (int i = 1; i <= o.warmUps(); i++) {
            Run r = fromScratch(base, csn);
            out.printf("extract warm-up %d/%d (not counted): %.3f s = %,.0f rows/s%n", i, o.warmUps(), r.seconds(), rows / r.seconds());
        }
        jdk.jfr.Recording rec = null;
        if (o.jfr() != null) {
            rec = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            rec.setDestination(o.jfr());
            rec.start();
        }
        Run best = null;
        Run bestCpu = null;
        try {
            for (int i = 1; i <= o.repeat(); i++) {
                Run r = fromScratch(base, csn);
                out.printf("extract run %d/%d: %,d rows in %.3f s (route started after %.3f s) = %,.0f rows/s; %.3f CPU-s = %,.0f rows per CPU-second; load average %.2f%n",
                        i, o.repeat(), rows, r.seconds(), r.startSeconds(), rows / r.seconds(), r.cpuSeconds(), rows / r.cpuSeconds(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                if (best == null || r.seconds() < best.seconds()) best = r;
                if (bestCpu == null || r.cpuSeconds() < bestCpu.cpuSeconds()) bestCpu = r;
            }
        } finally {
            if (rec != null) {
                rec.stop();
                rec.close();
                out.println("JFR recording of the timed runs: " + o.jfr().toAbsolutePath());
            }
        }
        out.printf("extract alone, best of %d: %,.0f rows/s; %,.0f rows per CPU-second (%s; load average %.2f)%n", o.repeat(),
                rows / best.seconds(), rows / bestCpu.cpuSeconds(), PerformanceReport.machine(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println(new Goal("extract-alone", rows / best.seconds(), "1000000").line());
    }

    /** One extract from scratch (trail, checkpoints and BR files deleted first). */
    private static Run fromScratch(Settings s, long csn) throws Exception {
        for (String d : List.of("dirdat", "dirchk", s.get("redotrail.extract.brDir", "BR"))) FileTrees.delete(s.home().resolve(d));
        HomeSetup.prepare(s);
        return once(s, csn);
    }

    /** One extract: wall and process CPU seconds from the route's start to the last commit extracted. */
    private static Run once(Settings s, long csn) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (Pipeline p = Pipeline.start(s, "file:routes/extract.yaml")) {
            double started = (System.nanoTime() - t0) / 1e9;
            var group = GroupRuntimes.of(p.context(), s.home(), s.get("redotrail.extract.group"));
            // until the trail producer confirmed the last commit durable (fsynced), not only aggregated
            while (group.trailState() == null || group.trailState().confirmedCsn() < csn) {
                if (p.abended()) throw new IllegalStateException("bench extract: the extract abended: " + p.abends());
                Thread.sleep(1);
            }
            return new Run((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9, started);
        }
    }
}
