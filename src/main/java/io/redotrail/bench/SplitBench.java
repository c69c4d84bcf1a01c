package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceSchema;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a test) of {@code bin/redotrail bench split}: one source transaction of {@code rows} inserts into
 * the demo schema's {@link SourceSchema#ACCOUNT} table, applied into PostgreSQL by the parallel Replicat
 * (APPLY_PARALLELISM {@code connections}) whole, and with each SPLIT_TRANS_RECS of {@code splits}; and, as the limit,
 * by the plain JDBC apply of the same inserts on as many connections partitioned by key ({@link KeyPartitions};
 * committing as the Replicat at GROUPTRANSOPS 1000, after whole source transactions: each connection commits its
 * part of the one transaction once, at its end). Every apply goes into a new,
 * empty database and is checked (the table holds exactly the rows). One unmeasured round warms the JIT, then
 * {@code repeat} rounds run every case in turn; each case's figure is its best round. A Replicat is timed from its
 * exchange to its stop (every piece committed), the limit from its go to its last commit. Prints each round's
 * seconds and the best of each with its ratio to the limit; writes no report section.
 * Not thread-safe; one run at a time.
 */
public final class SplitBench {
    /** {@code splits}: the SPLIT_TRANS_RECS values measured besides the whole transaction. */
    public record Options(int rows, int repeat, int connections, List<Integer> splits, String pg, String pgUser) {
        public Options {
            if (rows < 1 || repeat < 1 || connections < 1) throw new IllegalArgumentException("--rows, --repeat and --connections must be at least 1");
            for (int s : splits) if (s < 1) throw new IllegalArgumentException("--split values must be at least 1, got " + s);
            splits = List.copyOf(splits);
        }
    }

    private static final int GROUP_TRANS_OPS = 1000;

    private SplitBench() {
    }

    public static void run(Settings base, Options o, PrintStream out) throws Exception {
        Path home = base.home();
        Files.createDirectories(home);
        Transaction tx = transaction(o.rows());
        List<List<Transaction>> parts = KeyPartitions.split(List.of(tx), o.connections());
        Map<String, Double> best = new LinkedHashMap<>();
        out.printf(Locale.ROOT, "split bench: one transaction of %,d inserts into %s, PostgreSQL, APPLY_PARALLELISM %d, "
                + "against the plain apply on %d connections; a warm-up round, then %d%n", o.rows(), SourceSchema.ACCOUNT,
                o.connections(), o.connections(), o.repeat());
        for (int round = 0; round <= o.repeat(); round++) {
            StringBuilder line = new StringBuilder(round == 0 ? "warm-up:" : "round " + round + ":");
            for (int split : cases(o)) {
                double s = measure(home, o, split, tx, parts);
                String name = split < 0 ? "plain apply" : split == 0 ? "whole" : "SPLIT_TRANS_RECS " + split;
                line.append(String.format(Locale.ROOT, " %s %.2f s;", name, s));
                if (round > 0) best.merge(name, s, Math::min);
            }
            out.println(line);
        }
        double limit = best.get("plain apply");
        for (Map.Entry<String, Double> e : best.entrySet()) {
            out.printf(Locale.ROOT, "%s: best %.2f s = %,.0f rows/s, %.2f of the plain apply%n", e.getKey(), e.getValue(),
                    o.rows() / e.getValue(), limit / e.getValue());
        }
    }

    /** The plain apply (-1), the whole transaction (0), then each SPLIT_TRANS_RECS. */
    private static List<Integer> cases(Options o) {
        List<Integer> out = new ArrayList<>(List.of(-1, 0));
        out.addAll(o.splits());
        return out;
    }

    private static double measure(Path home, Options o, int split, Transaction tx, List<List<Transaction>> parts) throws Exception {
        BenchTarget t = BenchTarget.fresh(BenchTarget.Kind.POSTGRESQL, home, "split", o.pg(), o.pgUser());
        try {
            double s = split < 0 ? PlainLimit.concurrently(t, parts, PlainApply.Commits.asReplicat(GROUP_TRANS_OPS)).seconds()
                    : replicat(home, t, o.connections(), split, tx);
            check(t, o.rows());
            return s;
        } finally {
            t.drop();
        }
    }

    /** The parallel Replicat applying {@code tx} in one exchange; seconds from the exchange to its stop. */
    private static double replicat(Path home, BenchTarget t, int appliers, int split, Transaction tx) throws Exception {
        ReplicatApplier r = t.replicat(home, "SPLIT", GROUP_TRANS_OPS);
        r.setParallel(true);
        r.setApplyParallelism(appliers);
        r.setSplitTransRecs(split);
        Files.deleteIfExists(io.redotrail.checkpoint.CheckpointFile.replicatFile(home, "SPLIT"));
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            r.setCamelContext(ctx);
            r.start();
            Exchange ex = new DefaultExchange(ctx);
            ex.getIn().setBody(List.of(tx));
            ex.getIn().setHeader(io.redotrail.trail.camel.TrailConstants.TRAIL_CAUGHT_UP, true);
            long t0 = System.nanoTime();
            r.process(ex);
            r.stop(); // drains: every piece committed
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            Files.deleteIfExists(io.redotrail.checkpoint.CheckpointFile.replicatFile(home, "SPLIT"));
        }
    }

    /** The table holds rows 0..rows-1 exactly once each, or the bench fails naming what it found. */
    private static void check(BenchTarget t, int rows) throws Exception {
        try (Connection c = t.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT ID), COALESCE(SUM(ID), 0) FROM " + SourceSchema.ACCOUNT)) {
            rs.next();
            long expectedSum = (long) rows * (rows - 1) / 2;
            if (rs.getLong(1) != rows || rs.getLong(2) != rows || rs.getLong(3) != expectedSum) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s in %s holds %d rows, %d distinct IDs summing to %d; "
                        + "expected %d rows 0..%d", SourceSchema.ACCOUNT, t.url, rs.getLong(1), rs.getLong(2), rs.getLong(3), rows, rows - 1));
            }
        }
    }

    /** One source transaction inserting ACCOUNT rows 0..rows-1, at the start of a trail. */
    static Transaction transaction(int rows) {
        List<RowChange> changes = new ArrayList<>(rows);
        LocalDate opened = LocalDate.of(2026, 12, 6);
        LocalDateTime at = opened.atTime(10, 45);
        for (long i = 0; i < rows; i++) {
            RowImage img = new RowImage(new String[]{"ID", "OWNER_NAME", "BALANCE", "STATUS", "OPENED_ON", "UPDATED_AT"},
                    new Object[]{i, "owner " + i, BigDecimal.valueOf(i * 100 + 37, 2), "OPEN", opened, at});
            changes.add(new RowChange(SourceSchema.ACCOUNT, ChangeOp.INSERT, null, img));
        }
        return new Transaction(Xid.parse("1.1.1"), Scn.of(1000), System.currentTimeMillis(), 1, changes, null,
                new TrailPosition(0, 0), new TrailPosition(0, 1));
    }
}
