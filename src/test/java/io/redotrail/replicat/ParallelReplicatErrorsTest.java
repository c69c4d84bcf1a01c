package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.StatsText;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * REPERROR and HANDLECOLLISIONS in the parallel Replicat, differentially: the same history (duplicate inserts,
 * updates and deletes of missing rows, primary-key updates from a missing row and onto an existing key, mixed with
 * independent and dependent transactions) is applied by the serial Replicat and by 4 appliers into targets holding
 * the same rows; the target rows, the discard file's records, the REPERROR / HANDLECOLLISIONS counters and STATS
 * must be equal. On H2 and PostgreSQL.
 */
@org.junit.jupiter.api.Timeout(120)
class ParallelReplicatErrorsTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        java.util.Collections.reverse(open);
        for (AutoCloseable c : open) c.close();
    }

    /** What a run left: target rows, discard records (times and schema taken out), decisions, STATS lines. */
    record Outcome(List<List<Object>> rows, List<String> discards, String decided, List<String> stats, long replays) {
    }

    private final class Run {
        final TargetDb db;
        final Path home;
        final CamelContext ctx = new DefaultCamelContext();
        final ReplicatApplier applier = new ReplicatApplier();

        Run(TargetDb.Kind kind, String name, boolean parallel, Consumer<ReplicatApplier> configure) throws Exception {
            home = Files.createDirectories(dir.resolve(name));
            db = new TargetDb(kind, home);
            open.add(db);
            open.add(applier::stop);
            db.sql("CREATE TABLE %S%.D (ID BIGINT PRIMARY KEY, V VARCHAR(40))");
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                for (int i = 1; i <= 40; i++) s.execute("INSERT INTO " + db.t("D") + " VALUES (" + i + ", 'pre')");
            }
            applier.setCamelContext(ctx);
            applier.setGroup("REP1");
            applier.setHome(home.toString());
            applier.setJdbcUrl(db.url);
            applier.setUser(db.user);
            applier.setPassword(db.password);
            applier.setCheckpointTable(db.schema + ".CKPT");
            applier.setMap("MAP SRC.*, TARGET " + db.schema + ".*");
            applier.setGroupTransOps(50);
            applier.setRetryDelayMillis(1);
            if (parallel) {
                applier.setParallel(true);
                applier.setApplyParallelism(4);
                applier.setCommitSerialization("DEPENDENT_TRANSACTIONS");
            }
            configure.accept(applier);
            applier.start();
        }

        Outcome play(List<Transaction> history) throws Exception {
            for (int i = 0; i < history.size(); i += 40) {
                applier.process(BatchOrderTest.exchange(history.subList(i, Math.min(history.size(), i + 40)), i + 40 >= history.size()));
            }
            applier.stop(); // the appliers commit what they hold
            return outcome();
        }

        Outcome outcome() throws Exception {
            Path dsc = home.resolve("dirrpt/REP1.dsc");
            List<String> discards = new ArrayList<>();
            if (Files.exists(dsc)) {
                String text = Files.readString(dsc).replaceAll("(?i)" + db.schema, "T");
                for (String rec : text.substring(text.indexOf("\n\n") + 2).split("(?<=\\n\\*\\n)")) {
                    discards.add(rec.replaceAll("Current time: [^\\n]*\\n", ""));
                }
            }
            java.util.Collections.sort(discards); // parallel appliers append in commit order, not trail order
            ReplicatApplier.Counters c = applier.getCounters();
            String decided = "discarded " + c.discarded + ", whole transactions " + c.transDiscarded + ", ignored " + c.ignored
                    + ", collisions " + Arrays.toString(new long[]{c.collisionInsertsOverwritten, c.collisionUpdatesIgnored,
                    c.collisionDeletesIgnored, c.collisionPkUpdatesInserted, c.collisionPkUpdatesOverwritten});
            String stats = StatsText.parse(List.of("TOTAL")).render(GroupRuntimes.of(ctx, home, "REP1").stats(), "REPLICAT",
                    ZoneId.systemDefault()).replace(db.schema, "T");
            List<String> lines = stats.lines().filter(l -> l.startsWith("Replicating from") || l.startsWith("\tTotal")).toList();
            return new Outcome(longs(db.rows("SELECT ID, V FROM " + db.t("D") + " ORDER BY ID")), discards, decided, lines, c.replays);
        }
    }

    private static List<List<Object>> longs(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : rows) out.add(List.of(((Number) r.get(0)).longValue(), r.get(1)));
        return out;
    }

    /**
     * 200 transactions on SRC.D over a target holding rows 1..40: every kind of collision, each on keys of its own
     * or of a transaction it depends on, among independent inserts, updates and deletes.
     */
    static List<Transaction> history() {
        List<Transaction> out = new ArrayList<>();
        String d = "SRC.D";
        for (int t = 0; t < 200; t++) {
            Tx tx = tx("1.1." + t, 1000 + t);
            long pre = 1 + (t / 10) % 20; // a row the target already holds
            switch (t % 10) {
                case 0 -> tx.insert(d, img("ID", pre, "V", "dup" + t)).insert(d, img("ID", 1000L + t, "V", "n" + t));
                case 1 -> tx.update(d, img("ID", 10_000L + t), img("ID", 10_000L + t, "V", "u" + t));
                case 2 -> tx.delete(d, img("ID", 20_000L + t, "V", "x"));
                case 3 -> tx.insert(d, img("ID", 500L + t, "V", "i" + t)).update(d, img("ID", 500L + t), img("ID", 500L + t, "V", "j" + t));
                case 4 -> tx.pkUpdate(d, img("ID", 30_000L + t, "V", "m"), img("ID", 40_000L + t, "V", "k" + t));
                case 5 -> tx.insert(d, img("ID", 600L + t, "V", "w" + t)).insert(d, img("ID", pre, "V", "dup" + t))
                        .update(d, img("ID", 600L + t), img("ID", 600L + t, "V", "z" + t));
                case 6 -> tx.update(d, img("ID", 500L + t - 3), img("ID", 500L + t - 3, "V", "y" + t));
                case 7 -> tx.delete(d, img("ID", 500L + t - 4, "V", "y" + (t - 1)));
                case 8 -> tx.insert(d, img("ID", 800L + t, "V", "e" + t));
                default -> tx.pkUpdate(d, img("ID", 20L + pre, "V", "pre"), img("ID", pre, "V", "p" + t));
            }
            out.add(tx.build());
        }
        return out;
    }

    enum Case {
        DISCARD("DEFAULT DISCARD", false),
        IGNORE("DEFAULT IGNORE", false),
        TRANSDISCARD("DEFAULT TRANSDISCARD", false),
        MIXED("DUPLICATE IGNORE; NOTFOUND DISCARD", false),
        HANDLECOLLISIONS("DEFAULT ABEND", true),
        HANDLECOLLISIONS_DISCARD("DEFAULT DISCARD", true);

        final String repError;
        final boolean collisions;

        Case(String repError, boolean collisions) {
            this.repError = repError;
            this.collisions = collisions;
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void h2(Case c) throws Exception {
        serialAndParallelAgree(TargetDb.Kind.H2, c);
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void postgresql(Case c) throws Exception {
        serialAndParallelAgree(TargetDb.Kind.POSTGRESQL, c);
    }

    private void serialAndParallelAgree(TargetDb.Kind kind, Case c) throws Exception {
        Consumer<ReplicatApplier> cfg = a -> {
            a.setRepError(c.repError);
            a.setHandleCollisions(c.collisions);
            a.setBatchSql(true);
        };
        Outcome serial = new Run(kind, "serial", false, cfg).play(history());
        Outcome parallel = new Run(kind, "parallel", true, cfg).play(history());
        assertEquals(serial.rows(), parallel.rows(), "target rows");
        assertEquals(serial.decided(), parallel.decided(), "REPERROR / HANDLECOLLISIONS counters");
        assertEquals(serial.discards().size(), parallel.discards().size(), "discard records");
        assertEquals(serial.discards(), parallel.discards(), "discard records");
        assertEquals(serial.stats(), parallel.stats(), "STATS");
        System.out.println(kind + " " + c + ": " + parallel.decided() + ", " + parallel.discards().size() + " discard records, "
                + parallel.rows().size() + " rows; STATS " + parallel.stats());
        assertTrue(parallel.replays() > 0, "the appliers replayed failed work one operation at a time");
        assertTrue(serial.stats().size() > 3, "STATS has the map's lines: " + serial.stats());
        assertTrue(!serial.decided().startsWith("discarded 0, whole transactions 0, ignored 0, collisions [0, 0, 0, 0, 0]"),
                "the history has errors: " + serial.decided());
    }

    /**
     * ABEND (and RETRYOP once its retries are spent) in an applier abends the group naming the operation, table and
     * trail position, as the serial Replicat does; what committed is the low watermark's prefix plus _LOX rows.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void anAbendInAnApplierNamesTheOperationAndTheTrailPosition(TargetDb.Kind kind) throws Exception {
        for (String rep : List.of("DEFAULT ABEND", "DUPLICATE RETRYOP MAXRETRIES 2; DEFAULT IGNORE")) {
            Run serial = new Run(kind, "serial-" + rep.length(), false, a -> a.setRepError(rep));
            ReplicatException se = assertThrows(ReplicatException.class, () -> serial.play(history()));
            Run par = new Run(kind, "parallel-" + rep.length(), true, a -> a.setRepError(rep));
            List<Transaction> h = history();
            ReplicatException pe = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; pe == null; i += 40) {
                try {
                    par.applier.process(BatchOrderTest.exchange(i < h.size() ? h.subList(i, Math.min(h.size(), i + 40)) : List.of(), true));
                } catch (ReplicatException e) {
                    pe = e;
                }
                if (i >= h.size()) {
                    assertTrue(System.nanoTime() < deadline, "the parallel Replicat did not abend");
                    Thread.sleep(10);
                }
            }
            for (ReplicatException e : List.of(se, pe)) {
                String m = e.getMessage();
                assertTrue(m.matches("(?s).*(INSERT|UPDATE|DELETE) on \\S+\\.D .*"), m);
                assertTrue(m.contains("at trail") && m.contains("CSN "), m);
                if (rep.contains("RETRYOP")) assertTrue(m.contains("REPERROR RETRYOP: gave up after 2 retries"), m);
            }
            par.applier.stop();
            assertTrue(par.applier.getAppliedTransactions() < h.size());
        }
    }

    /**
     * REPERROR TRANSABORT: T1 updates a row the target lacks and is rolled back and retried on its applier; T2 inserts
     * that row (it depends on T1) and must not pass it, while the independent T3 commits. Once the row appears
     * (inserted here, as another writer would), T1's retry updates it and T2's insert is a duplicate, discarded.
     * Had T2 passed T1, the row would exist before this test's insert, which would fail.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aTransAbortRetryIsNotPassedByADependentTransaction(TargetDb.Kind kind) throws Exception {
        Run run = new Run(kind, "transabort", true, a -> {
            a.setRepError("NOTFOUND TRANSABORT MAXRETRIES 100000; DUPLICATE DISCARD");
            a.setRetryDelayMillis(5);
        });
        String d = "SRC.D";
        List<Transaction> h = List.of(
                tx("1.1.1", 1001).update(d, img("ID", 500L), img("ID", 500L, "V", "t1")).build(),
                tx("1.1.2", 1002).insert(d, img("ID", 500L, "V", "t2")).build(),
                tx("1.1.3", 1003).insert(d, img("ID", 501L, "V", "t3")).build());
        run.applier.process(BatchOrderTest.exchange(h, true));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run.db.rows("SELECT V FROM " + run.db.t("D") + " WHERE ID = 501").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the independent T3 did not commit while T1 was retried");
            Thread.sleep(10);
        }
        assertEquals(List.of(), run.db.rows("SELECT V FROM " + run.db.t("D") + " WHERE ID = 500"), "T2 passed T1");
        // T3 may commit before T1's first attempt: the row T1 waits for comes only once T1 was aborted at least once
        while (run.applier.parallelTransAbortsSoFar() == 0) {
            assertTrue(System.nanoTime() < deadline, "T1 was never aborted (NOTFOUND TRANSABORT)");
            Thread.sleep(10);
        }
        try (Connection c = run.db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + run.db.t("D") + " VALUES (500, 'ext')");
        }
        Outcome o = run.play(List.of()); // stop: the appliers finish
        assertEquals(List.of(List.of(500L, "t1"), List.of(501L, "t3")), o.rows().stream().filter(r -> (Long) r.get(0) >= 500).toList());
        assertEquals(1, o.discards().size(), "T2's insert, a duplicate after T1: " + o.discards());
        assertTrue(o.discards().get(0).contains("XID 1.1.2"), o.discards().get(0));
        assertTrue(run.applier.getCounters().transAborts >= 1, run.applier.getCounters().toString());
    }
}
