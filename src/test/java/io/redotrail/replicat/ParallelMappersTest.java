package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.replicat.ChangeStatements.Shape;
import io.redotrail.replicat.ChangeStatements.Stmt;
import io.redotrail.replicat.mapping.Mapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MAP_PARALLELISM's mappers and collater ({@link ParallelMappers}) against a real H2 target's metadata: the units
 * dispatched by 4 mappers are the inline path's, in trail order, even when chunks finish out of order; a mapping
 * failure abends at the earliest failed transaction in trail order with nothing dispatched after it; and shapes
 * stay interned once per shape when threads prepare at once.
 */
@org.junit.jupiter.api.Timeout(120) // a collater waiting for ever is a failure, not a hang
class ParallelMappersTest {
    @TempDir
    Path dir;
    TargetDb db;
    Connection conn;
    ParallelMappers mappers;

    @AfterEach
    void tearDown() throws Exception {
        if (mappers != null) mappers.close();
        if (conn != null) conn.close();
        if (db != null) db.close();
    }

    /** What the collater sent: a unit, or a skipped transaction (unit null). */
    private record Sent(Transaction tx, ParallelUnit unit) {
    }

    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch anySent = new CountDownLatch(1);

    private final ParallelMappers.Sink sink = new ParallelMappers.Sink() {
        @Override
        public void skipped(Transaction tx, TransactionPiece piece) {
            sent.add(new Sent(tx, null));
            anySent.countDown();
        }

        @Override
        public void dispatch(ParallelUnit u) {
            sent.add(new Sent(u.tx, u));
            anySent.countDown();
        }
    };

    private ChangeApplier prep;
    private TargetResolver targets;
    private ParallelKeys keys;

    private void schema() throws Exception {
        db = new TargetDb(TargetDb.Kind.H2, dir);
        db.sql(ParallelReplicatTest.TABLES);
        db.sql("CREATE TABLE %S%.Z (ID BIGINT PRIMARY KEY)");
        conn = db.connect();
        caches(conn);
    }

    /** New (empty) shapes, targets and foreign-key caches on {@code c}. */
    private void caches(Connection c) {
        ReplicatApplier cfg = new ReplicatApplier();
        cfg.setGroup("REP1");
        prep = new ChangeApplier("REP1", c, 100);
        String s = db.schema;
        // A's column V is written from the source's W: a COLMAP on the mappers
        targets = new TargetResolver(cfg, c, Mapper.parse("MAP SRC.A, TARGET " + s + ".A, COLMAP (USEDEFAULTS, V = W); "
                + "MAP SRC.*, TARGET " + s + ".*"));
        keys = new ParallelKeys(c);
    }

