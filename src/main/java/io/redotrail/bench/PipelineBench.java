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
import io.redotrail.sim.SourceSchema;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Benchmark (not a test) of {@code bin/redotrail bench}: plays a workload into a scratch home (wiped first, see
 * {@link BenchHome#wipe}), then measures, each on its own, the extract (redo → local trail), the pump, the
 * replicat (remote trail → target) and the whole pipeline from scratch; and, in the same run, a plain JDBC batch
 * insert of the workload's inserted rows into an empty H2 database ({@link PlainInsert}), the physical limit of
 * apply on this machine. Prints the figures and writes them into a section of the report file.
 */
public final class PipelineBench {
    /** Where the report goes: the file, the section it replaces (its {@code <!-- section:begin -->} markers) and its title. */
    public record Report(Path file, String section, String title) {
    }

    private PipelineBench() {
    }

    /** {@code transactions} and {@code seed} null: the configured ones ({@code redotrail.bench.transactions}, {@code redotrail.workload.seed}). */
    public static void run(Settings base, Integer transactions, Long seed, Report report, PrintStream out) throws Exception {
        Path home = base.home();
        BenchHome.wipe(home);
        var workload = Workloads.config(base, transactions, seed, "redotrail.bench.transactions");
        var played = Workloads.play(base, workload, out);
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
        double replicat = timed(base, "file:routes/replicat.yaml", p -> replicatReached(p, csn));
        List<Transaction> inserts = PrewrittenTrail.read(home.resolve("dirdat").resolve(base.get("redotrail.pump.trail"))).transactions();
        // end to end from scratch on the same redo: new trails, checkpoints and target
        for (String d : List.of("dirdat", "dirchk")) FileTrees.delete(home.resolve(d));
        BenchHome.deleteDb(home.resolve("db"), "target");
        HomeSetup.prepare(base);
        double e2e = timed(base, null, p -> replicatReached(p, csn));
        long insertRows = inserts.stream().mapToLong(t -> t.changes().stream().filter(c -> c.op() == ChangeOp.INSERT).count()).sum();
        double limit = plainBatchInsert(home, inserts);

        PerformanceReport rep = new PerformanceReport(played.stats(), rows, insertRows).lobRatio(workload.lobRatio());
        rep.add("workload generation (source H2 + redo, fsync per commit group)", rows, gen);
        rep.add("extract alone: redo -> local trail", rows, extract);
        rep.add("pump alone: local trail -> remote trail", rows, pump);
        rep.add("replicat alone: remote trail -> target H2, checkpoint table", rows, replicat);
        rep.add("end to end: redo -> extract -> pump -> replicat -> target H2", rows, e2e);
        rep.add("physical limit: plain JDBC batch insert of the inserted rows into empty H2", insertRows, limit);
        rep.print(out);
        rep.writeSection(report.file(), report.section(), report.title());
        out.println("written to " + report.file().toAbsolutePath());
    }

    private interface Until {
        BooleanSupplier of(Pipeline p);
    }

    private static BooleanSupplier replicatReached(Pipeline p, long csn) {
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

    /** JDBC batches of 1,000 rows per table, one commit per 10,000 rows, into a fresh H2 file database. */
    private static double plainBatchInsert(Path home, List<Transaction> txs) throws Exception {
        BenchHome.deleteDb(home.resolve("db"), "limit");
        String url = "jdbc:h2:file:" + home.resolve("db").resolve("limit");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (Statement st = c.createStatement()) {
                for (String sql : SourceSchema.demo().createStatements()) st.execute(sql);
            }
            return PlainInsert.run(c, txs);
        }
    }
}
