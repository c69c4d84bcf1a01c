package io.redotrail.replicat;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.CamelContext;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Differential test of {@link BatchSet}: the same random valid source history applied with BATCHSQL (dependency
 * order, one group across all exchanges, batches of 5) and without (one executeUpdate per operation in trail
 * order) must give the same target, and neither may replay. Tiny key domains make nearly every statement depend
 * on an earlier one. Covers primary-key moves and swaps, full and partial images (key only before; key plus
 * changed, or changed only after), NULLs in single and composite unique keys, a keyless table with a LOB, a
 * keyless table with a unique key, KEYCOLS on a table whose primary key differs, and COLMAP renames. Properties:
 * fuzz.seeds (3), fuzz.txs (1500; 12000 passes the 20,000 pending-statement partial execution), fuzz.keys (8).
 */
class BatchSqlFuzzTest {
    @TempDir
    Path dir;
    /** What is open, for tearDown after a failure; seeds run side by side, so these are synchronized. */
    final List<TargetDb> dbs = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<ReplicatApplier> appliers = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() throws Exception {
        for (ReplicatApplier a : List.copyOf(appliers)) a.stop();
        for (TargetDb d : List.copyOf(dbs)) d.close();
    }

    /** A source table: columns, source identity (PK or KEYCOLS, empty = keyless), unique column sets. */
    static final class Tbl {
        final String name;          // source table name (SRC.<name>)
        final String[] cols;        // source columns
        final int[] id;             // identity columns (indexes), empty = keyless
        final int[][] uniques;      // unique column sets (source = target semantics, NULLs distinct)
        final boolean noDupRows;    // keyless: rows must differ in the non-LOB columns
        final int lob;              // index of a LOB column, or -1
        final Object[][] domains;
        final List<Object[]> rows = new ArrayList<>();

        Tbl(String name, String[] cols, int[] id, int[][] uniques, int lob, Object[][] domains) {
            this.name = name;
            this.cols = cols;
            this.id = id;
            this.uniques = uniques;
            this.noDupRows = id.length == 0;
            this.lob = lob;
            this.domains = domains;
        }
    }

    static Object[] d(Object... v) {
        return v;
    }

    static List<Tbl> tables() {
        int n = Integer.getInteger("fuzz.keys", 8);
        Object[] ids = new Object[n];
        for (int i = 0; i < n; i++) ids[i] = (long) i;
        Object[] us = new Object[n];
        for (int i = 0; i < n; i++) us[i] = i == 0 ? null : 10L + i;
        Object[] vs = d("a", "b", "c", null);
        List<Tbl> t = new ArrayList<>();
        // A: ID PK, U UNIQUE nullable, V, W
        t.add(new Tbl("A", new String[]{"ID", "U", "V", "W"}, new int[]{0}, new int[][]{{0}, {1}}, -1,
                new Object[][]{ids, us, vs, d(0L, 1L, 2L)}));
        // M: ID PK, P, Q with UNIQUE (P, Q), V
        t.add(new Tbl("M", new String[]{"ID", "P", "Q", "V"}, new int[]{0}, new int[][]{{0}, {1, 2}}, -1,
                new Object[][]{ids, d(null, 1L, 2L), d(null, 1L, 2L), vs}));
        // K: keyless X, Y, L (LOB)
        t.add(new Tbl("K", new String[]{"X", "Y", "L"}, new int[]{}, new int[][]{}, 2,
                new Object[][]{d(0L, 1L, 2L, 3L), d(null, "p", "q"), d("l1", "l2", null)}));
        // KU: keyless with UNIQUE (U): U, V
        t.add(new Tbl("KU", new String[]{"U", "V"}, new int[]{}, new int[][]{{0}}, -1,
                new Object[][]{us, vs}));
        // C: target PK ID, MAP KEYCOLS (CODE); source identity CODE
        t.add(new Tbl("C", new String[]{"ID", "CODE", "V"}, new int[]{1}, new int[][]{{0}, {1}}, -1,
                new Object[][]{ids, d("c0", "c1", "c2", "c3", "c4", "c5"), vs}));
        // R: COLMAP renames SID -> ID (PK), SU -> U (UNIQUE), SV -> V
        t.add(new Tbl("R", new String[]{"SID", "SU", "SV"}, new int[]{0}, new int[][]{{0}, {1}}, -1,
                new Object[][]{ids, us, vs}));
        return t;
    }