    /** {@code conn}, recording the name of every method called on it from a thread other than {@code owner}. */
    private Connection watched(Thread owner, List<String> offThread) {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, m, args) -> {
                    if (Thread.currentThread() != owner) offThread.add(m.getName() + " on " + Thread.currentThread().getName());
                    try {
                        return m.invoke(conn, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * 60 transactions: dependent and independent A rows (a primary-key update among them), a parent and its child,
     * keyless rows, a change of an unmapped table (UNMAPPED) and a keyless delete naming no column the target has
     * (MAPPING): their errors stay with the change. {@link #play} skips every 7th as a restart's _LOX skip.
     */
    private static List<Transaction> trail() {
        List<Transaction> out = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            Tx tx = tx("1.1." + t, 100 + t);
            switch (t % 6) {
                case 0 -> tx.insert("SRC.A", img("ID", (long) t, "W", "a" + t, "U", 1000L + t));
                case 1 -> tx.update("SRC.A", img("ID", t - 1L), img("ID", t - 1L, "W", "b" + t))
                        .insert("SRC.P", img("ID", (long) t));
                case 2 -> tx.insert("SRC.CH", img("ID", (long) t, "PID", t - 1L)).insert("SRC.K", img("X", (long) t, "Y", "k"));
                case 3 -> tx.pkUpdate("SRC.A", img("ID", t - 3L, "W", "b", "U", 997L + t), img("ID", 5000L + t, "W", "b", "U", 997L + t))
                        .delete("SRC.K", img("X", t - 1L, "Y", "k"));
                case 4 -> tx.insert("OTHER.NOPE", img("ID", (long) t)).insert("SRC.Z", img("ID", (long) t));
                default -> tx.insert("SRC.A", img("ID", (long) t, "W", "c")).delete("SRC.K", img("NOSUCHCOL", 1L));
            }
            out.add(tx.build());
        }
        return out;
    }

    private void play(List<Transaction> txs) throws Exception {
        for (int i = 0; i < txs.size(); i++) {
            if (i % 7 == 6) mappers.skipped(txs.get(i));
            else mappers.map(txs.get(i), List.of(), prep, targets);
        }
        mappers.flush();
    }

    /**
     * The inline path (MAP_PARALLELISM 1) and 4 mappers over chunks of 5 changes dispatch the same units in trail
     * order. The chunks are made to finish out of order: chunk 0 waits until chunk 1 is mapped, and chunk 2 until
     * the collater dispatched something, which it can only do if it dispatches a chunk while later ones are mapped.
     * The mappers start from empty caches on a connection that records any use off the trail thread: they intern
     * every shape once among themselves and never touch the connection (metadata is read on the trail thread).
     */
    @Test
    void fourMappersDispatchTheInlineUnitsInTrailOrderWhenChunksFinishOutOfOrder() throws Exception {
        schema();
        List<Transaction> trail = trail();
        mappers = new ParallelMappers("REP1", 1, 5, null, keys, sink);
        assertEquals(0, mappers.threads());
        play(trail);
        List<Sent> inline = new ArrayList<>(sent);
        sent.clear();
        mappers.close();

        List<String> offThread = Collections.synchronizedList(new ArrayList<>());
        caches(watched(Thread.currentThread(), offThread));
        mappers = new ParallelMappers("REP1", 4, 5, null, keys, sink);
        CountDownLatch chunk1Mapped = new CountDownLatch(1);
        anySent = new CountDownLatch(1);
        List<Long> finished = Collections.synchronizedList(new ArrayList<>());
        mappers.probe = (chunk, tx) -> {
            try {
                if (tx == null) {
                    finished.add(chunk);
                    if (chunk == 1) chunk1Mapped.countDown();
                } else if (chunk == 0) {
                    chunk1Mapped.await();
                } else if (chunk == 2) {
                    anySent.await();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        play(trail);
        assertTrue(finished.indexOf(1L) < finished.indexOf(0L), "chunk 1 was mapped before chunk 0: " + finished);
        assertTrue(finished.size() > 8, "many chunks: " + finished);
        assertEquals(trail, sent.stream().map(Sent::tx).toList(), "every transaction once, in trail order");
        assertSameUnits(inline, sent);
        assertEquals(List.of(), offThread, "the coordinator's connection is used on the trail thread only");
    }

    private static void assertSameUnits(List<Sent> expected, List<Sent> actual) {
        assertEquals(expected.size(), actual.size());
        int errors = 0;
        java.util.Map<Shape, Shape> interned = new java.util.HashMap<>(); // actual's shapes: one instance per shape
        for (int i = 0; i < expected.size(); i++) {
            ParallelUnit e = expected.get(i).unit(), a = actual.get(i).unit();
            assertSame(expected.get(i).tx(), actual.get(i).tx());
            if (e == null) {
                assertSame(null, a, "a skipped transaction stays skipped");
                continue;
            }
            assertEquals(e.keys, a.keys, "keys of " + e.tx.xid());
            assertEquals(e.heartbeats, a.heartbeats);
            assertEquals(e.unresolved, a.unresolved);
            assertEquals(e.stmts.size(), a.stmts.size());
            for (int j = 0; j < e.stmts.size(); j++) {
                Stmt se = e.stmts.get(j), sa = a.stmts.get(j);
                assertEquals(se.shape(), sa.shape());
                assertEquals(se.shape().sql, sa.shape().sql);
                assertSame(interned.computeIfAbsent(sa.shape(), k -> sa.shape()), sa.shape(), "one instance per shape");
                assertArrayEquals(se.keyVals(), sa.keyVals());
                assertEquals(se.change(), sa.change());
            }
            assertEquals(e.resolved.length, a.resolved.length);
            for (int j = 0; j < e.resolved.length; j++) {
                if (e.resolved[j] instanceof ApplyError x) {
                    ApplyError y = assertInstanceOf(ApplyError.class, a.resolved[j]);
                    assertEquals(x.kind + x.getMessage(), y.kind + y.getMessage());
                    errors++;
                } else {
                    assertEquals(e.resolved[j], a.resolved[j]);
                }
            }
        }
        assertTrue(errors > 5, "the trail's UNMAPPED changes are kept with their change: " + errors);
    }

    /**
     * Two transactions fail on the mappers (a RuntimeException, not an ApplyError); the later one's chunk is mapped
     * first. The abend names the earlier one; the collater dispatched exactly what precedes it in trail order.
     */
    @Test
    void aMappingFailureAbendsAtTheEarliestFailedTransactionAndNothingAfterItIsDispatched() throws Exception {
        schema();
        List<Transaction> trail = trail();
        // a chunk per transaction: the later failure is 3 chunks behind, within the collater's window of 8
        Transaction first = trail.get(22), later = trail.get(25);
        mappers = new ParallelMappers("REP1", 4, 1, null, keys, sink);
        CountDownLatch laterFailed = new CountDownLatch(1);
        mappers.probe = (chunk, tx) -> {
            if (tx == later) {
                laterFailed.countDown();
                throw new IllegalStateException("cannot map " + tx.xid());
            }
            if (tx == first) {
                try {
                    laterFailed.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("cannot map " + tx.xid());
            }
        };
        ReplicatException e = assertThrows(ReplicatException.class, () -> play(trail));
        assertTrue(e.getMessage().startsWith("REP1: mapping failed (transaction XID 1.1.22 CSN 122 at trail ")
                && e.getMessage().endsWith("cannot map 1.1.22"), e.getMessage());
        assertEquals(trail.subList(0, 22), sent.stream().map(Sent::tx).toList(), "the prefix before it, nothing after");
    }

    /**
     * A failure on the trail thread: the target connection is lost before a table's metadata is read (Z's first
     * change, transaction 4). What precedes it is dispatched and the abend names it; an earlier failure on a mapper
     * (transaction 2, still being mapped when the trail thread failed) is the one reported instead.
     */
    /**
     * The mappers' pool stopped under the collater (as a forced stop of the CamelContext does, not {@code close}):
     * chunks 0 and 1 are mapping, 2 and 3 still queued when the pool is stopped; 0 and 1 then finish and are
     * dispatched, and the collater, waiting for chunk 2 that will never run, abends instead of waiting for ever.
     */
    @Test
    void aPoolStoppedUnderTheCollaterAbendsRatherThanWaitingForEver() throws Exception {
        schema();
        List<Transaction> txs = trail().subList(0, 4);
        mappers = new ParallelMappers("REP1", 2, 1, null, keys, sink);
        CountDownLatch mapping = new CountDownLatch(2);
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        mappers.probe = (chunk, tx) -> {
            if (tx == null || chunk > 1) return;
            mapping.countDown();
            while (!release.get()) Thread.onSpinWait(); // deaf to the interrupt of shutdownNow: it finishes its chunk
        };
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            Future<List<Runnable>> stopped = stopper.submit(() -> {
                mapping.await();
                // chunks 2 and 3 handed over too (the collater then waits for chunk 0), before the pool stops
                var queue = ((java.util.concurrent.ThreadPoolExecutor) mappers.pool()).getQueue();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (queue.size() < 2) {
                    if (System.nanoTime() > deadline) throw new AssertionError("chunks 2 and 3 were never queued");
                    Thread.onSpinWait();
                }
                List<Runnable> never = mappers.pool().shutdownNow();
                release.set(true);
                return never;
            });
            // four chunks fill the window of 2 x 2: the fourth map() waits in the collater for chunk 0
            ReplicatException e = assertThrows(ReplicatException.class, () -> {
                for (Transaction tx : txs) mappers.map(tx, List.of(), prep, targets);
                mappers.flush();
            });
            assertEquals(2, stopped.get(30, TimeUnit.SECONDS).size(), "chunks 2 and 3 were queued when the pool stopped");
            assertTrue(e.getMessage().contains("the mapper threads stopped with transactions not mapped"), e.getMessage());
            assertEquals(txs.subList(0, 2), sent.stream().map(Sent::tx).toList(), "what was mapped is dispatched, in order");
        } finally {
            release.set(true);
            stopper.shutdownNow();
        }
    }

    @Test
    void aLostConnectionReadingMetadataAbendsAfterWhatPrecedesUnlessAMapperFailedEarlier() throws Exception {
        for (boolean earlierFails : new boolean[]{false, true}) {
            schema();
            sent.clear();
            List<Transaction> trail = trail().subList(0, 6);
            mappers = new ParallelMappers("REP1", 4, 1, null, keys, sink);
            CountDownLatch lost = new CountDownLatch(1);
            mappers.probe = (chunk, tx) -> {
                if (earlierFails && tx == trail.get(2)) {
                    try {
                        lost.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new IllegalStateException("cannot map " + tx.xid());
                }
            };
            for (int i = 0; i < 4; i++) mappers.map(trail.get(i), List.of(), prep, targets);
            conn.close();
            lost.countDown();
            ReplicatException e = assertThrows(ReplicatException.class, () -> mappers.map(trail.get(4), List.of(), prep, targets));
            String xid = earlierFails ? "1.1.2" : "1.1.4";
            assertTrue(e.getMessage().startsWith("REP1: mapping failed (transaction XID " + xid + " "), e.getMessage());
            assertEquals(trail.subList(0, earlierFails ? 2 : 4), sent.stream().map(Sent::tx).toList());
            mappers.close();
            mappers = null;
            conn = null;
            db.close();
            db = null;
        }
    }

    /**
     * 8 threads started together prepare the same 48 changes, in the same order, on a new ChangeStatements in each of
     * 200 rounds: each shape is one instance for all of them, and different shapes stay different.
     */
    @Test
    void concurrentPreparesInternOneShapeInstancePerShape() throws Exception {
        schema();
        TargetTables tables = new TargetTables();
        TargetTables.Table a = tables.lookup(conn, db.t("A")), k = tables.lookup(conn, db.t("K"));
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            String[] cols = {"V", "U"};
            Tx tx = tx("1.2." + i, 1 + i);
            switch (i % 4) {
                case 0 -> tx.insert(db.t("A"), img("ID", (long) i, cols[i / 4 % 2], "x"));
                case 1 -> tx.update(db.t("A"), img("ID", (long) i), img("ID", (long) i, cols[i / 4 % 2], "y"));
                case 2 -> tx.delete(db.t("K"), img("X", i % 8 == 2 ? null : (long) i, "Y", "k"));
                default -> tx.pkUpdate(db.t("A"), img("ID", (long) i), img("ID", i + 100L));
            }
            txs.add(tx.build());
        }
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                ChangeStatements plans = new ChangeStatements("REP1");
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Shape[]>> got = new ArrayList<>();
                for (int th = 0; th < threads; th++) {
                    got.add(pool.submit(() -> {
                        Shape[] out = new Shape[txs.size()];
                        start.await();
                        for (int n = 0; n < txs.size(); n++) {
                            int i = n; // the same order: threads meet on each new shape
                            Transaction tx = txs.get(i);
                            out[i] = plans.prepare(tx, tx.changes().get(0), i % 4 == 2 ? k : a, List.of(), java.util.Set.of()).shape();
                        }
                        return out;
                    }));
                }
                Shape[] first = got.get(0).get(60, TimeUnit.SECONDS);
                for (Future<Shape[]> f : got) {
                    Shape[] s = f.get(60, TimeUnit.SECONDS);
                    for (int i = 0; i < s.length; i++) assertSame(first[i], s[i], "round " + round + ", change " + i);
                }
                Set<Shape> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
                Collections.addAll(distinct, first);
                assertEquals(7, distinct.size(), "inserts of V / U, updates of V / U, PK update, deletes with X and X NULL");
                assertNotSame(first[0], first[4], "INSERT (ID, V) and INSERT (ID, U) are two shapes");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
