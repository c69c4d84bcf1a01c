package io.redotrail.cli;

import io.redotrail.runtime.Workloads;
import io.redotrail.bench.PerformanceReport;
import io.redotrail.bench.PlainInsert;
import io.redotrail.bench.RecoveryBench;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.FileTrees;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.pump.TableFilter;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceSchema;
import io.redotrail.trail.TrailReader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code bench}: plays a larger workload into a scratch home, then measures, each on its own: the extract
 * (redo → local trail), the pump, the replicat (remote trail → target) and the whole pipeline from scratch;
 * and, in the same run, a plain JDBC batch insert of the workload's inserted rows into an empty H2 database,
 * the physical limit of apply on this machine. Prints the figures and writes {@code docs/performance.md}.
 */
@Command(name = "bench", description = {"Measure extract, pump, replicat and end-to-end rates in a scratch home "
        + "(default: the home's name + -bench, wiped first) and write docs/performance.md.",
        "--recovery: extract restart time after kill -9 with a 10-hour-old open transaction, Bounded Recovery on and off."})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--transactions", paramLabel = "N", description = "transactions (default: redotrail.bench.transactions; 300,000 with --recovery)")
    Integer transactions;

    @Option(names = "--seed", paramLabel = "S", description = "workload seed (default: redotrail.workload.seed)")
    Long seed;

    @Option(names = "--recovery", description = "measure extract restart after a crash instead")
    boolean recovery;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/performance.md", description = "report file (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--section", paramLabel = "NAME", defaultValue = "bench", description = "section of the report file to replace (default: ${DEFAULT-VALUE})")
    String section;

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Latest `bin/redotrail bench` run", description = "the section's title")
    String title;

    private Settings base;

    @Override
    public Integer call() throws Exception {
        if (common.home == null) {
            // bench wipes its home: never the user's, a scratch one beside it unless --home says otherwise
            common.home = Path.of(common.settings().get("redotrail.home") + "-bench").toAbsolutePath();
        }
        base = common.settings();
        if (recovery) return recovery();
        Path home = base.home();
        wipe(home);
        var workload = Workloads.config(base, transactions, seed, "redotrail.bench.transactions");
        var played = Workloads.play(base, workload, System.out);
        long rows = played.stats().committedRowChanges();
        long csn = played.lastSelectedCsn();
        double gen = played.stats().elapsedNanos() / 1e9;

        double extract = timed(base, "file:routes/extract.yaml", p -> {
            var st = p.bean("extract", TransactionAggregator.class).stats();
            return () -> st.lastCsn >= csn;
        });
        double pump = timed(base, "file:routes/pump.yaml", p -> {
            TableFilter f = p.bean("pump", TableFilter.class);
            return () -> f.keptOps() + f.droppedOps() >= rows;
        });
        double replicat = timed(base, "file:routes/replicat.yaml", p -> {
            ReplicatApplier r = p.bean("replicat", ReplicatApplier.class);
            return () -> r.lastCheckpoint().map(c -> c.logCsn().value() >= csn).orElse(false);
        });
        List<Transaction> inserts = readInserts(home.resolve("dirdat").resolve(base.get("redotrail.pump.trail")));
        // end to end from scratch on the same redo: new trails, checkpoints and target
        for (String d : List.of("dirdat", "dirchk")) FileTrees.delete(home.resolve(d));
        deleteDb(home.resolve("db"), "target");
        HomeSetup.prepare(base);
        double e2e = timed(base, null, p -> {
            ReplicatApplier r = p.bean("replicat", ReplicatApplier.class);
            return () -> r.lastCheckpoint().map(c -> c.logCsn().value() >= csn).orElse(false);
        });
        long insertRows = inserts.stream().mapToLong(t -> t.changes().stream().filter(c -> c.op() == ChangeOp.INSERT).count()).sum();
        double limit = plainBatchInsert(home, inserts);

        PerformanceReport rep = new PerformanceReport(played.stats(), rows, insertRows).lobRatio(workload.lobRatio());
        rep.add("workload generation (source H2 + redo, fsync per commit group)", rows, gen);
        rep.add("extract alone: redo -> local trail", rows, extract);
        rep.add("pump alone: local trail -> remote trail", rows, pump);
        rep.add("replicat alone: remote trail -> target H2, checkpoint table", rows, replicat);
        rep.add("end to end: redo -> extract -> pump -> replicat -> target H2", rows, e2e);
        rep.add("physical limit: plain JDBC batch insert of the inserted rows into empty H2", insertRows, limit);
        rep.print(System.out);
        Path outFile = output;
        rep.writeSection(outFile, section, title);
        System.out.println("written to " + outFile.toAbsolutePath());
        return 0;
    }

    /** {@code bench --recovery}: extract restart after a crash with a 10-hour-old open transaction, BR on/off. */
    private int recovery() throws Exception {
        int small = transactions != null ? transactions : 300_000;
        wipe(base.home());
        var results = io.redotrail.bench.RecoveryBench.run(Path.of("").toAbsolutePath(), base.file(), base.home(), small,
                System.out);
        StringBuilder sb = new StringBuilder("### Extract restart after a crash (`bin/redotrail bench --recovery`)\n\n");
        sb.append("- date: ").append(java.time.ZonedDateTime.now()).append('\n');
        sb.append("- machine: ").append(PerformanceReport.machine()).append('\n');
        sb.append(String.format("- redo: one transaction open for 10 hours of source time, %,d small committed transactions "
                + "over those hours; the extract (own JVM) caught up, was killed with SIGKILL, and was restarted%n%n", small));
        sb.append("| mode | restart until caught up (ms) | redo bytes re-read | records re-read | redo bytes in all |\n|---|---:|---:|---:|---:|\n");
        for (var r : results) {
            sb.append(String.format("| %s | %,d | %,d | %,d | %,d |%n", r.mode(), r.restartMillis(), r.redoBytesReRead(),
                    r.recordsReRead(), r.redoBytesTotal()));
        }
        Path outFile = output;
        PerformanceReport.replaceSection(outFile, "recovery", sb.toString());
        System.out.println("written to " + outFile.toAbsolutePath());
        return 0;
    }

    interface Until {
        BooleanSupplier of(Pipeline p);
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

    private static List<Transaction> readInserts(Path trail) {
        List<Transaction> all = new ArrayList<>();
        try (TrailReader r = new TrailReader(trail, TrailPosition.START)) {
            while (true) {
                List<Transaction> batch = r.poll(50_000);
                if (batch.isEmpty()) break;
                all.addAll(batch);
            }
        }
        return all;
    }

    /** JDBC batches of 1,000 rows per table, one commit per 10,000 rows, into a fresh H2 file database. */
    private static double plainBatchInsert(Path home, List<Transaction> txs) throws Exception {
        deleteDb(home.resolve("db"), "limit");
        String url = "jdbc:h2:file:" + home.resolve("db").resolve("limit");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (Statement st = c.createStatement()) {
                for (String sql : SourceSchema.demo().createStatements()) st.execute(sql);
            }
            return io.redotrail.bench.PlainInsert.run(c, txs);
        }
    }

    /** Deletes a scratch home bench made earlier (marked), never a user's home that happens to be named. */
    static void wipe(Path home) throws IOException {
        if (Files.exists(home)) {
            boolean empty;
            try (var s = Files.list(home)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(home.resolve(BENCH_MARKER))) {
                throw new Settings.ConfigException("bench home " + home + " is not empty and was not made by bench; "
                        + "refusing to wipe it (bench deletes its home): give --home a new or bench-made directory");
            }
            FileTrees.delete(home);
        }
        Files.createDirectories(home);
        Files.writeString(home.resolve(BENCH_MARKER), "made by bin/redotrail bench; deleted by the next bench run\n");
    }

    static final String BENCH_MARKER = ".redotrail-bench";

    private static void deleteDb(Path dir, String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name + ".mv.db"));
        Files.deleteIfExists(dir.resolve(name + ".trace.db"));
        Files.deleteIfExists(dir.resolve(name + ".lock.db"));
    }
}
