package io.redotrail.replicat;

import io.redotrail.core.Heartbeat;
import io.redotrail.core.Transaction;
import io.redotrail.replicat.ChangeStatements.Stmt;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel Replicat: its dependency rules and commit order on the {@link ParallelScheduler} (statements
 * and keys from a real H2 target's metadata), the low watermark, the restart decisions (low watermark, _LOX),
 * and the whole apply against a model of the source on H2 and PostgreSQL ({@link BatchOrderTest}'s history).
 */
@org.junit.jupiter.api.Timeout(120) // a dispatch that waits for ever is a failure, not a hang
class ParallelReplicatTest {
    @TempDir
    Path dir;
    TargetDb db;
    Connection conn;
    ReplicatApplier applier;
    final CamelContext ctx = new DefaultCamelContext();
    private final ChangeStatements plans = new ChangeStatements("REP1");
    private final TargetTables tables = new TargetTables();

    @AfterEach
    void tearDown() throws Exception {
        if (applier != null) applier.stop();
        if (conn != null) conn.close();
        if (db != null) db.close();
    }

    /** Keys, a unique key, a foreign key's parent and (keyed or keyless) children, a keyless table. */
    static final String[] TABLES = {"CREATE TABLE %S%.A (ID BIGINT PRIMARY KEY, V VARCHAR(40), U BIGINT UNIQUE)",
            "CREATE TABLE %S%.P (ID BIGINT PRIMARY KEY)",
            "CREATE TABLE %S%.CH (ID BIGINT PRIMARY KEY, PID BIGINT REFERENCES %S%.P (ID))",
            "CREATE TABLE %S%.K (X BIGINT, Y VARCHAR(20))",
            "CREATE TABLE %S%.KC (PID BIGINT REFERENCES %S%.P (ID), V VARCHAR(20))"};

    private void schema() throws Exception {
        db = new TargetDb(TargetDb.Kind.H2, dir);
        db.sql(TABLES);
        conn = db.connect();
    }

    private ParallelUnit unit(Tx t) throws Exception {
        return unit(conn, plans, tables, t);
    }

    /** {@code t} as the trail thread makes it a unit: statements and dependency keys from the target's metadata on {@code conn}. */
    static ParallelUnit unit(Connection conn, ChangeStatements plans, TargetTables tables, Tx t) throws Exception {
        Transaction tx = t.build();
        List<Stmt> stmts = new ArrayList<>();
        for (var ch : tx.changes()) stmts.add(plans.prepare(tx, ch, tables.lookup(conn, ch.table()), List.of(), java.util.Set.of()));
        List<List<KeyValues>> rows = new ArrayList<>();
        return new ParallelUnit(tx, stmts, new ParallelKeys(conn).keys(stmts, List.of(), rows), List.of(), rows);
    }

    /**
     * The row keys the applier's BatchSet orders by come with the unit: per statement, its own table's rows, before
     * and after a key change (null: the whole table, for an image without the key); parents' keys stay dependencies
     * only. A set takes its statements' rows from one source: keys found there are named otherwise and would never
     * meet given ones.
     */
    @Test
    void eachStatementsRowKeysComeWithTheUnitAndABatchSetRefusesAMix() throws Exception {
        schema();
        ParallelUnit u = unit(tx("1.1.1", 101)
                .update(a(), img("ID", 1L, "V", "a", "U", 11L), img("ID", 2L, "V", "a", "U", 12L))
                .insert(db.t("CH"), img("ID", 5L, "PID", 3L))
                .delete(db.t("K"), img("X", 4L)));
        assertEquals(3, u.rowKeys.size());
        List<KeyValues> moved = u.rowKeys.get(0);
        assertEquals(4, moved.size(), "ID and U before and after: " + moved);
        for (KeyValues k : moved) assertTrue(u.keys.contains(k), k + " is a dependency too");
        assertEquals(1, u.rowKeys.get(1).size(), "the child's own key, not its parent's: " + u.rowKeys.get(1));
        assertTrue(u.keys.size() > 4 + 1, "the parent's key is a dependency: " + u.keys);
        assertNull(u.rowKeys.get(2), "a keyless row named by only some of its columns: the whole table");

        BatchSet set = new BatchSet();
        set.add(u.stmts.get(0), u.rowKeys.get(0));
        assertThrows(IllegalStateException.class, () -> set.add(u.stmts.get(1)));
        set.clear();
        set.add(u.stmts.get(1));
        assertThrows(IllegalStateException.class, () -> set.add(u.stmts.get(0), u.rowKeys.get(0)));
    }

    private String a() {
        return db.t("A");
    }

    @Test
    void independentTransactionsSpreadAndTheSamePrimaryKeyStaysBehind() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, false, 10);
        ParallelUnit t1 = unit(tx("1.1.1", 101).insert(a(), img("ID", 1L, "V", "a", "U", 11L)));
        ParallelUnit t2 = unit(tx("1.1.2", 102).insert(a(), img("ID", 2L, "V", "b", "U", 12L)));
        ParallelUnit t3 = unit(tx("1.1.3", 103).update(a(), img("ID", 1L), img("ID", 1L, "V", "c")));
        s.dispatch(t1);
        s.dispatch(t2);
        s.dispatch(t3);
        assertNotEquals(t1.applier, t2.applier, "independent transactions go to different appliers");
        assertEquals(t1.applier, t3.applier, "an update of the row T1 inserted is queued behind T1");
    }

    /**
     * The in-flight window is each applier's queue limit once: with 2 appliers of 10 operations, the trail thread
     * dispatches 20 one-operation transactions and blocks on the 21st until an applier commits.
     */
    @Test
    void theTrailThreadBlocksOnceEveryQueuesWorthIsInFlight() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(2, false, 10);
        for (long id = 1; id <= 20; id++) s.dispatch(unit(tx("1.1." + id, 100 + id).insert(a(), img("ID", id, "V", "x", "U", id))));
        assertEquals(20, s.inFlight());
        ParallelUnit next = unit(tx("1.1.21", 121).insert(a(), img("ID", 21L, "V", "x", "U", 21L)));
        Thread trail = new Thread(() -> {
            try {
                s.dispatch(next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        trail.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (trail.getState() != Thread.State.WAITING && trail.isAlive() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(Thread.State.WAITING, trail.getState(), "the 21st operation waits for room");
        assertEquals(20, s.inFlight());
        s.completed(s.take(0, 100));
        trail.join(10_000);
        assertFalse(trail.isAlive(), "a commit made room");
        assertEquals(11, s.inFlight());
    }

    /**
     * The low watermark is the end of a committed prefix in the order transactions reach the scheduler, so they must
     * reach it in trail order: a _LOX skip placed before an earlier transaction was dispatched would let the
     * watermark pass that one unapplied. The scheduler refuses the first transaction out of order (the group abends
     * naming it), so a fault there is loud.
     */
    @Test
    void aTransactionOutOfTrailOrderIsRefusedNotPassedByTheLowWatermark() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, false, 10);
        ParallelUnit t1 = unit(tx("1.1.1", 101).at(0, 100).insert(a(), img("ID", 1L, "V", "a", "U", 11L)));
        Transaction skipped = tx("1.1.3", 103).at(0, 300).insert(a(), img("ID", 3L, "V", "c", "U", 13L)).build();
        ParallelUnit t2 = unit(tx("1.1.2", 102).at(0, 200).insert(a(), img("ID", 2L, "V", "b", "U", 12L)));
        s.dispatch(t1);
        s.skipped(skipped, null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.dispatch(t2));
        assertTrue(e.getMessage().contains("XID 1.1.2") && e.getMessage().contains("out of trail order"), e.getMessage());
        assertEquals(1, s.inFlight(), "T2 was not taken in");
        ParallelScheduler again = new ParallelScheduler(3, false, 10);
        assertThrows(IllegalStateException.class, () -> {
            again.skipped(skipped, null);
            again.skipped(skipped, null); // the same position twice: refused too
        });
    }

    @Test
    void aPrimaryKeyUpdateDependsOnTheTransactionThatFreedItsNewKey() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, false, 10);
        ParallelUnit t1 = unit(tx("1.1.1", 101).delete(a(), img("ID", 7L, "V", "x", "U", 17L)));
        ParallelUnit t2 = unit(tx("1.1.2", 102).insert(a(), img("ID", 2L, "V", "b", "U", 12L)));
        ParallelUnit t3 = unit(tx("1.1.3", 103).pkUpdate(a(), img("ID", 3L, "V", "c", "U", 13L), img("ID", 7L, "V", "c", "U", 13L)));
        s.dispatch(t1);
        s.dispatch(t2);
        s.dispatch(t3);
        assertEquals(t1.applier, t3.applier, "moving a row onto key 7 waits for the delete of key 7");
    }

    @Test
    void aUniqueValueTakenAfterItWasFreedKeepsOrder() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, false, 10);
        ParallelUnit t1 = unit(tx("1.1.1", 101).update(a(), img("ID", 1L, "V", "a", "U", 11L), img("ID", 1L, "V", "a", "U", 99L)));
        ParallelUnit t2 = unit(tx("1.1.2", 102).insert(a(), img("ID", 5L, "V", "b", "U", 50L)));
        ParallelUnit t3 = unit(tx("1.1.3", 103).insert(a(), img("ID", 2L, "V", "b", "U", 11L)));
        s.dispatch(t1);
        s.dispatch(t2);
        s.dispatch(t3);
        assertEquals(t1.applier, t3.applier, "U = 11 is freed by T1 and taken by T3");
    }

    @Test
    void aChildFollowsItsParentAndAParentDeleteFollowsItsChildrensDelete() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, false, 10);
        ParallelUnit parent = unit(tx("1.1.1", 101).insert(db.t("P"), img("ID", 1L)));
        ParallelUnit other = unit(tx("1.1.2", 102).insert(db.t("P"), img("ID", 2L)));
        ParallelUnit child = unit(tx("1.1.3", 103).insert(db.t("CH"), img("ID", 10L, "PID", 1L)));
        s.dispatch(parent);
        s.dispatch(other);
        s.dispatch(child);
        assertEquals(parent.applier, child.applier, "the child insert is queued behind its parent's insert");

        ParallelScheduler s2 = new ParallelScheduler(3, false, 10);
        ParallelUnit delChild = unit(tx("1.1.4", 104).delete(db.t("CH"), img("ID", 10L, "PID", 1L)));
        ParallelUnit unrelated = unit(tx("1.1.5", 105).delete(db.t("CH"), img("ID", 11L, "PID", 2L)));
        ParallelUnit delParent = unit(tx("1.1.6", 106).delete(db.t("P"), img("ID", 1L)));
        s2.dispatch(delChild);
        s2.dispatch(unrelated);
        s2.dispatch(delParent);
        assertEquals(delChild.applier, delParent.applier, "the parent delete is queued behind its child's delete");
        assertNotEquals(delChild.applier, unrelated.applier);
    }

    /**
     * A keyless table: rows are named by all their (non-LOB) values. Inserts of different rows spread; a delete
     * or update of a row follows the insert of the same values; an image that does not name every column
     * orders the whole table.
     */
    @Test
    void aKeylessTableOrdersChangesOfTheSameValues() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, false, 10);
        ParallelUnit t1 = unit(tx("1.1.1", 101).insert(db.t("K"), img("X", 1L, "Y", "a")));
        ParallelUnit t2 = unit(tx("1.1.2", 102).insert(db.t("K"), img("X", 2L, "Y", "b")));
        ParallelUnit t3 = unit(tx("1.1.3", 103).delete(db.t("K"), img("X", 1L, "Y", "a")));
        ParallelUnit t4 = unit(tx("1.1.4", 104).update(db.t("K"), img("X", 2L, "Y", "b"), img("Y", "c")));
        ParallelUnit t5 = unit(tx("1.1.5", 105).insert(db.t("K"), img("X", 2L, "Y", "c")));
        ParallelUnit t6 = unit(tx("1.1.6", 106).delete(db.t("K"), img("X", 9L)));
        for (ParallelUnit u : List.of(t1, t2, t3, t4, t5)) s.dispatch(u);
        assertNotEquals(t1.applier, t2.applier, "different rows commute");
        assertEquals(t1.applier, t3.applier, "the delete of (1, a) follows its insert");
        assertEquals(t2.applier, t4.applier, "the update of (2, b) follows its insert");
        assertEquals(t4.applier, t5.applier, "(2, c) is the update's after image (Y from the after image, X kept)");
        s.dispatch(t6);
        assertEquals(-1, t6.applier, "a before image without Y addresses any row with X = 9: the whole table waits");
    }

    /** A keyless child table: its rows follow their parent's insert like a keyed child's. */
    @Test
    void aKeylessChildFollowsItsParent() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, false, 10);
        ParallelUnit p5 = unit(tx("1.1.1", 101).insert(db.t("P"), img("ID", 5L)));
        ParallelUnit p6 = unit(tx("1.1.2", 102).insert(db.t("P"), img("ID", 6L)));
        ParallelUnit c5 = unit(tx("1.1.3", 103).insert(db.t("KC"), img("PID", 5L, "V", "x")));
        for (ParallelUnit u : List.of(p5, p6, c5)) s.dispatch(u);
        assertNotEquals(p5.applier, p6.applier);
        assertEquals(p5.applier, c5.applier, "the child row waits for its parent's insert");
    }

    /**
     * A transaction depending on two appliers waits (unassigned) until one of them committed its part; an
     * independent later transaction passes it (DEPENDENT_TRANSACTIONS) or queues behind it (FULL).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void dependenciesOnTwoAppliersWaitForOneToCommitAndIndependentOnesPass(boolean full) throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(2, full, 10);
        ParallelUnit t1 = unit(tx("1.1.1", 101).insert(a(), img("ID", 1L, "V", "a", "U", 11L)));
        ParallelUnit t2 = unit(tx("1.1.2", 102).insert(a(), img("ID", 2L, "V", "b", "U", 12L)));
        ParallelUnit t3 = unit(tx("1.1.3", 103).delete(a(), img("ID", 1L, "V", "a", "U", 11L)).delete(a(), img("ID", 2L, "V", "b", "U", 12L)));
        ParallelUnit t4 = unit(tx("1.1.4", 104).insert(a(), img("ID", 4L, "V", "d", "U", 14L)));
        ParallelUnit t5 = unit(tx("1.1.5", 105).update(a(), img("ID", 1L, "V", "a", "U", 11L), img("ID", 1L, "V", "e", "U", 11L)));
        s.dispatch(t1);
        s.dispatch(t2);
        assertNotEquals(t1.applier, t2.applier);
        s.dispatch(t3); // never blocks: T3 waits unassigned
        assertEquals(-1, t3.applier, "T3 touches rows of T1 (applier " + t1.applier + ") and T2 (applier " + t2.applier + ")");
        s.dispatch(t4);
        s.dispatch(t5);
        assertEquals(-1, t5.applier, "T5 depends on T3, which waits");
        if (full) assertEquals(-1, t4.applier, "FULL: nothing passes a waiting transaction");
        else assertTrue(t4.applier >= 0, "DEPENDENT_TRANSACTIONS: T4 is independent and passes T3");
        assertSame(t1, s.take(t1.applier, 1).get(0));
        s.completed(List.of(t1));
        assertEquals(t2.applier, t3.applier, "once T1 committed, T3 is queued behind T2");
        assertEquals(t3.applier, t5.applier, "T5 follows T3 on its applier");
        assertTrue(t4.applier >= 0);
        assertArrayEquals(full ? new long[]{3, 0} : new long[]{2, 1}, s.waits());
        assertSame(t1.tx, s.lowWatermark(), "T1 committed first: the low watermark is T1");
    }

    @Test
    void fullCommitsInTrailOrderAndTheLowWatermarkIsTheCommittedPrefix() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(2, true, 10);
        ParallelUnit t1 = unit(tx("1.1.1", 101).insert(a(), img("ID", 1L, "V", "a", "U", 11L)));
        ParallelUnit t2 = unit(tx("1.1.2", 102).insert(a(), img("ID", 2L, "V", "b", "U", 12L)));
        s.dispatch(t1);
        s.dispatch(t2);
        Thread[] th = new Thread[1];
        CompletableFuture<Void> turn = CompletableFuture.runAsync(() -> {
            th[0] = Thread.currentThread();
            try {
                s.awaitTurn(t2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waitUntil(() -> th[0] != null && th[0].getState() == Thread.State.WAITING);
        assertFalse(turn.isDone(), "FULL: T2 may not commit before T1");
        s.completed(List.of(t1));
        turn.get(10, TimeUnit.SECONDS);
        assertSame(t1.tx, s.lowWatermark());

        // DEPENDENT: T4 commits before T3; the low watermark waits for T3
        ParallelScheduler d = new ParallelScheduler(2, false, 10);
        ParallelUnit t3 = unit(tx("1.1.3", 103).insert(a(), img("ID", 3L, "V", "a", "U", 13L)));
        ParallelUnit t4 = unit(tx("1.1.4", 104).insert(a(), img("ID", 4L, "V", "b", "U", 14L)));
        d.dispatch(t3);
        d.dispatch(t4);
        d.awaitTurn(t3); // T3 is first: no wait
        d.completed(List.of(t4));
        assertNull(d.lowWatermark(), "T3 is still in flight");
        assertEquals(1, d.inFlight());
        d.completed(List.of(t3));
        assertSame(t4.tx, d.lowWatermark());
        assertEquals(0, d.inFlight());
    }

    /** A restart's skipped transaction (a _LOX row) counts as committed in trail order: the watermark passes it. */
    @Test
    void theLowWatermarkPassesSkippedTransactions() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(2, false, 10);
        Transaction skippedFirst = tx("1.1.1", 101).insert(a(), img("ID", 1L, "V", "a", "U", 11L)).build();
        s.skipped(skippedFirst, null);
        assertSame(skippedFirst, s.lowWatermark(), "nothing before it: it is the low watermark at once");
        ParallelUnit t2 = unit(tx("1.1.2", 102).insert(a(), img("ID", 2L, "V", "b", "U", 12L)));
        s.dispatch(t2);
        Transaction skippedLast = tx("1.1.3", 103).insert(a(), img("ID", 3L, "V", "c", "U", 13L)).build();
        s.skipped(skippedLast, null);
        assertSame(skippedFirst, s.lowWatermark(), "T2 is in flight");
        s.completed(List.of(t2));
        assertSame(skippedLast, s.lowWatermark());
    }

    /**
     * A caught-up exchange (the trail had nothing more) returns with its transactions committed and the checkpoint
     * at its last one, as the serial Replicat's: before, the low watermark named what had committed when the
     * exchange was dispatched, here nothing (the appliers wait for a commit's worth first), and moved at the next
     * exchange, a second later. The wait is bounded: drain(nanos) gives up while a transaction is in flight.
     */
    @Test
    void aCaughtUpExchangeReturnsWithTheCheckpointAtItsLastTransaction() throws Exception {
        schema();
        applier = parallelApplier(4, "DEPENDENT_TRANSACTIONS");
        applier.setCaughtUpWaitMillis(60_000); // bounded, but never by a slow machine here
        applier.start();
        List<Transaction> txs = new ArrayList<>();
        for (int i = 1; i <= 20; i++) txs.add(tx("1.1." + i, 100 + i).insert(a(), img("ID", (long) i, "V", "v" + i, "U", 100L + i)).build());
        applier.process(BatchOrderTest.exchange(txs, true));
        assertEquals(120, applier.lastCheckpoint().orElseThrow().logCsn().value(), "the checkpoint is at the exchange's end");
        assertEquals(0, applier.getOpenTransactions());
        assertEquals(20, db.rows("SELECT ID FROM " + a()).size());

        ParallelScheduler s = new ParallelScheduler(2, false, 10);
        ParallelUnit t1 = unit(tx("1.1.1", 101).insert(a(), img("ID", 1L, "V", "a", "U", 11L)));
        s.dispatch(t1);
        assertFalse(s.drain(TimeUnit.MILLISECONDS.toNanos(20)), "T1 is in flight: the wait gives up");
        s.completed(List.of(t1));
        assertTrue(s.drain(TimeUnit.MILLISECONDS.toNanos(20)));
    }

    /**
     * An applier waiting for its queue to fill (a commit's worth) takes what it holds once the trail thread drains:
     * nothing more comes until the drain ends. Here the fill wait is a minute, so without that the take would not
     * return within the test's 10 s.
     */
    @Test
    void aDrainEndsTheAppliersWaitForACommitsWorth() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(1, false, 100, 0, TimeUnit.MINUTES.toNanos(1));
        ParallelUnit t1 = unit(tx("1.1.1", 101).insert(a(), img("ID", 1L, "V", "a", "U", 11L)));
        s.dispatch(t1);
        CompletableFuture<List<ParallelUnit>> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return s.take(0, 100); // 1 operation queued, 50 to fill
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return s.drain(TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(List.of(t1), taken.get(10, TimeUnit.SECONDS), "taken while the trail thread drains");
        s.completed(List.of(t1));
        assertTrue(drained.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anAppliersFailureIsEveryonesError() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(1, false, 1);
        s.dispatch(unit(tx("1.1.1", 101).insert(a(), img("ID", 1L, "V", "a", "U", 11L))));
        s.failed(new ReplicatException("boom"));
        ParallelUnit t2 = unit(tx("1.1.2", 102).insert(a(), img("ID", 2L, "V", "b", "U", 12L)));
        assertThrows(ReplicatException.class, () -> s.dispatch(t2), "the queue is full and an applier failed");
        assertThrows(ReplicatException.class, s::drain);
    }

    /**
     * Restart after a crash: the low watermark is T2, T4 and T5 were committed above it (_LOX rows, their rows in
     * the target). The re-read skips T1, T2, T4, T5 and applies T3 and T6 (inserts: applying twice would fail on
     * the primary key); the new low watermark removes the _LOX rows below it.
     */
    @Test
    void aRestartSkipsTheLowWatermarkAndTheLoxRowsAndAppliesTheRest() throws Exception {
        schema();
        List<Transaction> txs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            txs.add(tx("1.1." + i, 100 + i).insert(a(), img("ID", (long) i, "V", "v" + i, "U", 10L + i)).build());
        }
        CheckpointTable table = new CheckpointTable(db.schema + ".CKPT", dir.toString());
        table.create(conn);
        ParallelCheckpoints rows = new ParallelCheckpoints(table, "REP1");
        try (var st = conn.createStatement()) {
            for (int i : new int[]{1, 2, 4, 5}) st.execute("INSERT INTO " + a() + " VALUES (" + i + ", 'v" + i + "', " + (10 + i) + ")");
        }
        rows.watermark(conn, txs.get(1));
        rows.applied(conn, 1, List.of(txs.get(3)));
        rows.applied(conn, 2, List.of(txs.get(4)));
        conn.commit();

        applier = parallelApplier(2, "DEPENDENT_TRANSACTIONS");
        applier.setCheckpointTable(db.schema + ".CKPT");
        applier.start();
        assertEquals(txs.get(1).trailEnd(), applier.startPosition().orElseThrow(), "the trail is re-read from the low watermark");
        applier.process(BatchOrderTest.exchange(txs, true));
        applier.stop();
        assertEquals(4, applier.getSkippedTransactions());
        assertEquals(2, applier.getAppliedTransactions());
        assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L), List.of(4L), List.of(5L), List.of(6L)),
                db.rows("SELECT ID FROM " + a() + " ORDER BY ID"));
        assertEquals(List.of(List.of(txs.get(5).trailEnd().rba(), "106")),
                db.rows("SELECT RBA, LOG_CMPLT_CSN FROM " + db.schema + ".CKPT WHERE GROUP_KEY = "
                        + table.key("REP1")).stream().map(r -> List.of(((Number) r.get(0)).longValue(), r.get(1))).toList());
        // _LOX rows below the low watermark's CSN are gone; T6's own row stays (it is the watermark)
        assertEquals(List.of(List.of("106")), db.rows("SELECT LOG_CMPLT_CSN FROM " + db.schema + ".CKPT_LOX"));
        // INFO REPLICAT ..., DETAIL: the low watermark, then each applier's last committed transaction
        List<String> detail = table.parallelDetail(conn, "REP1");
        String all = String.join("\n", detail);
        assertTrue(detail.stream().anyMatch(l -> l.matches("\\s*Low watermark\\s+106\\s+1\\.1\\.6\\s.*")), all);
        assertTrue(detail.stream().anyMatch(l -> l.matches("\\s*Applier 1\\s+\\d+\\s.*")), all);
        assertTrue(detail.stream().anyMatch(l -> l.matches("\\s*Applier 2\\s+\\d+\\s.*")), all);
        assertTrue(all.contains("CKPT_LOX): 0"), "T6's own _LOX row is the watermark's, not above it: " + all);
        assertEquals(List.of(), table.parallelDetail(conn, "NOSUCH"), "no applier rows: not a parallel Replicat");
    }

    /** A heartbeat of thread 1 stamped by EXT1 and PUMP1, alone in its source transaction (as the source writes it). */
    static Transaction beat(String xid, long csn, int thread, java.time.LocalDateTime at) {
        return Heartbeat.stamp(Heartbeat.stamp(List.of(tx(xid, csn).insert(Heartbeat.SEED, Heartbeat.seedImage("ORCL", thread, at))
                .build()), Heartbeat.Hop.EXTRACT, "EXT1", Heartbeat.millis(at) + 100), Heartbeat.Hop.ROUTING, "PUMP1",
                Heartbeat.millis(at) + 200).get(0);
    }

    /**
     * A change MAPped onto a GG_HEARTBEAT row and a heartbeat record of that row share the row's key, named as every
     * key is (sorted columns, normalised values), so the two are applied in trail order.
     */
    @Test
    void aMappedChangeOfAHeartbeatRowSharesTheHeartbeatsKey() throws Exception {
        schema();
        HeartbeatTables.create(conn);
        java.time.LocalDateTime ts = java.time.LocalDateTime.of(2026, 12, 5, 3, 0);
        HeartbeatTables.Received r = new HeartbeatTables.Received("TGTDB", "SRCDB", 2, ts, "EXT1", ts, "PUMP1", ts, "REP1", ts);
        ParallelUnit u = unit(tx("1.1.1", 100).update(Heartbeat.TABLE,
                img("REMOTE_DATABASE", "SRCDB", "REDO_THREAD", 2L, "INCOMING_EXTRACT", "EXT1", "INCOMING_ROUTING_PATH", "PUMP1",
                        "INCOMING_REPLICAT", "REP1"),
                img("HEARTBEAT_TIMESTAMP", ts)));
        assertTrue(u.keys.contains(ParallelKeys.heartbeat(r)), u.keys + " holds " + ParallelKeys.heartbeat(r));
    }

    /** A heartbeat's key is its GG_HEARTBEAT row: one thread's heartbeats queue behind each other, another thread's spread. */
    @Test
    void heartbeatsOfOneThreadStayInOrderAndOtherThreadsSpread() throws Exception {
        schema();
        applier = parallelApplier(3, "DEPENDENT_TRANSACTIONS");
        HeartbeatApply hb = new HeartbeatApply(applier);
        java.time.LocalDateTime t0 = java.time.LocalDateTime.of(2026, 12, 3, 8, 0);
        ParallelScheduler s = new ParallelScheduler(3, false, 10);
        List<ParallelUnit> units = new ArrayList<>();
        int[][] threads = {{1, 0}, {2, 0}, {1, 1}};
        for (int[] t : threads) {
            List<HeartbeatTables.Received> r = new ArrayList<>();
            Transaction tx = hb.take(beat("1.1." + units.size(), 101 + units.size(), t[0], t0.plusSeconds(t[1])), 0, r);
            assertEquals(0, tx.size(), "the heartbeat never reaches MAP");
            assertEquals(1, r.size());
            units.add(new ParallelUnit(tx, List.of(), new ParallelKeys(conn).keys(List.of(), r), r, null));
        }
        for (ParallelUnit u : units) s.dispatch(u);
        assertNotEquals(units.get(0).applier, units.get(1).applier, "threads 1 and 2 have rows of their own");
        assertEquals(units.get(0).applier, units.get(2).applier, "thread 1's second heartbeat follows its first");
    }

    /**
     * Restart after a crash with heartbeats on H2 and PostgreSQL (a database of its own: the heartbeat objects are
     * GGADMIN's): the low watermark is H1 (applied with its GG_HEARTBEAT_HISTORY row), H3 and U3 were committed
     * above it (_LOX rows, their rows in the target). The re-read records H2, H4 and H5 with their transactions
     * and skips the rest: the history holds every heartbeat exactly once, GG_HEARTBEAT each thread's last; a
     * second restart over the same trail records nothing more. Inline and with 4 mappers.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"H2, 1", "H2, 4", "POSTGRESQL, 1", "POSTGRESQL, 4"})
    void heartbeatsAreRecordedExactlyOnceWithTheirTransactionsAcrossARestart(TargetDb.Kind kind, int mappers) throws Exception {
        String pgDb = "rt_phb_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = TargetDb.PG_URL.substring(0, TargetDb.PG_URL.lastIndexOf('/') + 1);
        String url = kind == TargetDb.Kind.H2 ? "jdbc:h2:file:" + dir.resolve("hbtarget") + ";DB_CLOSE_DELAY=-1" : base + pgDb;
        String user = kind == TargetDb.Kind.H2 ? "sa" : "postgres";
        if (kind == TargetDb.Kind.POSTGRESQL) {
            try (Connection admin = java.sql.DriverManager.getConnection(TargetDb.PG_URL, user, ""); var st = admin.createStatement()) {
                st.execute("CREATE DATABASE " + pgDb);
            }
        }
        try (Connection c = java.sql.DriverManager.getConnection(url, user, "")) {
            try (var st = c.createStatement()) {
                st.execute("CREATE SCHEMA APP");
                st.execute("CREATE TABLE APP.A (ID BIGINT PRIMARY KEY, V VARCHAR(40))");
            }
            HeartbeatTables.create(c);
            c.setAutoCommit(false);
            java.time.LocalDateTime t0 = java.time.LocalDateTime.of(2026, 12, 3, 8, 0);
            List<Transaction> txs = List.of(
                    tx("1.1.1", 101).insert("APP.A", img("ID", 1L, "V", "u1")).build(),
                    beat("1.1.2", 102, 1, t0),
                    tx("1.1.3", 103).insert("APP.A", img("ID", 2L, "V", "u2")).build(),
                    beat("1.1.4", 104, 2, t0),
                    beat("1.1.5", 105, 1, t0.plusSeconds(1)),
                    tx("1.1.6", 106).insert("APP.A", img("ID", 3L, "V", "u3")).build(),
                    beat("1.1.7", 107, 2, t0.plusSeconds(1)),
                    beat("1.1.8", 108, 1, t0.plusSeconds(2)),
                    tx("1.1.9", 109).insert("APP.A", img("ID", 4L, "V", "u4")).build());
            // the crash's state: U1 and H1 below the low watermark, H3 and U3 committed above it
            CheckpointTable table = new CheckpointTable(CheckpointTable.DEFAULT_NAME, dir.toString());
            table.create(c);
            ParallelCheckpoints rows = new ParallelCheckpoints(table, "REP1");
            ReplicatApplier cfg = parallelApplier(url, user, 1);
            HeartbeatApply hb = new HeartbeatApply(cfg);
            try (var st = c.createStatement()) {
                st.execute("INSERT INTO APP.A VALUES (1, 'u1')");
                st.execute("INSERT INTO APP.A VALUES (3, 'u3')");
            }
            for (Transaction t : List.of(txs.get(1), txs.get(4))) {
                List<HeartbeatTables.Received> r = new ArrayList<>();
                hb.take(t, System.currentTimeMillis(), r);
                hb.write(c, r);
            }
            rows.watermark(c, txs.get(1));
            rows.applied(c, 1, List.of(txs.get(4)));
            rows.applied(c, 2, List.of(txs.get(5)));
            c.commit();

            for (int life = 1; life <= 2; life++) {
                applier = parallelApplier(url, user, 3);
                applier.setMapParallelism(mappers); // 4: the _LOX skips and heartbeats pass the mappers in trail order
                applier.start();
                applier.process(BatchOrderTest.exchange(txs, true));
                applier.stop();
                // life 1: U1, H1 (low watermark), H3, U3 (_LOX); life 2: all nine (below the new low watermark)
                assertEquals(life == 1 ? 4 : 9, applier.getSkippedTransactions(), "life " + life);
                assertEquals(life == 1 ? 5 : 0, applier.getAppliedTransactions(), "life " + life);
                c.commit();
                try (var st = c.createStatement()) {
                    assertEquals(List.of("1 2026-12-03T08:00", "2 2026-12-03T08:00", "1 2026-12-03T08:00:01",
                            "2 2026-12-03T08:00:01", "1 2026-12-03T08:00:02"), strings(st, "SELECT REDO_THREAD, INCOMING_HEARTBEAT_TS FROM "
                            + Heartbeat.HISTORY + " ORDER BY INCOMING_HEARTBEAT_TS, REDO_THREAD"), "life " + life + ": each heartbeat once");
                    assertEquals(List.of("1 2026-12-03T08:00:02", "2 2026-12-03T08:00:01"), strings(st, "SELECT REDO_THREAD, "
                            + "INCOMING_HEARTBEAT_TS FROM " + Heartbeat.TABLE + " ORDER BY REDO_THREAD"), "each thread's last heartbeat");
                    assertEquals(List.of("EXT1 ==> PUMP1 ==> REP1 REP1"), strings(st, "SELECT DISTINCT INCOMING_EXTRACT || ' ==> ' || "
                            + "INCOMING_ROUTING_PATH || ' ==> ' || INCOMING_REPLICAT, INCOMING_REPLICAT FROM " + Heartbeat.HISTORY));
                    assertEquals(List.of("1", "2", "3", "4"), strings(st, "SELECT ID FROM APP.A ORDER BY ID"));
                }
            }
        } finally {
            if (applier != null) applier.stop();
            applier = null;
            if (kind == TargetDb.Kind.POSTGRESQL) {
                try (Connection admin = java.sql.DriverManager.getConnection(TargetDb.PG_URL, user, ""); var st = admin.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + pgDb + " WITH (FORCE)");
                }
            } else {
                try (Connection c = java.sql.DriverManager.getConnection(url, user, ""); var st = c.createStatement()) {
                    st.execute("SHUTDOWN");
                }
            }
        }
    }

    /** Each row's columns as text joined by spaces (timestamps as LocalDateTime). */
    private static List<String> strings(java.sql.Statement st, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (var rs = st.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof java.sql.Timestamp) v = rs.getObject(i, java.time.LocalDateTime.class);
                    b.append(i > 1 ? " " : "").append(v);
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    private ReplicatApplier parallelApplier(String url, String user, int n) {
        ReplicatApplier r = new ReplicatApplier();
        r.setCamelContext(ctx);
        r.setGroup("REP1");
        r.setHome(dir.toString());
        r.setJdbcUrl(url);
        r.setUser(user);
        r.setPassword("");
        r.setMap("MAP APP.*, TARGET APP.*");
        r.setParallel(true);
        r.setApplyParallelism(n);
        r.setCommitSerialization("DEPENDENT_TRANSACTIONS");
        return r;
    }

    /**
     * REPERROR responses and HANDLECOLLISIONS start with PARALLEL (the appliers replay a failed piece one operation
     * at a time, see ParallelReplicatErrorsTest); MAP_PARALLELISM above 1 says in the report how many mappers map;
     * ATCSN / AFTERCSN are still refused, naming the parameter.
     */
    @Test
    void repErrorAndHandleCollisionsStartButAtCsnIsRefused() throws Exception {
        schema();
        applier = parallelApplier(2, "DEPENDENT_TRANSACTIONS");
        applier.setRepError("DEFAULT ABEND; NOTFOUND DISCARD");
        applier.setHandleCollisions(true);
        applier.setMapParallelism(2);
        applier.start();
        applier.stop();
        String report = java.nio.file.Files.readString(io.redotrail.report.ReportFile.pathOf(dir, "REP1"));
        assertTrue(report.contains("RTR-01310") && report.contains("MAP_PARALLELISM 2: 2 mapper threads"), report);
        // the target here is an embedded H2 file: a kill -9 could leave part of a group no applier committed
        assertTrue(report.contains("WARNING RTR-01627  REP1: a parallel Replicat on an embedded H2 target (jdbc:h2:file:"), report);
        assertTrue(io.redotrail.core.Jdbc.embeddedH2("jdbc:h2:./db/target") && !io.redotrail.core.Jdbc.embeddedH2("jdbc:h2:tcp://localhost/target")
                && !io.redotrail.core.Jdbc.embeddedH2("jdbc:h2:mem:t") && !io.redotrail.core.Jdbc.embeddedH2("jdbc:postgresql://h/db"));
        applier = parallelApplier(2, "DEPENDENT_TRANSACTIONS");
        applier.setAtCsn("100");
        ReplicatException e = assertThrows(ReplicatException.class, applier::start);
        assertTrue(e.getMessage().contains("ATCSN") && e.getMessage().contains("PARALLEL"), e.getMessage());
    }

    /** The same random history BatchOrderTest checks the serial Replicat with, applied by 4 appliers. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void denseDependentHistoryGivesTheSourceRowsDependent(TargetDb.Kind kind) throws Exception {
        playInParallel(kind, "DEPENDENT_TRANSACTIONS");
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void denseDependentHistoryGivesTheSourceRowsFull(TargetDb.Kind kind) throws Exception {
        playInParallel(kind, "FULL");
    }

    /**
     * MAP_PARALLELISM: the same history (dependent keys, a keyless table, a foreign key's parent and child, KEYCOLS
     * and a COLMAP) mapped inline and by 4 mappers over chunks of a few transactions gives the source's rows.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"H2, 1", "H2, 4", "POSTGRESQL, 1", "POSTGRESQL, 4"})
    void denseDependentHistoryGivesTheSourceRowsWithMapParallelism(TargetDb.Kind kind, int mappers) throws Exception {
        playInParallel(kind, "DEPENDENT_TRANSACTIONS", mappers);
    }

    private void playInParallel(TargetDb.Kind kind, String serialization) throws Exception {
        playInParallel(kind, serialization, 0);
    }

    /** {@code mappers} 0: the default MAP_PARALLELISM and MAP statements; else that many mappers and a COLMAP on C. */
    private void playInParallel(TargetDb.Kind kind, String serialization, int mappers) throws Exception {
        BatchOrderTest t = new BatchOrderTest();
        t.dir = dir;
        t.configure = a -> {
            a.setParallel(true);
            a.setApplyParallelism(4);
            a.setCommitSerialization(serialization);
            a.setGroupTransOps(200);
            if (mappers > 0) {
                String s = t.db.schema;
                a.setMapParallelism(mappers);
                a.setMap("MAP " + s + ".C, TARGET " + s + ".C, KEYCOLS (CODE), COLMAP (USEDEFAULTS, V = V); MAP " + s
                        + ".*, TARGET " + s + ".*");
            }
        };
        try {
            t.play(kind, 40);
        } finally {
            t.tearDown();
        }
    }

    private ReplicatApplier parallelApplier(int n, String serialization) {
        ReplicatApplier r = new ReplicatApplier();
        r.setCamelContext(ctx);
        r.setGroup("REP1");
        r.setHome(dir.toString());
        r.setJdbcUrl(db.url);
        r.setUser(db.user);
        r.setPassword(db.password);
        r.setMap("MAP " + db.schema + ".*, TARGET " + db.schema + ".*");
        r.setParallel(true);
        r.setApplyParallelism(n);
        r.setCommitSerialization(serialization);
        return r;
    }

    private static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached in 20 s");
            Thread.sleep(5);
        }
    }
}
