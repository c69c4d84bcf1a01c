package io.redotrail.replicat.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.Transaction;
import io.redotrail.redo.sim.SourceSchema;
import io.redotrail.replicat.ReplicatApplier;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmark (not a test) of the Replicat's apply rate: plays a workload, pre-writes the remote trail with the
 * real extract and pump routes, reads it into memory, then for H2 and PostgreSQL applies it to a fresh target
 * with every GROUPTRANSOPS (1, 100, 1000) × BATCHSQL (on, off) combination — exchanges of whole transactions
 * up to 5,000 operations, as the trail consumer sends them — and, in the same run, measures a plain JDBC batch
 * insert of the trail's inserted rows into the same database (batches of 1,000, a commit per 10,000 rows).
 * Prints a table and writes it into {@code docs/performance.md} under {@code ## Replicat apply rate}, keeping
 * every other section.
 * <pre>
 * java -cp target/redotrail.jar:target/lib/* io.redotrail.replicat.bench.ReplicatBench
 *      [--transactions 10000] [--pg jdbc:postgresql://127.0.0.1:5432/] [--pg-user postgres] [--no-pg]
 *      [--home target/replicat-bench] [--output docs/performance.md]
 * </pre>
 */
public final class ReplicatBench {
    private static final int EXCHANGE_OPS = 5000;

    private record Result(String db, String what, long ops, double seconds) {
        double rate() {
            return ops / seconds;
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--no-pg")) a.put("no-pg", "true");
            else if (argv[i].startsWith("--") && i + 1 < argv.length) a.put(argv[i].substring(2), argv[++i]);
            else throw new IllegalArgumentException("unknown argument " + argv[i]);
        }
        int n = Integer.parseInt(a.getOrDefault("transactions", "10000"));
        Path home = Path.of(a.getOrDefault("home", "target/replicat-bench")).toAbsolutePath();
        Path config = Path.of(a.getOrDefault("config", "config/application.properties"));
        String pg = a.getOrDefault("pg", "jdbc:postgresql://127.0.0.1:5432/");
        String pgUser = a.getOrDefault("pg-user", "postgres");
        Path out = Path.of(a.getOrDefault("output", "docs/performance.md"));

        io.redotrail.core.FileTrees.delete(home);
        Files.createDirectories(home);
        System.out.printf("preparing trail: %,d source transactions into %s%n", n, home);
        PrewrittenTrail.Contents trail = PrewrittenTrail.prepare(config, home, n, 42);
        List<List<Transaction>> exchanges = exchanges(trail.transactions());
        long inserts = trail.transactions().stream().flatMap(t -> t.changes().stream()).filter(c -> c.op() == ChangeOp.INSERT).count();
        System.out.printf("trail: %,d transactions, %,d operations (%,d inserts), %,d exchanges%n",
                trail.transactions().size(), trail.operations(), inserts, exchanges.size());

        // warm-up (JIT): one unmeasured apply to a scratch H2 target
        Target warm = Target.fresh("H2", home, 0, pg, pgUser);
        try {
            apply(warm, home, exchanges, 1000, true);
        } finally {
            warm.drop();
        }
        List<Result> results = new ArrayList<>();
        List<String> dbs = new ArrayList<>(List.of("H2"));
        if (!a.containsKey("no-pg")) dbs.add("PostgreSQL");
        int run = 0;
        for (String db : dbs) {
            for (int gto : new int[]{1, 100, 1000}) {
                for (boolean batch : new boolean[]{true, false}) {
                    Target t = Target.fresh(db, home, ++run, pg, pgUser);
                    try {
                        double s = apply(t, home, exchanges, gto, batch);
                        Result r = new Result(db, "Replicat GROUPTRANSOPS " + gto + ", BATCHSQL " + (batch ? "on" : "off"),
                                trail.operations(), s);
                        System.out.printf("%-11s %-42s %,9d ops %7.2f s %,10.0f ops/s%n", db, r.what(), r.ops(), s, r.rate());
                        results.add(r);
                    } finally {
                        t.drop();
                    }
                }
            }
            Target t = Target.fresh(db, home, ++run, pg, pgUser);
            try {
                double s = plainInsert(t, trail.transactions());
                Result r = new Result(db, "plain JDBC batch insert of the inserted rows", inserts, s);
                System.out.printf("%-11s %-42s %,9d rows %6.2f s %,10.0f rows/s%n", db, r.what(), r.ops(), s, r.rate());
                results.add(r);
            } finally {
                t.drop();
            }
        }
        String section = section(results, trail, n);
        write(out, section);
        System.out.println("written to " + out.toAbsolutePath());
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

    private static double apply(Target t, Path home, List<List<Transaction>> exchanges, int gto, boolean batch) throws Exception {
        ReplicatApplier r = new ReplicatApplier();
        r.setGroup("BENCH");
        r.setHome(home.toString());
        r.setJdbcUrl(t.url);
        r.setUser(t.user);
        r.setPassword("");
        r.setGroupTransOps(gto);
        r.setBatchSql(batch);
        r.setFileCheckpointMillis(1000);
        Files.deleteIfExists(home.resolve("dirchk/BENCH.cpr"));
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            r.start();
            long t0 = System.nanoTime();
            for (List<Transaction> e : exchanges) {
                Exchange ex = new DefaultExchange(ctx);
                ex.getIn().setBody(e);
                r.process(ex);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            r.stop();
            return s;
        }
    }

    private static double plainInsert(Target t, List<Transaction> txs) throws SQLException {
        try (Connection c = DriverManager.getConnection(t.url, t.user, "")) {
            return PlainInsert.run(c, txs);
        }
    }

    /** A fresh, empty target with the demo schema: an H2 file database, or a PostgreSQL database of its own. */
    private static final class Target {
        final String db, url, user, adminUrl, pgName;
        final Path h2File;

        private Target(String db, String url, String user, String adminUrl, String pgName, Path h2File) {
            this.db = db;
            this.url = url;
            this.user = user;
            this.adminUrl = adminUrl;
            this.pgName = pgName;
            this.h2File = h2File;
        }

        static Target fresh(String db, Path home, int run, String pgBase, String pgUser) throws SQLException {
            Target t;
            if (db.equals("H2")) {
                Path f = home.resolve("db").resolve("bench" + run);
                t = new Target(db, "jdbc:h2:file:" + f, "sa", null, null, f);
            } else {
                String name = "rt_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                try (Connection c = DriverManager.getConnection(pgBase + "test", pgUser, ""); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                t = new Target(db, pgBase + name, pgUser, pgBase + "test", name, null);
            }
            try (Connection c = DriverManager.getConnection(t.url, t.user, ""); Statement s = c.createStatement()) {
                for (String sql : SourceSchema.demo().createStatements()) s.execute(sql);
            }
            return t;
        }

        void drop() throws Exception {
            if (pgName != null) {
                try (Connection c = DriverManager.getConnection(adminUrl, user, ""); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
                }
            } else {
                Files.deleteIfExists(Path.of(h2File + ".mv.db"));
                Files.deleteIfExists(Path.of(h2File + ".trace.db"));
            }
        }
    }

    private static String section(List<Result> results, PrewrittenTrail.Contents trail, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("## Replicat apply rate\n\n");
        sb.append("Measured ").append(java.time.LocalDate.now()).append(" on ").append(io.redotrail.core.Machine.describe()).append(".\n");
        sb.append("`java -cp target/redotrail.jar:target/lib/* io.redotrail.replicat.bench.ReplicatBench --transactions ")
                .append(n).append("`: a pre-written trail of ").append(String.format(Locale.ROOT, "%,d", trail.transactions().size()))
                .append(" source transactions / ").append(String.format(Locale.ROOT, "%,d", trail.operations()))
                .append(" row operations (inserts, updates, deletes; ~5 per transaction) applied by `ReplicatApplier` "
                        + "(exchanges of up to 5,000 operations, checkpoint table row in every target transaction) to an "
                        + "empty target, and in the same run a plain JDBC batch insert of the trail's inserted rows into "
                        + "an empty database of the same kind (the physical limit of apply), after one unmeasured warm-up apply. "
                        + "H2: embedded file database, default settings. PostgreSQL: local server over TCP, default "
                        + "settings (synchronous_commit on). Each configuration starts from an empty target.\n\n");
        sb.append("| target | what | operations | seconds | per second |\n|---|---|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.2f | %,.0f |%n", r.db(), r.what(), r.ops(), r.seconds(), r.rate()));
        }
        sb.append('\n');
        return sb.toString();
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
