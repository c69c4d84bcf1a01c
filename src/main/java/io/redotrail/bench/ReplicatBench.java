package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.Transaction;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceSchema;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a test) of the Replicat's apply rate against the physical limit, a plain JDBC batch insert of
 * the same rows into the same kind of database in the same run (the goal: at least 0.9 of it).
 * <p>
 * Plays a workload and pre-writes the remote trail with the real extract and pump routes ({@link PrewrittenTrail});
 * that mixed trail (inserts, updates, deletes) is the realistic figure but cannot be compared like for like
 * with a plain insert, so its INSERTs are also written, in their own source transactions, into a second trail
 * of inserts only ({@code dirdat/bi}). Both are read into memory and, for H2 and PostgreSQL, applied by
 * {@link ReplicatApplier} with every GROUPTRANSOPS (1, 100, 1000) × BATCHSQL (on, off) combination — exchanges of
 * whole transactions up to 5,000 operations, as the trail consumer sends them, the last one flagged as caught
 * up. Next to the inserts-only trail, {@link PlainApply} inserts the same rows twice: committing as often as
 * the Replicat of that GROUPTRANSOPS, and in its fastest form (a commit per 10,000 rows). Every measurement
 * starts from an empty target; each figure is the median of {@code --repeat} runs. Prints the result and writes
 * it into {@code docs/performance.md} under {@code ## Replicat apply rate}, keeping every other section.
 * Run by {@code bin/redotrail bench replicat} (docs/replicat.md).
 */
public final class ReplicatBench {
    private static final int EXCHANGE_OPS = 5000;
    private static final int[] GROUP_TRANS_OPS = {1, 100, 1000};

    private final Path home;
    private final String pg, pgUser;
    /** Seconds of every run, by measurement (see {@link #key}). */
    private final Map<String, List<Double>> runs = new HashMap<>();
    private int targets;

    private final PrintStream out;

    private ReplicatBench(Path home, String pg, String pgUser, PrintStream out) {
        this.home = home;
        this.pg = pg;
        this.pgUser = pgUser;
        this.out = out;
    }

    /** A trail to apply: its transactions and the exchanges the trail consumer would send. */
    private record Workload(PrewrittenTrail.Contents trail, List<List<Transaction>> exchanges) {
        Workload(PrewrittenTrail.Contents trail) {
            this(trail, ReplicatBench.exchanges(trail.transactions()));
        }

        List<Transaction> txs() {
            return trail.transactions();
        }

        long ops() {
            return trail.operations();
        }
    }

    @FunctionalInterface
    private interface Body {
        double seconds(BenchTarget t) throws Exception;
    }

    /**
     * What {@code bin/redotrail bench replicat} asks for: source transactions, runs per figure, the PostgreSQL
     * server ({@code pg} null: H2 only) and the report file.
     */
    public record Options(int transactions, int repeat, String pg, String pgUser, Path output) {
        public Options {
            if (transactions < 1) throw new IllegalArgumentException("--transactions must be at least 1, got " + transactions);
            if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        }
    }

    /** Wipes {@code s}'s home ({@link BenchHome#wipe}: only a bench-made one), prepares the trails and measures. */
    public static void run(Settings s, Options o, PrintStream out) throws Exception {
        Path home = s.home();
        BenchHome.wipe(home);
        out.printf("preparing trail: %,d source transactions into %s%n", o.transactions(), home);
        Workload mixed = new Workload(PrewrittenTrail.prepare(s, o.transactions(), 42));
        Workload inserts = new Workload(PrewrittenTrail.write(home.resolve("dirdat").resolve("bi"),
                PrewrittenTrail.insertsOnly(mixed.txs())));
        out.printf("mixed trail: %,d transactions, %,d operations, %,d exchanges%n",
                mixed.txs().size(), mixed.ops(), mixed.exchanges().size());
        out.printf("inserts-only trail: %,d transactions, %,d rows, %,d exchanges%n",
                inserts.txs().size(), inserts.ops(), inserts.exchanges().size());

        ReplicatBench b = new ReplicatBench(home, o.pg(), o.pgUser(), out);
        List<String> dbs = new ArrayList<>(List.of("H2"));
        if (o.pg() != null) dbs.add("PostgreSQL");
        b.warmUp(mixed);
        // repetitions outermost, so that a slow phase of the machine spreads over every configuration
        for (int rep = 1; rep <= o.repeat(); rep++) {
            for (String db : dbs) {
                out.printf("-- %s, run %d of %d%n", db, rep, o.repeat());
                b.measureInsertsOnly(db, inserts);
                b.measureMixed(db, mixed);
            }
        }
        String section = b.section(dbs, mixed, inserts, o.transactions(), o.repeat());
        out.println();
        out.print(section);
        write(o.output(), section);
        out.println("written to " + o.output().toAbsolutePath());
    }

    /** JIT warm-up: one unmeasured apply of the mixed trail and one plain insert, to scratch H2 targets. */
    private void warmUp(Workload mixed) throws Exception {
        for (Body w : new Body[]{t -> apply(t, mixed.exchanges(), 1000, true), t -> plainInsert(t, mixed.txs(), PlainApply.FASTEST)}) {
            BenchTarget t = BenchTarget.fresh(BenchTarget.Kind.H2, home, "bench0", pg, pgUser);
            try {
                w.seconds(t);
            } finally {
                t.drop();
            }
        }
    }

    /** One run of every configuration on the inserts-only trail, each next to its plain insert committing as often. */
    private void measureInsertsOnly(String db, Workload w) throws Exception {
        for (int gto : GROUP_TRANS_OPS) {
            measure(db, key("plain", gto, null), w.ops(), t -> plainInsert(t, w.txs(), PlainApply.Commits.asReplicat(gto)));
            for (boolean batch : new boolean[]{true, false}) {
                measure(db, key("inserts", gto, batch), w.ops(), t -> apply(t, w.exchanges(), gto, batch));
            }
        }
        measure(db, key("plain", 0, null), w.ops(), t -> plainInsert(t, w.txs(), PlainApply.FASTEST));
    }

    /** One run of every configuration on the mixed trail. */
    private void measureMixed(String db, Workload w) throws Exception {
        for (int gto : GROUP_TRANS_OPS) {
            for (boolean batch : new boolean[]{true, false}) {
                measure(db, key("mixed", gto, batch), w.ops(), t -> apply(t, w.exchanges(), gto, batch));
            }
        }
    }

    /** Measurement names: {@code inserts|100|on}, {@code mixed|1|off}, {@code plain|1000} (as often), {@code plain|0} (fastest). */
    private static String key(String what, int gto, Boolean batch) {
        return what + "|" + gto + (batch == null ? "" : batch ? "|on" : "|off");
    }

    private void measure(String db, String what, long ops, Body body) throws Exception {
        BenchTarget t = BenchTarget.fresh(BenchTarget.Kind.of(db), home, "bench" + ++targets, pg, pgUser);
        try {
            double s = body.seconds(t);
            runs.computeIfAbsent(db + "|" + what, k -> new ArrayList<>()).add(s);
            out.printf("%-11s %-16s %,9d ops %7.2f s %,10.0f ops/s%n", db, what, ops, s, ops / s);
        } finally {
            t.drop();
        }
    }

    private double median(String db, String what) {
        return median(runs.get(db + "|" + what));
    }

    /** The middle value (the mean of the two middle ones for an even count). */
    static double median(List<Double> values) {
        if (values == null || values.isEmpty()) throw new IllegalArgumentException("no values");
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int m = v.size() / 2;
        return v.size() % 2 == 1 ? v.get(m) : (v.get(m - 1) + v.get(m)) / 2;
    }

    /** Whole transactions, up to EXCHANGE_OPS operations per exchange (a bigger transaction alone), like the trail consumer. */
    static List<List<Transaction>> exchanges(List<Transaction> txs) {
        List<List<Transaction>> out = new ArrayList<>();
        List<Transaction> cur = new ArrayList<>();
        long ops = 0;
        for (Transaction t : txs) {
            if (!cur.isEmpty() && ops + t.size() > EXCHANGE_OPS) {
                out.add(cur);
                cur = new ArrayList<>();
                ops = 0;
            }
            cur.add(t);
            ops += t.size();
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    private double apply(BenchTarget t, List<List<Transaction>> exchanges, int gto, boolean batch) throws Exception {
        return apply(home, "BENCH", t, exchanges, gto, batch);
    }

    /**
     * A {@link ReplicatApplier} of group {@code group} (its .cpr removed first) applying {@code exchanges} from
     * memory into {@code t}, as the trail consumer hands them on (only the last one flagged as caught up); seconds
     * taken, start and stop excluded.
     */
    static double apply(Path home, String group, BenchTarget t, List<List<Transaction>> exchanges, int gto, boolean batch)
            throws Exception {
        ReplicatApplier r = t.replicat(home, group, gto);
        r.setBatchSql(batch);
        r.setFileCheckpointMillis(1000);
        Files.deleteIfExists(io.redotrail.checkpoint.CheckpointFile.replicatFile(home, group));
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            r.setCamelContext(ctx); // the group's runtime state (abend, report) lives in the context, as in a route
            r.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < exchanges.size(); i++) {
                Exchange ex = new DefaultExchange(ctx);
                ex.getIn().setBody(exchanges.get(i));
                // as the trail consumer at the end of a pre-written trail: only the last exchange has caught up
                ex.getIn().setHeader(io.redotrail.trail.camel.TrailConstants.TRAIL_CAUGHT_UP, i == exchanges.size() - 1);
                r.process(ex);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            r.stop();
            return s;
        } finally {
            Files.deleteIfExists(io.redotrail.checkpoint.CheckpointFile.replicatFile(home, group));
        }
    }

    /** The plain insert: {@link PlainApply} of a stream of inserts only. */
    private static double plainInsert(BenchTarget t, List<Transaction> txs, PlainApply.Commits commits) throws SQLException {
        try (Connection c = t.connect()) {
            return PlainApply.run(c, txs, commits);
        }
    }

    private String section(List<String> dbs, Workload mixed, Workload inserts, int n, int repeat) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Replicat apply rate\n\n");
        sb.append("Measured ").append(LocalDate.now()).append(" on ").append(io.redotrail.core.Machine.describe()).append(".\n");
        sb.append("`bin/redotrail bench replicat --transactions ")
                .append(n).append(" --repeat ").append(repeat).append("`: a workload of ").append(fmt(n))
                .append(" source transactions is played and the real extract and pump routes pre-write the remote trail; "
                        + "`ReplicatApplier` applies it from memory in exchanges of whole transactions up to 5,000 operations, "
                        + "as the trail consumer sends them (the last one flagged as caught up), with the checkpoint table row "
                        + "in every target transaction. Every figure is the median of ").append(repeat)
                .append(repeat == 1 ? " run" : " runs").append(", each into an empty target: a fresh H2 file database (embedded, "
                        + "default settings) or a fresh PostgreSQL database (local server over TCP, default settings, "
                        + "synchronous_commit on). One unmeasured warm-up apply and plain insert on H2 go first.\n\n");

        sb.append("### Inserts only: Replicat against a plain insert of the same rows (goal: ratio >= 0.9)\n\n");
        sb.append("A trail of the workload's inserts only: every INSERT of the mixed trail below, kept in its own source "
                + "transaction (same XIDs, CSNs and values; transactions without an insert left out), written again with the "
                + "trail writer — ").append(fmt(inserts.txs().size())).append(" transactions, ").append(fmt(inserts.ops()))
                .append(String.format(Locale.ROOT, " rows (%.1f per transaction). ", (double) inserts.ops() / inserts.txs().size()))
                .append("In the same run `PlainApply` writes the same rows with plain JDBC batches (1,000 rows per table) into "
                        + "an empty database of the same kind, committing as often as the Replicat (after the whole source "
                        + "transaction that brings the rows since the last commit to GROUPTRANSOPS) and in its fastest form "
                        + "(a commit per 10,000 rows). Ratio = Replicat rows/s ÷ plain rows/s.\n\n");
        sb.append("| target | GROUPTRANSOPS | BATCHSQL | rows | Replicat seconds | Replicat rows/s "
                + "| plain, committing as often, rows/s | ratio | plain, commit per 10,000 rows, rows/s | ratio |\n");
        sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String db : dbs) {
            double fastest = inserts.ops() / median(db, key("plain", 0, null));
            for (int gto : GROUP_TRANS_OPS) {
                double asOften = inserts.ops() / median(db, key("plain", gto, null));
                for (boolean batch : new boolean[]{true, false}) {
                    double s = median(db, key("inserts", gto, batch));
                    double rate = inserts.ops() / s;
                    sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %,d | %.2f | %,.0f | %,.0f | %.2f | %,.0f | %.2f |%n",
                            db, gto, batch ? "on" : "off", inserts.ops(), s, rate, asOften, rate / asOften, fastest, rate / fastest));
                }
            }
        }
        sb.append('\n');

        long mixedInserts = mixed.txs().stream().flatMap(t -> t.changes().stream()).filter(c -> c.op() == ChangeOp.INSERT).count();
        sb.append("### Mixed workload: the realistic figure (not comparable with a plain insert)\n\n");
        sb.append("The trail as the workload writes it: ").append(fmt(mixed.txs().size())).append(" transactions, ")
                .append(fmt(mixed.ops())).append(String.format(Locale.ROOT, " row operations (%.1f per transaction), ",
                        (double) mixed.ops() / mixed.txs().size()))
                .append(fmt(mixedInserts)).append(" of them inserts and the others updates and deletes by key. For scale only, "
                        + "the plain insert of its inserted rows (the fastest form above) ran at ");
        for (int i = 0; i < dbs.size(); i++) {
            sb.append(i == 0 ? "" : i == dbs.size() - 1 ? " and " : ", ").append(String.format(Locale.ROOT, "%,.0f rows/s on %s",
                    inserts.ops() / median(dbs.get(i), key("plain", 0, null)), dbs.get(i)));
        }
        sb.append(".\n\n");
        sb.append("| target | GROUPTRANSOPS | BATCHSQL | operations | seconds | operations/s |\n|---|---:|---|---:|---:|---:|\n");
        for (String db : dbs) {
            for (int gto : GROUP_TRANS_OPS) {
                for (boolean batch : new boolean[]{true, false}) {
                    double s = median(db, key("mixed", gto, batch));
                    sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %,d | %.2f | %,.0f |%n",
                            db, gto, batch ? "on" : "off", mixed.ops(), s, mixed.ops() / s));
                }
            }
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String fmt(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Replaces the section (up to the next heading or generated block) or appends it; other sections are kept. */
    static void write(Path file, String section) throws IOException {
        String doc = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Performance\n\n";
        int start = doc.indexOf("## Replicat apply rate");
        if (start >= 0) {
            // up to the next heading or the next generated block (e.g. bin/redotrail bench's <!-- ... --> markers)
            int next = -1;
            for (String stop : new String[]{"\n## ", "\n# ", "\n<!--"}) {
                int i = doc.indexOf(stop, start + 3);
                if (i >= 0 && (next < 0 || i < next)) next = i;
            }
            doc = doc.substring(0, start) + section + (next < 0 ? "" : doc.substring(next + 1));
        } else {
            doc = doc + (doc.endsWith("\n\n") ? "" : doc.endsWith("\n") ? "\n" : "\n\n") + section;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, doc, StandardCharsets.UTF_8);
    }
}
