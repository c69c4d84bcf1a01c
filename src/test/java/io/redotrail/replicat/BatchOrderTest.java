package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BATCHSQL reorders a group's statements by dependency ({@link BatchSet}). This test plays a random, valid
 * source history that reuses keys on purpose — a deleted primary key, unique value, keyless row or KEYCOLS value
 * comes back later in the same group; parents and children of a foreign key come and go — keeps the expected
 * rows in a model of the source, and checks that the target equals the model, that no batch ever failed (a
 * failure would be hidden by the one-by-one replay, so the test demands zero replays), and that batches are
 * long. Run on H2 and PostgreSQL, whose constraint checks are immediate.
 */
class BatchOrderTest {
    // per test (JUnit makes an instance per test): each test's group state is its own
    final CamelContext ctx = new DefaultCamelContext();
    // builds exchanges only: each applier's group state is in its own ctx
    static final CamelContext EXCHANGES = new DefaultCamelContext();

    @TempDir
    Path dir;
    TargetDb db;
    ReplicatApplier applier;
    /** Extra settings before the start (ParallelReplicatTest plays the same history in parallel). */
    java.util.function.Consumer<ReplicatApplier> configure = a -> { };
    /** Runs after each exchange is processed (ApplyParallelismTuningTest pauses so that appliers go idle). */
    Runnable afterExchange = () -> { };

    @AfterEach
    void tearDown() throws Exception {
        if (applier != null) applier.stop();
        if (db != null) db.close();
    }

    /** The source: rows per table as the expected target content. */
    static final class Model {
        final TreeMap<Long, List<Object>> a = new TreeMap<>();     // A: ID -> (V, U); U unique
        final Set<List<Object>> k = new HashSet<>();               // K: keyless (X, Y) rows, no duplicates
        final TreeMap<String, Long> c = new TreeMap<>();           // C: CODE (KEYCOLS) -> V
        final TreeSet<Long> p = new TreeSet<>();                   // P: parent IDs
        final TreeMap<Long, Long> ch = new TreeMap<>();            // CH: ID -> PID (FK to P)
    }