    static final String DDL = String.join(";",
            "CREATE TABLE %S%.A (ID BIGINT PRIMARY KEY, U BIGINT UNIQUE, V VARCHAR(10), W BIGINT)",
            "CREATE TABLE %S%.M (ID BIGINT PRIMARY KEY, P BIGINT, Q BIGINT, V VARCHAR(10), UNIQUE (P, Q))",
            "CREATE TABLE %S%.K (X BIGINT, Y VARCHAR(10), L %CLOB%)",
            "CREATE TABLE %S%.KU (U BIGINT UNIQUE, V VARCHAR(10))",
            "CREATE TABLE %S%.C (ID BIGINT PRIMARY KEY, CODE VARCHAR(10) NOT NULL, V VARCHAR(10))",
            "CREATE TABLE %S%.R (ID BIGINT PRIMARY KEY, U BIGINT UNIQUE, V VARCHAR(10))");

    static String map(String s) {
        return "MAP SRC.C, TARGET " + s + ".C, KEYCOLS (CODE); "
                + "MAP SRC.R, TARGET " + s + ".R, COLMAP (ID = SID, U = SU, V = SV); "
                + "MAP SRC.*, TARGET " + s + ".*";
    }

    static boolean violates(Tbl t, Object[] row, Object[] except) {
        for (Object[] r : t.rows) {
            if (r == except) continue;
            if (t.noDupRows) {
                boolean same = true;
                for (int i = 0; i < t.cols.length; i++) if (i != t.lob && !Objects.equals(r[i], row[i])) same = false;
                if (same) return true;
            }
            for (int[] u : t.uniques) {
                boolean all = true;
                for (int c : u) if (row[c] == null || !row[c].equals(r[c])) all = false;
                if (all) return true;
            }
            if (t.id.length > 0) {
                boolean all = true;
                for (int c : t.id) if (!Objects.equals(row[c], r[c])) all = false;
                if (all) return true;
            }
        }
        return false;
    }

    static RowImage image(Tbl t, Object[] row, int[] colsIdx) {
        String[] c = new String[colsIdx.length];
        Object[] v = new Object[colsIdx.length];
        for (int i = 0; i < colsIdx.length; i++) {
            c[i] = t.cols[colsIdx[i]];
            v[i] = row[colsIdx[i]];
        }
        return new RowImage(c, v);
    }

