package io.redotrail.replicat;

import io.redotrail.replicat.ApplierTuner.Step;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MIN/MAX_APPLY_PARALLELISM: when {@link ApplierTuner} adds or retires an applier, and what the
 * {@link ParallelScheduler} does with an added or a retired one (units with statements and keys from a real H2
 * target, as {@link ParallelReplicatTest}'s).
 */
@org.junit.jupiter.api.Timeout(60)
class ApplyParallelismTuningTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;
    private TargetDb db;
    private Connection conn;
    private final ChangeStatements plans = new ChangeStatements("REP1");
    private final TargetTables tables = new TargetTables();

    @AfterEach
    void tearDown() throws Exception {
        if (conn != null) conn.close();
        if (db != null) db.close();
    }

    private void schema() throws Exception {
        db = new TargetDb(TargetDb.Kind.H2, dir);
        db.sql(ParallelReplicatTest.TABLES);
        conn = db.connect();
    }

    /** A one-operation insert of row {@code id} (independent of every other id). */
    private ParallelUnit insert(long id) throws Exception {
        return ParallelReplicatTest.unit(conn, plans, tables, tx("1.1." + id, 100 + id).insert(db.t("A"), img("ID", id, "V", "v", "U", id)));
    }

    /** {@code ops} inserts in one transaction, rows {@code id*100 ...}. */
    private ParallelUnit inserts(long id, int ops) throws Exception {
        Tx t = tx("1.2." + id, 1000 + id);
        for (int i = 0; i < ops; i++) t.insert(db.t("A"), img("ID", id * 100 + i, "V", "v", "U", id * 100 + i));
        return ParallelReplicatTest.unit(conn, plans, tables, t);
    }

    /** An update of row {@code id}: depends on the last transaction that touched it. */
    private ParallelUnit update(long id, long csn) throws Exception {
        return ParallelReplicatTest.unit(conn, plans, tables, tx("1.3." + csn, csn).update(db.t("A"), img("ID", id), img("ID", id, "V", "w")));
    }

    // ---- the scheduler ---------------------------------------------------------------------------------------

    /** Of 3 appliers 2 are active: work goes to those two only, and the in-flight window is two queues' worth. */
    @Test
    void onlyTheActiveAppliersTakeWork() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, 2, false, 10, 0, ParallelScheduler.FILL_NANOS);
        for (long id = 1; id <= 20; id++) {
            ParallelUnit u = insert(id);
            s.dispatch(u);
            assertTrue(u.applier == 0 || u.applier == 1, "applier " + u.applier);
        }
        assertEquals(20, s.inFlight());
        ParallelUnit next = insert(21);
        Thread trail = start(() -> s.dispatch(next));
        awaitState(trail, Thread.State.WAITING);
        assertEquals(-1, next.applier, "the 21st operation waits for room: 2 active appliers of 10 operations each");
        assertTrue(s.load(System.nanoTime()).blockedNanos() > 0, "the trail thread's wait at the limit is measured");
        s.completed(s.take(0, 100));
        trail.join(10_000);
        assertFalse(trail.isAlive());
    }

    /** An independent transaction that found every active queue full goes to an added applier at once. */
    @Test
    void anAddedApplierTakesWhatFoundEveryQueueFull() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, 2, false, 10, 0, ParallelScheduler.FILL_NANOS);
        ParallelUnit a = inserts(1, 6), b = inserts(2, 6), c = inserts(3, 6);
        s.dispatch(a);
        s.dispatch(b);
        s.dispatch(c); // 18 operations in flight, below the window of 20, but no queue has room for 6 more
        assertEquals(-1, c.applier);
        assertEquals(1, s.load(System.nanoTime()).roomWaits(), "counted for the tuner");
        assertFalse(s.resume(), "applier 3 never ran: it needs a worker");
        s.added();
        assertEquals(3, s.active());
        assertEquals(2, c.applier, "assigned to the added applier");
        assertEquals(List.of(c), s.take(2, 100));
        assertThrows(IllegalStateException.class, s::added, "no fourth applier");
    }

    /**
     * A retired applier applies and commits what its queue holds, then its take returns null; a transaction that
     * depends on its work waits for that commit instead of queueing behind it, and then goes to an active applier.
     */
    @Test
    void aRetiredApplierDrainsItsQueueAndItsDependentsWaitForItsCommit() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(2, 2, false, 10, 0, ParallelScheduler.FILL_NANOS);
        ParallelUnit t1 = insert(1), t2 = insert(2);
        s.dispatch(t1);
        s.dispatch(t2);
        assertEquals(List.of(0, 1), List.of(t1.applier, t2.applier));
        s.retire();
        assertEquals(1, s.active());
        assertThrows(IllegalStateException.class, s::retire, "the last applier stays");
        ParallelUnit t3 = update(2, 200);
        s.dispatch(t3);
        assertEquals(-1, t3.applier, "not queued behind T2 on the retired applier");
        ParallelUnit t4 = insert(300); // after T3 in trail order
        s.dispatch(t4);
        assertEquals(0, t4.applier, "independent work goes to the active applier only");
        List<ParallelUnit> drained = s.take(1, 100);
        assertEquals(List.of(t2), drained, "the retired applier still applies its queue");
        s.completed(drained);
        assertEquals(0, t3.applier, "after T2's commit T3 goes to the active applier");
        assertNull(s.take(1, 100), "its queue done, the retired applier's worker stops");
        assertFalse(s.resume(), "its worker stopped: a new one is needed to add it again");
    }

    /** A retired applier still draining its queue takes work again when added back; one waiting for work stops at once. */
    @Test
    void aRetiredApplierStillRunningIsResumedAndAnIdleOneStops() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(3, 3, false, 10, 0, ParallelScheduler.FILL_NANOS);
        ParallelUnit t1 = insert(1), t2 = insert(2);
        s.dispatch(t1);
        s.dispatch(t2);
        assertEquals(1, t2.applier);
        java.util.concurrent.atomic.AtomicReference<Object> took = new java.util.concurrent.atomic.AtomicReference<>("nothing yet");
        Thread idle = start(() -> took.set(s.take(2, 100)));
        awaitState(idle, Thread.State.WAITING);
        s.retire();
        idle.join(10_000);
        assertFalse(idle.isAlive(), "the idle applier 3 was woken");
        assertNull(took.get(), "and stopped: retired while it waited for work");
        s.retire(); // applier 2, T2 still queued
        assertTrue(s.resume(), "applier 2's worker runs: it simply takes work again");
        assertEquals(2, s.active());
        ParallelUnit t3 = update(2, 200);
        s.dispatch(t3);
        assertEquals(1, t3.applier, "queued behind T2 again");
        assertFalse(s.resume(), "applier 3's worker stopped");
    }

    /**
     * The scheduler alone, appliers on threads of their own, while the trail thread retires and adds appliers at
     * random every 25 transactions (new threads for stopped appliers, resumed ones still draining): 1,500
     * transactions of 1 to 3 updates over 25 rows, so most depend on earlier ones. Every transaction commits, and
     * the commits of each row come in trail order.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void dependentsStayInOrderWhileAppliersComeAndGo(boolean full) throws Exception {
        schema();
        java.util.Random rnd = new java.util.Random(20261207L + (full ? 1 : 0));
        List<ParallelUnit> units = new java.util.ArrayList<>();
        List<long[]> rowsOf = new java.util.ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            Tx t = tx("1.4." + i, 10_000 + i);
            long[] ids = new long[1 + rnd.nextInt(3)];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = rnd.nextInt(25);
                t.update(db.t("A"), img("ID", ids[k]), img("ID", ids[k], "V", "w" + i));
            }
            units.add(ParallelReplicatTest.unit(conn, plans, tables, t));
            rowsOf.add(ids);
        }
        ParallelScheduler s = new ParallelScheduler(4, 2, full, 6, 0, 1_000_000L);
        java.util.Map<ParallelUnit, long[]> ids = new java.util.IdentityHashMap<>();
        for (int i = 0; i < units.size(); i++) ids.put(units.get(i), rowsOf.get(i));
        java.util.Map<Long, List<Long>> commits = new java.util.HashMap<>(); // row -> ordinals of its commits
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.IntConsumer worker = applier -> {
            Thread w = new Thread(() -> {
                try {
                    List<ParallelUnit> taken;
                    while ((taken = s.take(applier, 6)) != null) {
                        if (full) s.awaitTurn(taken.get(0));
                        synchronized (commits) {
                            for (ParallelUnit u : taken) {
                                for (long row : ids.get(u)) commits.computeIfAbsent(row, r -> new java.util.ArrayList<>()).add(u.ordinal);
                            }
                        }
                        s.completed(taken);
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                    s.failed(new RuntimeException(e));
                }
            }, "applier " + (applier + 1));
            w.setDaemon(true);
            threads.add(w);
            w.start();
        };
        worker.accept(0);
        worker.accept(1);
        int steps = 0;
        for (int i = 0; i < units.size(); i++) {
            s.dispatch(units.get(i));
            if (i % 25 != 24) continue;
            int active = s.active();
            if (active > 1 && (active == 4 || rnd.nextBoolean())) {
                s.retire();
            } else if (!s.resume()) {
                s.added(); // active first, then its worker: as ParallelAppliers does
                worker.accept(active);
            }
            steps++;
        }
        assertTrue(s.drain(TimeUnit.SECONDS.toNanos(30)), "every transaction committed");
        s.close();
        for (Thread t : threads) t.join(10_000);
        assertNull(failed.get());
        assertEquals(1500, s.committed()[0]);
        assertTrue(steps >= 50 && threads.size() > 2, steps + " steps, " + threads.size() + " worker threads");
        for (var e : commits.entrySet()) {
            List<Long> order = e.getValue();
            for (int k = 1; k < order.size(); k++) {
                assertTrue(order.get(k - 1) <= order.get(k), "row " + e.getKey() + " committed out of trail order: " + order);
            }
        }
    }

    /** The tuner's figures: an active applier's wait for work (an empty queue, one to fill, FULL's turn) counts while it lasts. */
    @Test
    void theLoadCountsTheActiveAppliersWaitsWhileTheyLast() throws Exception {
        schema();
        ParallelScheduler s = new ParallelScheduler(2, 2, false, 10, 0, ParallelScheduler.FILL_NANOS);
        Thread a0 = start(() -> s.take(0, 100));
        awaitState(a0, Thread.State.WAITING);
        long t = System.nanoTime();
        Thread.sleep(50);
        ParallelScheduler.Load l = s.load(System.nanoTime());
        assertTrue(l.idleNanos() >= System.nanoTime() - t - SECOND && l.idleNanos() >= 50_000_000L, "idle " + l.idleNanos());
        assertEquals(2, l.active());
        s.close();
        a0.join(10_000);
        // waiting for a queue holding less than a commit's worth to fill counts too
        ParallelScheduler f = new ParallelScheduler(1, 1, false, 100, 0, TimeUnit.MINUTES.toNanos(1));
        f.dispatch(insert(1));
        Thread a1 = start(() -> f.take(0, 100));
        awaitState(a1, Thread.State.TIMED_WAITING);
        Thread.sleep(50);
        assertTrue(f.load(System.nanoTime()).idleNanos() >= 50_000_000L, "idle " + f.load(System.nanoTime()).idleNanos());
        f.close();
        a1.join(10_000);
        // FULL: waiting for its turn to commit counts too (commit order, not connections, bounds it meanwhile)
        ParallelScheduler ft = new ParallelScheduler(2, 2, true, 10, 0, ParallelScheduler.FILL_NANOS);
        ParallelUnit first = insert(2), second = insert(3);
        ft.dispatch(first);
        ft.dispatch(second);
        assertEquals(1, second.applier);
        assertEquals(List.of(second), ft.take(1, 10));
        long before = ft.load(System.nanoTime()).idleNanos();
        Thread turn = start(() -> ft.awaitTurn(second));
        awaitState(turn, Thread.State.WAITING);
        Thread.sleep(50);
        assertTrue(ft.load(System.nanoTime()).idleNanos() - before >= 50_000_000L, "turn wait counted");
        ft.completed(ft.take(0, 10));
        turn.join(10_000);
        assertFalse(turn.isAlive(), "its turn came");
        ft.close();
    }

    /**
     * A whole apply with MIN_APPLY_PARALLELISM 1 and MAX_APPLY_PARALLELISM 3 and a pause after each exchange: it
     * starts with 2 appliers, retires one while they wait for work, and the target still holds the source's rows
     * ({@link BatchOrderTest}'s dense history: dependent keys, a keyless table, a foreign key), with no replay.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void appliersRetiredWhileIdleLoseNothing(TargetDb.Kind kind) throws Exception {
        BatchOrderTest t = tunedHistory(100, a -> a.setGroupTransOps(50));
        t.afterExchange = () -> {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        try {
            t.play(kind, 40);
        } finally {
            t.tearDown();
        }
        String report = java.nio.file.Files.readString(io.redotrail.report.ReportFile.pathOf(dir, "REP1"));
        assertTrue(report.contains("RTR-01311") && report.contains("APPLY_PARALLELISM tuned between MIN_APPLY_PARALLELISM 1 and "
                + "MAX_APPLY_PARALLELISM 3, starting with 2 appliers"), report);
        assertTrue(report.contains("RTR-01312") && report.contains("retired applier 2, 1 of MAX_APPLY_PARALLELISM 3 apply now: "
                + "the appliers waited for work"), report);
        // the redotrail_apply_appliers gauge: as many as the last step left (steps are taken only while an exchange is processed)
        java.util.regex.Matcher last = java.util.regex.Pattern.compile("(\\d+) of MAX_APPLY_PARALLELISM 3 apply now").matcher(report);
        String n = null;
        while (last.find()) n = last.group(1);
        assertEquals(Integer.parseInt(n), t.applier.applyView().appliers());
    }

    /**
     * Appliers added and retired between every two exchanges (2, 3, 2, 1, 2, 3, ...: new workers and connections,
     * retired ones draining their queues and stopping, one resumed while still draining), on H2 and PostgreSQL,
     * COMMIT_SERIALIZATION both ways: the target holds the source's rows, no replay, and every applier committed.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"H2, DEPENDENT_TRANSACTIONS", "H2, FULL", "POSTGRESQL, DEPENDENT_TRANSACTIONS",
            "POSTGRESQL, FULL"})
    void appliersAddedAndRetiredBetweenExchangesLoseNothing(TargetDb.Kind kind, String serialization) throws Exception {
        BatchOrderTest t = tunedHistory(60_000, a -> { // no step of the tuner's own: the test's only
            a.setCommitSerialization(serialization);
            a.setGroupTransOps(20);
        });
        Step[] cycle = {Step.ADD, Step.RETIRE, Step.RETIRE, Step.ADD};
        int[] exchanges = {0};
        int[] active = {2};
        t.afterExchange = () -> {
            Step step = cycle[exchanges[0]++ % cycle.length];
            t.applier.parallelStep(step);
            active[0] += step == Step.ADD ? 1 : -1;
            // SEND REPLICAT REP1, STATUS
            assertEquals("Appliers: " + active[0] + " (tuned between MIN_APPLY_PARALLELISM 1 and MAX_APPLY_PARALLELISM 3, "
                    + exchanges[0] + " step(s))", t.applier.runtime().statusDetail());
        };
        try {
            t.play(kind, 40);
            String report = java.nio.file.Files.readString(io.redotrail.report.ReportFile.pathOf(dir, "REP1"));
            assertEquals(exchanges[0], report.split("RTR-01312", -1).length - 1, report);
            assertTrue(report.contains("added applier 3, 3 of MAX_APPLY_PARALLELISM 3") && report.contains("retired applier 2, 1 of"), report);
            // every applier committed something: each has its row in the checkpoint table
            List<List<Object>> rows = t.db.rows("SELECT GROUP_KEY FROM " + t.db.schema + ".CHECKPOINT WHERE GROUP_KEY <> "
                    + GroupKey.of("REP1", HomeIdentity.of(dir)) + " AND GROUP_NAME = 'REP1'");
            assertEquals(3, rows.size(), "applier rows: " + rows);
        } finally {
            t.tearDown();
        }
    }

    /**
     * An applier that cannot connect is not added: a warning (RTR-01313) names it and the reason, and the appliers
     * running apply the rest. Here the target refuses the password the Replicat now holds.
     */
    @Test
    void anApplierThatCannotConnectIsAWarningNotAnAbend() throws Exception {
        BatchOrderTest t = tunedHistory(60_000, a -> { });
        int[] exchanges = {0};
        t.afterExchange = () -> {
            if (exchanges[0]++ != 2) return;
            String password = t.applier.password();
            t.applier.setPassword("not the password");
            t.applier.parallelStep(Step.ADD);
            t.applier.setPassword(password);
            assertEquals(2, t.applier.applyView().appliers(), "still the 2 appliers it started with");
        };
        try {
            t.play(TargetDb.Kind.H2, 40);
        } finally {
            t.tearDown();
        }
        String report = java.nio.file.Files.readString(io.redotrail.report.ReportFile.pathOf(dir, "REP1"));
        assertTrue(report.contains("RTR-01313") && report.contains("REP1: cannot connect applier 3 (a test's step): ")
                && report.contains("; applying with 2"), report);
        assertFalse(report.contains("RTR-01312"), "no step was taken: " + report);
    }

    /** {@link BatchOrderTest}'s history for a parallel Replicat with MIN_APPLY_PARALLELISM 1 and MAX 3, and {@code more}. */
    private BatchOrderTest tunedHistory(long tuneMillis, java.util.function.Consumer<ReplicatApplier> more) {
        BatchOrderTest t = new BatchOrderTest();
        t.dir = dir;
        t.configure = a -> {
            a.setParallel(true);
            a.setMinApplyParallelism(1);
            a.setMaxApplyParallelism(3);
            a.setApplyTuneMillis(tuneMillis);
            more.accept(a);
        };
        return t;
    }

    // ---- the tuner ----------------------------------------------------------------------------------------------

    private static ParallelScheduler.Load load(int active, double idleSeconds, double blockedSeconds, long roomWaits, long ops) {
        return new ParallelScheduler.Load(active, (long) (idleSeconds * SECOND), (long) (blockedSeconds * SECOND), roomWaits, ops);
    }

    @Test
    void appliersThatWaitForWorkMoreThanHalfTheTimeAreRetiredDownToMin() {
        ApplierTuner t = new ApplierTuner(2, 6, SECOND);
        t.baseline(load(4, 0, 0, 0, 0), 0);
        assertEquals(Step.HOLD, t.step(load(4, 3.9, 0, 0, 100), SECOND / 2), "within the interval");
        assertEquals(Step.RETIRE, t.step(load(4, 2.4, 0, 0, 100), SECOND), "idle 60 %: " + t.why());
        assertTrue(t.why().contains("60 %"), t.why());
        t.baseline(load(2, 0, 0, 0, 0), SECOND);
        assertEquals(Step.HOLD, t.step(load(2, 2.0, 0, 0, 0), 2 * SECOND), "at MIN_APPLY_PARALLELISM");
    }

    @Test
    void busyAppliersGainOneWhenWorkWaitsForAnApplierUpToMax() {
        ApplierTuner t = new ApplierTuner(1, 4, SECOND);
        t.baseline(load(3, 0, 0, 0, 0), 0);
        assertEquals(Step.HOLD, t.step(load(3, 0.6, 0, 5, 1000), SECOND), "idle 20 %: between the thresholds");
        assertEquals(Step.ADD, t.step(load(3, 0.6 + 0.2, 0, 6, 2000), 2 * SECOND), "idle 7 %, a full-queue wait: " + t.why());
        assertTrue(t.why().contains("1 independent transaction(s) found every applier's queue full"), t.why());
        t.baseline(load(4, 0.8, 0, 6, 2000), 2 * SECOND);
        assertEquals(Step.HOLD, t.step(load(4, 0.8, 0, 50, 3500), 3 * SECOND), "it gained: 1,500 against 1,000 operations/s; at MAX");
        ApplierTuner b = new ApplierTuner(1, 4, SECOND);
        b.baseline(load(2, 0, 0, 0, 0), 0);
        assertEquals(Step.ADD, b.step(load(2, 0.1, 0.3, 0, 100), SECOND), "the trail thread waited at the limit 30 %");
        assertTrue(b.why().contains("in-flight limit 30 %"), b.why());
    }

    /** An added applier that gains nothing is given back, and no step up is tried for ten intervals. */
    @Test
    void anAddedApplierThatGainsNothingIsGivenBack() {
        ApplierTuner t = new ApplierTuner(1, 8, SECOND);
        t.baseline(load(2, 0, 0, 0, 0), 0);
        assertEquals(Step.ADD, t.step(load(2, 0, 0, 3, 10_000), SECOND));
        t.baseline(load(3, 0, 0, 3, 10_000), SECOND);
        assertEquals(Step.RETIRE, t.step(load(3, 0, 0, 9, 20_300), 2 * SECOND), "10,300 operations/s against 10,000: " + t.why());
        assertTrue(t.why().contains("gained nothing"), t.why());
        t.baseline(load(2, 0, 0, 9, 20_300), 2 * SECOND);
        for (int i = 3; i < 12; i++) {
            assertEquals(Step.HOLD, t.step(load(2, 0, 0, 9 + i, 20_300 + i * 10_000L), i * SECOND), "interval " + i);
        }
        assertEquals(Step.ADD, t.step(load(2, 0, 0, 30, 200_000), 12 * SECOND), "ten intervals later");
    }

    @Test
    void theRangeIsCheckedAndTheStartIsItsMiddle() {
        assertEquals(4, ApplierTuner.initial(2, 6));
        assertEquals(1, ApplierTuner.initial(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new ApplierTuner(3, 2, SECOND));
        ReplicatApplier r = new ReplicatApplier();
        assertFalse(r.isApplyParallelismTuned());
        r.setMinApplyParallelism(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::isApplyParallelismTuned);
        assertTrue(e.getMessage().contains("MIN_APPLY_PARALLELISM") && e.getMessage().contains("MAX_APPLY_PARALLELISM"), e.getMessage());
        r.setMaxApplyParallelism(1);
        e = assertThrows(IllegalArgumentException.class, r::isApplyParallelismTuned);
        assertTrue(e.getMessage().contains("MIN_APPLY_PARALLELISM 2 is above MAX_APPLY_PARALLELISM 1"), e.getMessage());
        r.setMaxApplyParallelism(6);
        assertTrue(r.isApplyParallelismTuned());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(Body b) {
        Thread t = new Thread(() -> {
            try {
                b.run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitState(Thread t, Thread.State state) {
        long deadline = System.nanoTime() + 10 * SECOND;
        while (t.getState() != state && t.isAlive() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(state, t.getState());
    }
}