    /** 40 keys per table: nearly every statement depends on an earlier one; ordering is what is tested. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void denseKeyReuseGivesTheSourceRowsWithoutOneConstraintError(TargetDb.Kind kind) throws Exception {
        play(kind, 40);
    }

    /**
     * A wide key space, like a real workload: interleaved transactions must still give long batches. (Tables
     * with foreign keys keep trail order among themselves, so they are left out of the mean here.)
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void interleavedTransactionsGiveLongBatches(TargetDb.Kind kind) throws Exception {
        play(kind, 1_000_000);
        double mean = (double) applier.getBatchedStatements() / applier.getBatchCount();
        assertTrue(mean >= 20, "BATCHSQL batches should be long for interleaved transactions, mean " + mean);
    }

    void play(TargetDb.Kind kind, int keys) throws Exception {
        db = new TargetDb(kind, dir);
        db.sql("CREATE TABLE %S%.A (ID BIGINT PRIMARY KEY, V VARCHAR(40), U BIGINT UNIQUE)",
                "CREATE TABLE %S%.K (X BIGINT, Y VARCHAR(20))",
                "CREATE TABLE %S%.C (CODE VARCHAR(10), V BIGINT)",
                "CREATE TABLE %S%.P (ID BIGINT PRIMARY KEY)",
                "CREATE TABLE %S%.CH (ID BIGINT PRIMARY KEY, PID BIGINT NOT NULL REFERENCES %S%.P (ID))");
        String s = db.schema;
        applier = new ReplicatApplier();
        applier.setCamelContext(ctx);
        applier.setGroup("REP1");
        applier.setHome(dir.toString());
        applier.setJdbcUrl(db.url);
        applier.setUser(db.user);
        applier.setPassword(db.password);
        applier.setCheckpointTable(s + ".CHECKPOINT");
        applier.setMap("MAP " + s + ".C, TARGET " + s + ".C, KEYCOLS (CODE); MAP " + s + ".*, TARGET " + s + ".*");
        applier.setGroupTransOps(4000);
        applier.setBatchSize(500);
        configure.accept(applier);
        applier.start();

        Model m = new Model();
        Random r = new Random(20261201L);
        long csn = 1000;
        List<Transaction> exchange = new ArrayList<>();
        for (int t = 0; t < 3000; t++) {
            Tx tx = tx("1.1." + t, ++csn);
            int ops = 1 + r.nextInt(6);
            for (int i = 0; i < ops; i++) step(r, m, tx, s, keys);
            exchange.add(tx.build());
            if (exchange.size() == 250) {
                applier.process(exchange(exchange, t == 2999));
                afterExchange.run();
                exchange = new ArrayList<>();
            }
        }
        if (!exchange.isEmpty()) applier.process(exchange(exchange, true));
        if (applier.isParallel()) applier.stop(); // the appliers commit what they hold

        assertEquals(0, applier.getCounters().replays, "a reordered batch broke a constraint or missed a row; "
                + "the replay would hide it: " + applier.getCounters());
        assertEquals(3000, applier.getAppliedTransactions());
        expect(m);
    }

    /** One random valid source operation, applied to the model and added to the transaction. */
    private static void step(Random r, Model m, Tx tx, String s, int keys) {
        long small = r.nextInt(keys); // a small key space: keys are deleted and come back within one group
        // the foreign-key cases (8 and up) only with dense keys
        switch (r.nextInt(keys > 1000 ? 8 : 12)) {
            case 0, 1 -> { // A insert: a freed ID and a freed unique U come back
                if (m.a.containsKey(small) || uUsed(m, small + 1000)) return;
                m.a.put(small, List.of("v" + r.nextInt(100), small + 1000));
                tx.insert(s + ".A", img("ID", small, "V", m.a.get(small).get(0), "U", small + 1000));
            }
            case 2 -> { // A update, full images, moving U to a free value
                Long id = m.a.ceilingKey(small);
                if (id == null) return;
                List<Object> old = m.a.get(id);
                long u = 1000 + r.nextInt(2 * keys);
                if (uUsed(m, u)) return;
                m.a.put(id, List.of("w" + r.nextInt(100), u));
                tx.update(s + ".A", img("ID", id, "V", old.get(0), "U", old.get(1)), img("ID", id, "V", m.a.get(id).get(0), "U", u));
            }
            case 3 -> { // A update with partial images (key + changed column): the unique key U is not named
                Long id = m.a.floorKey(small);
                if (id == null) return;
                List<Object> old = m.a.get(id);
                String v = "p" + r.nextInt(100);
                m.a.put(id, List.of(v, old.get(1)));
                tx.update(s + ".A", img("ID", id), img("ID", id, "V", v));
            }
            case 4 -> { // A primary-key update to a free ID
                Long id = m.a.ceilingKey(small);
                long to = r.nextInt(keys);
                if (id == null || m.a.containsKey(to)) return;
                List<Object> row = m.a.remove(id);
                m.a.put(to, row);
                tx.pkUpdate(s + ".A", img("ID", id, "V", row.get(0), "U", row.get(1)), img("ID", to, "V", row.get(0), "U", row.get(1)));
            }
            case 5 -> { // A delete
                Long id = m.a.floorKey(small);
                if (id == null) return;
                List<Object> row = m.a.remove(id);
                tx.delete(s + ".A", img("ID", id, "V", row.get(0), "U", row.get(1)));
            }
            case 6 -> { // K keyless: insert, delete or update by full image; deleted rows come back
                List<Object> row = List.of(small, "y" + (small % 3));
                if (!m.k.contains(row)) {
                    m.k.add(row);
                    tx.insert(s + ".K", img("X", small, "Y", row.get(1)));
                } else if (r.nextBoolean()) {
                    m.k.remove(row);
                    tx.delete(s + ".K", img("X", small, "Y", row.get(1)));
                } else {
                    List<Object> to = List.of(small + keys, "z");
                    if (m.k.contains(to)) return;
                    m.k.remove(row);
                    m.k.add(to);
                    tx.update(s + ".K", img("X", small, "Y", row.get(1)), img("X", small + keys, "Y", "z"));
                }
            }
            case 7 -> { // C keyed by KEYCOLS (CODE): insert, update, delete, insert again
                String code = "c" + (small % 15);
                Long v = m.c.get(code);
                if (v == null) {
                    m.c.put(code, small);
                    tx.insert(s + ".C", img("CODE", code, "V", small));
                } else if (r.nextBoolean()) {
                    m.c.put(code, v + 1);
                    tx.update(s + ".C", img("CODE", code, "V", v), img("CODE", code, "V", v + 1));
                } else {
                    m.c.remove(code);
                    tx.delete(s + ".C", img("CODE", code, "V", v));
                }
            }
            case 8, 9 -> { // foreign keys: parent first, then a child of an existing parent
                if (!m.p.contains(small % 10)) {
                    m.p.add(small % 10);
                    tx.insert(s + ".P", img("ID", small % 10));
                } else if (!m.ch.containsKey(small)) {
                    m.ch.put(small, small % 10);
                    tx.insert(s + ".CH", img("ID", small, "PID", small % 10));
                }
            }
            default -> { // delete a child, or a parent with no children left
                Long c = m.ch.ceilingKey(small);
                if (c != null) {
                    long pid = m.ch.remove(c);
                    tx.delete(s + ".CH", img("ID", c, "PID", pid));
                } else {
                    Long p = m.p.ceiling(small % 10);
                    if (p == null || m.ch.containsValue(p)) return;
                    m.p.remove(p);
                    tx.delete(s + ".P", img("ID", p));
                }
            }
        }
    }

