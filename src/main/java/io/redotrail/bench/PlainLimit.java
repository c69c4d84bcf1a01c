package io.redotrail.bench;

import io.redotrail.core.Transaction;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The limit of apply in a bench run: the operation stream the Replicat applied, decoded from the trail before
 * any timing, applied by {@link PlainApply} into an empty target of the same kind, committing as often as the
 * Replicat (whole source transactions, at least GROUPTRANSOPS operations each) — once serially on one connection,
 * once on {@code connections} connections each applying its {@link KeyPartitions} stream (committing per its own
 * GROUPTRANSOPS operations), after an unmeasured warm-up on the whole stream. Each result is compared row for row
 * with the source ({@link BenchTarget#requireEqualTo}): a limit that does not produce the source's rows is no limit,
 * and the bench fails. Targets are dropped after.
 */
final class PlainLimit {
    /**
     * Operations applied, seconds serially (and the CPU-seconds of its thread, the database's work inside it on H2,
     * the JVM's garbage collection time, and its CPU-seconds and JIT compiling time meanwhile) and on
     * {@code connections} connections (wall time, all of them, with the JVM's CPU-seconds and JIT time meanwhile).
     */
    record Result(long ops, double serialSeconds, double serialCpuSeconds, double serialGcSeconds,
                  Timed serialJvm, int connections, Timed partitioned) {
        double serialRate() {
            return ops / serialSeconds;
        }

        double partitionedRate() {
            return ops / partitioned.seconds();
        }
    }

    /**
     * Where to apply: the kind of target, the bench home (H2 files), the PostgreSQL server and user, and the H2 URL
     * settings the Replicat's target has ({@link BenchTarget#h2Options}).
     */
    record Where(BenchTarget.Kind kind, Path home, String pg, String pgUser, String h2Options) {
        BenchTarget fresh(String name) throws java.sql.SQLException {
            return BenchTarget.fresh(kind, home, name, pg, pgUser, h2Options);
        }
    }

    private PlainLimit() {
    }

    static Result measure(Where w, String sourceUrl, List<Transaction> txs, int groupTransOps, int connections,
                          PrintStream out) throws Exception {
        long ops = txs.stream().mapToLong(Transaction::size).sum();
        PlainApply.Commits commits = PlainApply.Commits.asReplicat(groupTransOps);
        List<List<Transaction>> parts = KeyPartitions.split(txs, connections);
        warmUp(w, txs, parts, commits);
        PlainApply.Done serial;
        double serialGc;
        Timed serialJvm;
        Timed partitioned;
        // both targets are compared with the source after both applies: reading rows through the driver between
        // them had C2 compile its result processing again during the partitioned apply (a second of compiling)
        BenchTarget t1 = w.fresh("limit1");
        BenchTarget tn = null;
        try {
            long gcBefore = Timed.gcMillis();
            try (Connection c = t1.connect()) {
                Timed.Start start = Timed.start();
                serial = PlainApply.apply(c, txs, commits);
                serialJvm = start.stop();
            }
            serialGc = (Timed.gcMillis() - gcBefore) / 1e3;
            tn = w.fresh("limitn");
            partitioned = concurrently(tn, parts, commits);
            t1.requireEqualTo(sourceUrl, "the serial plain apply");
            tn.requireEqualTo(sourceUrl, "the plain apply on " + connections + " connections");
        } finally {
            t1.drop();
            if (tn != null) tn.drop();
        }
        out.printf("plain apply, 1 connection: %,d operations in %.2f s, equal to the source%n", ops, serial.seconds());
        out.printf("plain apply, %d connections partitioned by key: %,d operations in %.2f s, equal to the source%n",
                connections, ops, partitioned.seconds());
        return new Result(ops, serial.seconds(), serial.cpuSeconds(), serialGc, serialJvm, connections, partitioned);
    }

    /**
     * JIT warm-up, unmeasured, so that the limit is not slowed by compiling the plain apply (it is the fastest plain
     * JDBC): the whole stream on 1 connection, then on the partitions' connections, each into a scratch target, as
     * the Replicat's stages are warmed up on their whole trail. After the first 20,000 operations alone on 1
     * connection, C2 compiled for 1.5 CPU-s inside the 2.8 s of the measured serial apply into H2 (the plain apply,
     * H2's page and transaction code); after the first part alone on N connections, the partitioned apply's JVM
     * spent a quarter of its CPU in C2 (PlainApply.add, the driver's QueryExecutorImpl.processResults and sendBind).
     */
    private static void warmUp(Where w, List<Transaction> txs, List<List<Transaction>> parts, PlainApply.Commits commits)
            throws Exception {
        BenchTarget t = w.fresh("limit0");
        try (Connection c = t.connect()) {
            PlainApply.run(c, txs, commits);
        } finally {
            t.drop();
        }
        t = w.fresh("limit0n");
        try {
            concurrently(t, parts, commits);
        } finally {
            t.drop();
        }
    }

    /**
     * Applies each stream on its own connection (opened before the clock starts); returns the wall time of all, with
     * the JVM's CPU-seconds and JIT compiling time meanwhile.
     */
    static Timed concurrently(BenchTarget t, List<List<Transaction>> parts, PlainApply.Commits commits) throws Exception {
        List<Connection> cs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parts.size());
        try {
            for (int i = 0; i < parts.size(); i++) cs.add(t.connect());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Double>> done = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Connection c = cs.get(i);
                List<Transaction> part = parts.get(i);
                done.add(pool.submit(() -> {
                    go.await();
                    return PlainApply.run(c, part, commits);
                }));
            }
            Timed.Start start = Timed.start();
            go.countDown();
            for (Future<Double> f : done) f.get();
            return start.stop();
        } finally {
            pool.shutdownNow();
            for (Connection c : cs) c.close();
        }
    }
}
