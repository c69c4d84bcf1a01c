package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.FileTrees;
import io.redotrail.core.Transaction;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.pump.TableFilter;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.Workloads;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Benchmark (not a test) of {@code bin/redotrail bench}: plays a workload into a scratch home (wiped first, see
 * {@link BenchHome#wipe}), then measures, each on its own, the extract (redo → local trail), the pump, the
 * replicat (remote trail → target) and the whole pipeline from scratch, into an H2 target or, with
 * {@code --target postgresql}, a fresh PostgreSQL database per stage; and, in the same run, the limit of apply
 * ({@link PlainLimit}): the operation stream the Replicat applied, read from that very trail, applied with plain
 * JDBC into an empty target of the same kind, serially and on N connections partitioned by key. Prints the
 * figures with each stage's ratio to the limit, writes them into a section of the report file, and ends with one
 * {@link Goal} line per goal of issue 13.
 */
public final class PipelineBench {
    /** Where the report goes: the file, the section it replaces (its {@code <!-- section:begin -->} markers) and its title. */
    public record Report(Path file, String section, String title) {
    }

    /**
     * What to measure: {@code transactions} and {@code seed} null for the configured ones ({@code
     * redotrail.bench.transactions}, {@code redotrail.workload.seed}); the target ({@code h2} or {@code
     * postgresql}, then on server {@code pg} as {@code pgUser}); connections of the partitioned plain apply.
     */
    public record Options(Integer transactions, Long seed, String target, String pg, String pgUser, int connections) {
        public Options {
            BenchTarget.Kind.of(target);
            if (connections < 1) throw new IllegalArgumentException("--connections must be at least 1, got " + connections);
        }

        /** H2, 4 connections. */
        public static Options h2(Integer transactions, Long seed) {
            return new Options(transactions, seed, "h2", null, "postgres", 4);
        }

        BenchTarget.Kind kind() {
            return BenchTarget.Kind.of(target);
        }
    }

    private PipelineBench() {
    }

    public static void run(Settings base, Options o, Report report, PrintStream out) throws Exception {
        Path home = base.home();
        BenchTarget.Kind kind = o.kind();
        BenchHome.wipe(home);
        var workload = Workloads.config(base, o.transactions(), o.seed(), "redotrail.bench.transactions");
        var played = Workloads.play(base, workload, out);
        long rows = played.stats().committedRowChanges();
        long csn = played.lastSelectedCsn();
        double gen = played.stats().elapsedNanos() / 1e9;
        warmUp(base, o, csn);

        double extract = timed(base, "file:routes/extract.yaml", p -> {
            var st = p.bean("extract", TransactionAggregator.class).stats();
            return () -> st.lastCsn >= csn;
        });
        double pump = timed(base, "file:routes/pump.yaml", p -> {
            TableFilter f = p.bean("pump", TableFilter.class);
            return () -> f.keptOps() + f.droppedOps() >= rows;
        });
        double replicat = intoTarget(base, o, p -> replicatReached(p, csn), "file:routes/replicat.yaml", Map.of());
        // the parallel Replicat on the same trail into a fresh PostgreSQL database (its checkpoint file removed: a
        // new group position), APPLY_PARALLELISM = the partitioned plain apply's connections
        Double parallel = null;
        if (kind == BenchTarget.Kind.POSTGRESQL) {
            java.nio.file.Files.deleteIfExists(io.redotrail.checkpoint.CheckpointFile.replicatFile(home, base.get("redotrail.replicat.group")));
            parallel = intoTarget(base, o, p -> replicatReached(p, csn), "file:routes/replicat.yaml",
                    Map.of("redotrail.replicat.parallel", "true", "redotrail.replicat.applyParallelism", Integer.toString(o.connections())));
        }
        // the stream the Replicat applied, decoded before the limit's clock starts (after the Replicat stages: its
        // heap is not theirs)
        List<Transaction> stream = PrewrittenTrail.read(home.resolve("dirdat").resolve(base.get("redotrail.pump.trail"))).transactions();
        int gto = base.getInt("redotrail.replicat.groupTransOps", 1000);
        // end to end from scratch on the same redo: new trails, checkpoints and target
        fromScratch(base);
        double e2e = intoTarget(base, o, p -> replicatReached(p, csn), null, Map.of());
        long insertRows = stream.stream().mapToLong(t -> t.changes().stream().filter(c -> c.op() == ChangeOp.INSERT).count()).sum();
        PlainLimit.Result limit = PlainLimit.measure(new PlainLimit.Where(kind, home, o.pg(), o.pgUser()), HomeSetup.sourceUrl(base),
                stream, gto, o.connections(), out);

        PerformanceReport rep = new PerformanceReport(played.stats(), rows, insertRows).lobRatio(workload.lobRatio());
        String t = kind.label;
        rep.addPlain("workload generation (source H2 + redo, fsync per commit group)", rows, gen);
        rep.add("extract alone: redo -> local trail", rows, extract);
        rep.add("pump alone: local trail -> remote trail", rows, pump);
        rep.add("replicat alone: remote trail -> target " + t + ", checkpoint table, GROUPTRANSOPS " + gto, rows, replicat);
        rep.add("end to end: redo -> extract -> pump -> replicat -> target " + t, rows, e2e);
        rep.addPlain("limit: plain JDBC apply of the same operations into empty " + t + ", 1 connection", limit.ops(), limit.serialSeconds());
        rep.addPlain("limit: the same on " + limit.connections() + " connections partitioned by key", limit.ops(), limit.partitionedSeconds());
        if (parallel != null) {
            rep.add("parallel replicat alone: remote trail -> target " + t + ", APPLY_PARALLELISM " + o.connections(), rows, parallel);
        }
        rep.limits(t, limit.serialRate(), limit.connections(), limit.partitionedRate());
        Double parallelVsSerial = parallel == null ? null : replicat / parallel;
        Double parallelVsPlain = parallel == null ? null : rows / parallel / limit.partitionedRate();
        for (Goal g : goals(kind, rows / extract, rows / replicat / limit.serialRate(), rows / e2e / limit.serialRate(),
                parallelVsSerial, parallelVsPlain)) rep.goal(g);
        rep.print(out);
        rep.writeSection(report.file(), report.section(), report.title());
        out.println("written to " + report.file().toAbsolutePath());
        rep.printGoals(out);
    }

    /**
     * JIT warm-up, unmeasured: the whole pipeline once from scratch over the workload's redo, then its trails,
     * checkpoints and target are deleted. Without it the extract and Replicat stages ran while their code (and H2's)
     * compiled, and were compared with a limit measured last, warm: a cold first apply costs the Replicat 2.4× the
     * CPU of a warm one, and a warm-up of the limit's 20,000 operations hardly changed that (docs/performance.md).
     */
    private static void warmUp(Settings base, Options o, long csn) throws Exception {
        intoTarget(base, o, p -> replicatReached(p, csn), null, Map.of());
        fromScratch(base);
    }

    /** Deletes the trails, the checkpoints and the target: the next stage starts from scratch on the same redo. */
    private static void fromScratch(Settings base) throws Exception {
        Path home = base.home();
        for (String d : List.of("dirdat", "dirchk")) FileTrees.delete(home.resolve(d));
        BenchHome.deleteDb(home.resolve("db"), "target");
        HomeSetup.prepare(base);
    }

    /**
     * The goals of issue 13. The two of the parallel Replicat (PostgreSQL only): its rate over the serial
     * Replicat's on the same trail, and over the plain apply on as many connections partitioned by key.
     */
    static List<Goal> goals(BenchTarget.Kind kind, double extractRate, double replicatVsLimit, double e2eVsLimit,
                            Double parallelVsSerial, Double parallelVsPlain) {
        List<Goal> g = new java.util.ArrayList<>(List.of(
                new Goal("extract-alone", extractRate, "1000000"),
                new Goal("replicat-vs-limit", replicatVsLimit, "0.90"),
                new Goal("end-to-end-vs-limit", e2eVsLimit, "0.80")));
        if (kind == BenchTarget.Kind.POSTGRESQL) {
            g.add(new Goal("parallel-vs-serial", parallelVsSerial, "2.0"));
            g.add(new Goal("parallel-vs-plain", parallelVsPlain, "0.80"));
        }
        return g;
    }

    /**
     * Runs {@code routes} until {@code until} into the configured target, or into a fresh PostgreSQL database
     * (dropped after) when the target is PostgreSQL; returns seconds.
     */
    private static double intoTarget(Settings base, Options o, Until until, String routes, Map<String, String> extra) throws Exception {
        return onTarget(base, o, extra, s -> timed(s, routes, until));
    }

    interface OnTarget<T> {
        T run(Settings s) throws Exception;
    }

    static <T> T onTarget(Settings base, Options o, OnTarget<T> body) throws Exception {
        return onTarget(base, o, Map.of(), body);
    }

    /**
     * Runs {@code body} with settings whose target is the configured one, or a fresh PostgreSQL database (dropped
     * after) when the target is PostgreSQL; {@code extra} keys over the settings (PostgreSQL only: the parallel
     * Replicat's stage).
     */
    static <T> T onTarget(Settings base, Options o, Map<String, String> extra, OnTarget<T> body) throws Exception {
        if (o.kind() == BenchTarget.Kind.H2) return body.run(base);
        BenchTarget t = BenchTarget.fresh(o.kind(), base.home(), "target", o.pg(), o.pgUser());
        try {
            Map<String, String> over = new HashMap<>(base.overrides());
            over.put("redotrail.target.jdbcUrl", t.url);
            over.put("redotrail.target.user", t.user);
            over.put("redotrail.target.password", "");
            over.putAll(extra);
            return body.run(Settings.load(base.file(), over));
        } finally {
            t.drop();
        }
    }

    /**
     * The end-to-end rate alone, committed row changes/s: plays the workload into the wiped home, then runs the
     * whole pipeline from scratch over it, as {@link #run} measures its end-to-end stage ({@code bench --lag}'s maximum).
     */
    static double endToEndRate(Settings base, Options o, PrintStream out) throws Exception {
        BenchHome.wipe(base.home());
        var played = Workloads.play(base, Workloads.config(base, o.transactions(), o.seed(), "redotrail.bench.transactions"), out);
        long csn = played.lastSelectedCsn();
        return played.stats().committedRowChanges() / intoTarget(base, o, p -> replicatReached(p, csn), null, Map.of());
    }

    private interface Until {
        BooleanSupplier of(Pipeline p);
    }

    static BooleanSupplier replicatReached(Pipeline p, long csn) {
        ReplicatApplier r = p.bean("replicat", ReplicatApplier.class);
        return () -> r.lastCheckpoint().map(c -> c.logCsn().value() >= csn).orElse(false);
    }

    private static double timed(Settings s, String routes, Until until) throws InterruptedException {
        long t0 = System.nanoTime();
        try (Pipeline p = Pipeline.start(s, routes)) {
            BooleanSupplier done = until.of(p);
            while (!done.getAsBoolean()) {
                if (p.abended()) throw new IllegalStateException("bench: a route abended: " + p.abends());
                Thread.sleep(5);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