    private static boolean uUsed(Model m, long u) {
        for (List<Object> row : m.a.values()) if (((Long) row.get(1)) == u) return true;
        return false;
    }

    private void expect(Model m) throws Exception {
        List<List<Object>> a = new ArrayList<>();
        for (Map.Entry<Long, List<Object>> e : m.a.entrySet()) a.add(List.of(e.getKey(), e.getValue().get(0), e.getValue().get(1)));
        assertEquals(a, longs(db.rows("SELECT ID, V, U FROM %S%.A ORDER BY ID")), "table A");
        Set<List<Object>> k = new HashSet<>(longs(db.rows("SELECT X, Y FROM %S%.K")));
        assertEquals(m.k, k, "keyless table K");
        assertEquals(m.k.size(), db.count("K"), "keyless table K has duplicates");
        List<List<Object>> c = new ArrayList<>();
        for (Map.Entry<String, Long> e : m.c.entrySet()) c.add(List.of(e.getKey(), e.getValue()));
        assertEquals(c, longs(db.rows("SELECT CODE, V FROM %S%.C ORDER BY CODE")), "KEYCOLS table C");
        List<List<Object>> p = new ArrayList<>();
        for (Long id : m.p) p.add(List.of(id));
        assertEquals(p, longs(db.rows("SELECT ID FROM %S%.P ORDER BY ID")), "parent table P");
        List<List<Object>> ch = new ArrayList<>();
        for (Map.Entry<Long, Long> e : m.ch.entrySet()) ch.add(List.of(e.getKey(), e.getValue()));
        assertEquals(ch, longs(db.rows("SELECT ID, PID FROM %S%.CH ORDER BY ID")), "child table CH");
    }

    /** Numbers as Long, whatever integer type the driver returns. */
    private static List<List<Object>> longs(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            List<Object> o = new ArrayList<>();
            for (Object v : r) o.add(v instanceof Number n ? (Object) n.longValue() : v);
            out.add(o);
        }
        return out;
    }

    static Exchange exchange(List<Transaction> txs, boolean caughtUp) {
        Exchange e = new DefaultExchange(EXCHANGES);
        e.getIn().setBody(txs);
        e.getIn().setHeader(io.redotrail.trail.camel.TrailConstants.TRAIL_CAUGHT_UP, caughtUp);
        return e;
    }
}