    static int[] all(Tbl t) {
        int[] a = new int[t.cols.length];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    static int[] union(int[] a, List<Integer> b) {
        List<Integer> out = new ArrayList<>();
        for (int x : a) out.add(x);
        for (int x : b) if (!out.contains(x)) out.add(x);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One random valid operation, or null. */
    static RowChange step(Random r, List<Tbl> tables) {
        Tbl t = tables.get(r.nextInt(tables.size()));
        String table = "SRC." + t.name;
        int what = r.nextInt(10);
        if (what < 4 || t.rows.isEmpty()) {
            Object[] row = new Object[t.cols.length];
            for (int i = 0; i < row.length; i++) row[i] = t.domains[i][r.nextInt(t.domains[i].length)];
            if (violates(t, row, null)) return null;
            t.rows.add(row);
            return new RowChange(table, ChangeOp.INSERT, null, image(t, row, all(t)));
        }
        Object[] old = t.rows.get(r.nextInt(t.rows.size()));
        boolean partial = t.id.length > 0 && r.nextBoolean();
        if (what < 8) {
            Object[] row = old.clone();
            List<Integer> changed = new ArrayList<>();
            int n = 1 + r.nextInt(2);
            for (int k = 0; k < n; k++) {
                int c = r.nextInt(row.length);
                row[c] = t.domains[c][r.nextInt(t.domains[c].length)];
                if (!changed.contains(c)) changed.add(c);
            }
            if (Arrays.equals(row, old)) return null;
            if (violates(t, row, old)) return null;
            boolean keyChanged = false;
            for (int c : t.id) if (!Objects.equals(row[c], old[c])) keyChanged = true;
            t.rows.set(t.rows.indexOf(old), row);
            int style = r.nextInt(4);
            int[] chg = changed.stream().mapToInt(Integer::intValue).toArray();
            RowImage before = partial && style < 2 ? image(t, old, t.id) : image(t, old, all(t));
            RowImage after = !partial ? image(t, row, all(t))
                    : style % 2 == 0 ? image(t, row, union(t.id, changed)) : image(t, row, chg);
            return new RowChange(table, keyChanged && r.nextBoolean() ? ChangeOp.PK_UPDATE : ChangeOp.UPDATE, before, after);
        }
        t.rows.remove(old);
        return new RowChange(table, ChangeOp.DELETE, partial ? image(t, old, t.id) : image(t, old, all(t)), null);
    }

    /**
     * The URL with synchronous_commit off for this session: the trail-order applier commits each of the ~1,500 source
     * transactions of a seed, and waiting for each WAL flush on a shared disk was most of the PostgreSQL case's time.
     * Nothing here crashes, so what is compared (the final rows, the replay counters) does not depend on it; the
     * commits, the checkpoint rows and every statement are the same.
     */
    static String noCommitWait(String url) {
        return url + (url.contains("?") ? "&" : "?") + "options=-c%20synchronous_commit=off";
    }

    ReplicatApplier applier(TargetDb db, boolean batchSql, String home) {
        ReplicatApplier a = new ReplicatApplier();
        a.setCamelContext(new DefaultCamelContext()); // one context per home, as one process per home would run
        a.setGroup("REP1");
        a.setHome(dir.resolve(home).toString());
        a.setJdbcUrl(db.kind == TargetDb.Kind.POSTGRESQL ? noCommitWait(db.url) : db.url);
        a.setUser(db.user);
        a.setPassword(db.password);
        a.setCheckpointTable(db.schema + ".CHECKPOINT");
        a.setMap(map(db.schema));
        a.setGroupTransOps(batchSql ? 100_000 : 1);
        a.setBatchSql(batchSql);
        a.setBatchSize(5);
        a.start();
        appliers.add(a);
        return a;
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void batchSqlEqualsTrailOrder(TargetDb.Kind kind) throws Throwable {
        // the seeds are independent (schemas, homes, appliers and Camel contexts of their own): side by side, one
        // seed's commit round trips and H2 work overlap another's; every seed is still run and compared in full
        long seeds = Long.getLong("fuzz.seeds", 3);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool((int) seeds);
        try {
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (long seed = 1; seed <= seeds; seed++) {
                long s = seed;
                runs.add(pool.submit(() -> {
                    run(kind, s);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : runs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause(); // the seed's assertion, as if it had run on this thread
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    void run(TargetDb.Kind kind, long seed) throws Exception {
        Random r = new Random(seed);
        List<Tbl> tables = tables();
        List<Transaction> txs = new ArrayList<>();
        long csn = 1000;
        for (int i = 0; i < Integer.getInteger("fuzz.txs", 1500); i++) {
            List<RowChange> ops = new ArrayList<>();
            int n = 1 + r.nextInt(5);
            for (int k = 0; k < n; k++) {
                RowChange ch = step(r, tables);
                if (ch != null) ops.add(ch);
            }
            if (ops.isEmpty()) continue;
            csn++;
            txs.add(new Transaction(Xid.parse("1.1." + csn), Scn.of(csn), 1_700_000_000_000L + csn, 1, ops, null,
                    new TrailPosition(1, csn * 100), new TrailPosition(1, csn * 100 + 50)));
        }
        // an H2 database per seed: closing one (SHUTDOWN) must not close another seed's
        Path seedDir = java.nio.file.Files.createDirectories(dir.resolve("seed" + seed));
        TargetDb trail = new TargetDb(kind, seedDir);
        dbs.add(trail);
        TargetDb batch = new TargetDb(kind, seedDir);
        dbs.add(batch);
        for (TargetDb db : List.of(trail, batch)) db.sql(DDL.split(";"));
        ReplicatApplier a = applier(trail, false, "a" + seed);
        ReplicatApplier b = applier(batch, true, "b" + seed);
        for (int from = 0; from < txs.size(); from += 200) {
            List<Transaction> part = txs.subList(from, Math.min(txs.size(), from + 200));
            boolean last = from + 200 >= txs.size();
            a.process(BatchOrderTest.exchange(new ArrayList<>(part), true));
            b.process(BatchOrderTest.exchange(new ArrayList<>(part), last));
        }
        for (String t : List.of("A ORDER BY ID", "M ORDER BY ID", "K ORDER BY X, Y", "KU ORDER BY U, V",
                "C ORDER BY ID", "R ORDER BY ID")) {
            String q = "SELECT * FROM " + "%S%." + t;
            assertEquals(trail.rows(q).toString(), batch.rows(q).toString(), "seed " + seed + " table " + t);
        }
        assertEquals(0, a.getCounters().replays, "seed " + seed + " trail order replays: " + a.getCounters());
        assertEquals(0, b.getCounters().replays, "seed " + seed + " BATCHSQL replays: " + b.getCounters());
        for (ReplicatApplier x : List.of(a, b)) {
            x.stop();
            appliers.remove(x);
        }
        for (TargetDb x : List.of(trail, batch)) {
            x.close();
            dbs.remove(x);
        }
    }
}
