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
import java.util.Locale;
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

    /**
     * Runs the bench with {@code rounds} rounds of every stage and of the limit, one after the other (extract, pump, replicat, parallel replicat, end to end, limit, then again): each
     * figure is the best of its rounds. A stage on 2 cores runs 5 to 10 s, and a single run of it or of the limit
     * varied by a third between runs of one code on a quiet machine; rounds in turn give the stages and the limit
     * the same chances of a quiet moment.
     */
    public static void run(Settings base, Options o, int rounds, Report report, PrintStream out) throws Exception {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        Path home = base.home();
        BenchTarget.Kind kind = o.kind();
        BenchHome.wipe(home);
        var workload = Workloads.config(base, o.transactions(), o.seed(), "redotrail.bench.transactions");
        var played = Workloads.play(base, workload, out);
        long rows = played.stats().committedRowChanges();
        long csn = played.lastSelectedCsn();
        double gen = played.stats().elapsedNanos() / 1e9;
        int gto = base.getInt("redotrail.replicat.groupTransOps", 1000);
        warmUp(base, o, csn);

        PipelineRound best = null;
        long insertRows = 0;
        for (int r = 1; r <= rounds; r++) {
            if (r > 1) fromScratch(base);
            PipelineRound round = round(base, o, rows, csn, gto, out);
            insertRows = round.insertRows();
            out.printf(Locale.ROOT, "round %d of %d: %s%n", r, rounds, round.describe());
            best = best == null ? round : best.best(round);
        }

        PerformanceReport rep = new PerformanceReport(played.stats(), rows, insertRows).lobRatio(workload.lobRatio()).rounds(rounds);
        String t = kind.label;
        rep.addPlain("workload generation (source H2 + redo, fsync per commit group)", rows, gen);
        rep.add("extract alone: redo -> local trail", rows, best.extract());
        rep.add("pump alone: local trail -> remote trail", rows, best.pump());
        rep.add("replicat alone: remote trail -> target " + t + ", checkpoint table, GROUPTRANSOPS " + gto, rows, best.replicat());
        rep.add("end to end: redo -> extract -> pump -> replicat -> target " + t, rows, best.e2e());
        PlainLimit.Result limit = best.limit();
        rep.addPlain("limit: plain JDBC apply of the same operations into empty " + t + ", 1 connection", limit.ops(), limit.serialSeconds());
        rep.addPlain("limit: the same on " + limit.connections() + " connections partitioned by key", limit.ops(),
                limit.partitioned().seconds());
        if (best.parallel() != null) {
            rep.add("parallel replicat alone: remote trail -> target " + t + ", APPLY_PARALLELISM " + o.connections(), rows, best.parallel().seconds());
        }
        rep.limits(t, limit.serialRate(), limit.connections(), limit.partitionedRate());
        Double parallelVsSerial = best.parallel() == null ? null : best.replicat() / best.parallel().seconds();
        Double parallelVsPlain = best.parallel() == null ? null : rows / best.parallel().seconds() / limit.partitionedRate();
        for (Goal g : goals(kind, rows / best.extract(), rows / best.replicat() / limit.serialRate(), rows / best.e2e() / limit.serialRate(),
                parallelVsSerial, parallelVsPlain)) rep.goal(g);
        rep.print(out);
        rep.writeSection(report.file(), report.section(), report.title());
        out.println("written to " + report.file().toAbsolutePath());
        rep.printGoals(out);
    }

    /** Every stage once over the played redo, from trails, checkpoints and target deleted; then the limit. */
    private static PipelineRound round(Settings base, Options o, long rows, long csn, int gto, PrintStream out) throws Exception {
        Path home = base.home();
        double extract = extract(base, csn);
        double pump = timed(base, "file:routes/pump.yaml", (p, t0) -> {
            TableFilter f = p.bean("pump", TableFilter.class);
            return () -> f.keptOps() + f.droppedOps() >= rows;
        }).seconds();
        ReplicatApplier[] applier = new ReplicatApplier[1];
        double[] marks = {0, 0};
        long gc0 = Timed.gcMillis();
        Timed replicat = intoTarget(base, o, marking(csn, marks, applier), "file:routes/replicat.yaml", Map.of());
        double replicatCpu = applier[0].getRouteCpuNanos() / 1e9;
        double committerCpu = applier[0].getCommitterCpuNanos() / 1e9;
        double replicatGc = (Timed.gcMillis() - gc0) / 1e3;
        Timed parallel = o.kind() == BenchTarget.Kind.POSTGRESQL ? parallel(base, o, csn) : null;
        // end to end from scratch on the same redo: new trails, checkpoints and target
        fromScratch(base);
        double[] e2eMarks = {0, 0};
        Timed e2e = intoTarget(base, o, marking(csn, e2eMarks, new ReplicatApplier[1]), null, Map.of());
        // the stream the Replicat applied (the remote trail end to end wrote again from the same redo), decoded before
        // the limit's clock starts and after every stage: its ~600 MB are not their heap (held during the end-to-end
        // stage, they made its young collections start concurrent marking), and it is dropped after this round's limit
        List<Transaction> stream = PrewrittenTrail.read(home.resolve("dirdat").resolve(base.get("redotrail.pump.trail"))).transactions();
        long insertRows = stream.stream().mapToLong(t -> t.changes().stream().filter(c -> c.op() == ChangeOp.INSERT).count()).sum();
        PlainLimit.Result limit = PlainLimit.measure(new PlainLimit.Where(o.kind(), home, o.pg(), o.pgUser(),
                BenchTarget.h2Options(base.get("redotrail.target.jdbcUrl"))), HomeSetup.sourceUrl(base),
                stream, gto, o.connections(), out);
        return new PipelineRound(extract, pump, replicat.seconds(), marks[0], marks[1], replicatCpu, committerCpu, replicatGc,
                replicat, parallel, e2e.seconds(), e2eMarks[1], e2e, limit, insertRows);
    }

    /**
     * Until the Replicat has applied {@code csn}; meanwhile {@code marks} gets the seconds into the stage at which its
     * routes had started and the Replicat first committed (the rest is applying at its pace), {@code applier} the
     * Replicat.
     */
    private static Until marking(long csn, double[] marks, ReplicatApplier[] applier) {
        return (p, t0) -> {
            marks[0] = (System.nanoTime() - t0) / 1e9;
            ReplicatApplier r = applier[0] = p.bean("replicat", ReplicatApplier.class);
            BooleanSupplier reached = replicatReached(p, csn);
            return () -> {
                if (marks[1] == 0 && r.lastCheckpoint().isPresent()) marks[1] = (System.nanoTime() - t0) / 1e9;
                return reached.getAsBoolean();
            };
        };
    }

    /**
     * JIT warm-up, unmeasured: the whole pipeline once from scratch over the workload's redo, then the serial Replicat
     * alone {@value #SERIAL_WARM_UPS} times and (PostgreSQL) the parallel Replicat {@value #PARALLEL_WARM_UPS} times
     * on its trail, then its trails, checkpoints and target are deleted; then the extract alone
     * {@value #EXTRACT_WARM_UPS} times. Without it the extract and Replicat stages
     * ran while their code (and H2's) compiled, and were compared with a limit measured last, warm: a cold first
     * apply costs the Replicat 2.4× the CPU of a warm one, and a warm-up of the limit's 20,000 operations hardly
     * changed that (docs/performance.md).
     */
    private static void warmUp(Settings base, Options o, long csn) throws Exception {
        intoTarget(base, o, (p, t0) -> replicatReached(p, csn), null, Map.of());
        for (int i = 0; i < SERIAL_WARM_UPS; i++) serialAgain(base, o, csn);
        if (o.kind() == BenchTarget.Kind.POSTGRESQL) {
            for (int i = 0; i < PARALLEL_WARM_UPS; i++) parallel(base, o, csn);
        }
        fromScratch(base);
        for (int i = 0; i < EXTRACT_WARM_UPS; i++) {
            extract(base, csn);
            fromScratch(base);
        }
    }

    /**
     * Extract-alone passes in the warm-up, after the pipeline's pass (and, on PostgreSQL, the parallel Replicat's):
     * the extract's stage lasts under a second, so one pass leaves its code compiling through the rounds
     * ({@code bench extract}'s first runs in one JVM: 0.26, 0.50, 0.68, 0.72 M rows/s, then 1.0-1.4 M; inside
     * {@code bench}, 0.85-1.20 M as the best of three rounds). On an AMD EPYC on 2026-12-06, {@code bench extract
     * --repeat 8} went 0.25, 0.52, 0.81, 0.77, 0.84, 0.94, 1.04, 1.09 M rows/s, and with three passes
     * {@code bench}'s extract stage gave 0.75-1.0 M: six. Ten since that evening: on an AMD EPYC with six, the
     * stage gave 0.89-0.99 M in four of eight runs of {@code bench} and 1.08-1.24 M in the others, while
     * {@code bench extract --repeat 14} went 0.29, 0.48, 0.76, 0.87, 1.01, 0.78, 0.91, then 0.91-1.19 M from its
     * eighth run on (a pass takes half a second).
     */
    static final int EXTRACT_WARM_UPS = 10;

    /**
     * Serial Replicat passes alone in the warm-up, on the trail the pipeline's pass wrote. Its per-group methods
     * run once per GROUPTRANSOPS operations, some 470 calls a pass, below C2's threshold: after the pipeline's pass
     * alone, C2 compiled for 1.0-1.3 CPU-s inside the 3 s of the measured H2 stage on 2 cores (the group's batches,
     * statements and checkpoint row; H2's page code), while the Replicat's threads used 3.0-3.9.
     */
    static final int SERIAL_WARM_UPS = 2;

    /** The serial Replicat alone on the remote trail into a new target (its checkpoint file removed too). */
    private static void serialAgain(Settings base, Options o, long csn) throws Exception {
        newGroupPosition(base);
        if (o.kind() == BenchTarget.Kind.H2) {
            BenchHome.deleteDb(base.home().resolve("db"), "target");
            HomeSetup.prepare(base);
        }
        intoTarget(base, o, (p, t0) -> replicatReached(p, csn), "file:routes/replicat.yaml", Map.of());
    }

    /**
     * Parallel Replicat passes in the warm-up (PostgreSQL), on the trail the pipeline's pass wrote: its code runs
     * in no other stage, and an applier calls its commit-group method once per ~800 operations (some 600 calls a
     * stage across four appliers, about C2's threshold for it), so round 1 ran C1's profiling code and the second
     * round's stage shared the 2 cores with ~2 CPU-s of C2 compiling it (BigDecimal.toPlainString 0.8 s,
     * ParallelWorker.apply 1.0 s), while the 4-connection plain apply it is compared with had been compiled by the
     * serial limit run before it (0.02 CPU-s of C2).
     */
    static final int PARALLEL_WARM_UPS = 2;

    /**
     * The parallel Replicat alone on the remote trail into a fresh PostgreSQL database (its checkpoint file
     * removed: a new group position), APPLY_PARALLELISM = the partitioned plain apply's connections; returns its
     * seconds and CPU.
     * PostgreSQL only: on H2 the target, and so its checkpoint table, is the one the serial stage left.
     */
    private static Timed parallel(Settings base, Options o, long csn) throws Exception {
        if (o.kind() != BenchTarget.Kind.POSTGRESQL) throw new IllegalStateException("the parallel stage runs on PostgreSQL only");
        newGroupPosition(base);
        return intoTarget(base, o, (p, t0) -> replicatReached(p, csn), "file:routes/replicat.yaml",
                Map.of("redotrail.replicat.parallel", "true", "redotrail.replicat.applyParallelism", Integer.toString(o.connections())));
    }

    /** Removes the Replicat group's checkpoint file: its next run starts at a new group position. */
    private static void newGroupPosition(Settings base) throws java.io.IOException {
        java.nio.file.Files.deleteIfExists(io.redotrail.checkpoint.CheckpointFile.replicatFile(base.home(), base.get("redotrail.replicat.group")));
    }

    /** The extract alone from scratch until its trail holds {@code csn}; returns seconds. */
    private static double extract(Settings base, long csn) throws Exception {
        return timed(base, "file:routes/extract.yaml", (p, t0) -> {
            var st = p.bean("extract", TransactionAggregator.class).stats();
            return () -> st.lastCsn >= csn;
        }).seconds();
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
     * (dropped after) when the target is PostgreSQL; returns its seconds and the JVM's CPU over them.
     */
    private static Timed intoTarget(Settings base, Options o, Until until, String routes, Map<String, String> extra) throws Exception {
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
        return played.stats().committedRowChanges() / intoTarget(base, o, (p, t0) -> replicatReached(p, csn), null, Map.of()).seconds();
    }

    private interface Until {
        /** Called once the routes started, {@code t0} (System.nanoTime) being when the stage's clock started. */
        BooleanSupplier of(Pipeline p, long t0);
    }

    static BooleanSupplier replicatReached(Pipeline p, long csn) {
        ReplicatApplier r = p.bean("replicat", ReplicatApplier.class);
        return () -> r.lastCheckpoint().map(c -> c.logCsn().value() >= csn).orElse(false);
    }

    private static Timed timed(Settings s, String routes, Until until) throws InterruptedException {
        Timed.Start start = Timed.start();
        try (Pipeline p = Pipeline.start(s, routes)) {
            BooleanSupplier done = until.of(p, start.nanos());
            while (!done.getAsBoolean()) {
                if (p.abended()) throw new IllegalStateException("bench: a route abended: " + p.abends());
                Thread.sleep(5);
            }
            return start.stop();
        }
    }
}
