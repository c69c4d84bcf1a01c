package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.redo.RedoOp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Plays an OLTP workload against the simulated source: interleaved transactions whose row changes go to a
 * {@link RedoSink} (one fresh SCN per record) and, once committed, to the {@link SourceDatabase}.
 * <p>
 * Rules it keeps, as Oracle would: a row touched by an open transaction is locked until that transaction
 * ends; before images are the committed row plus the transaction's own earlier changes; the XID comes with
 * the first change; COMMIT's SCN is the CSN; rolled-back changes never reach the source. Commits are grouped:
 * the sink is flushed first, then the group is applied to the source in commit order, so the redo is never
 * behind the source. Applying runs on a {@link SourceApplier} thread, overlapping with generating the next
 * group; {@link #run()} returns once everything committed is in the source. The committed model is loaded from the source at the start of each {@link #run()},
 * and SCNs continue after {@link RedoSink#lastScn()}, so repeated runs on one home keep adding without
 * collisions (XID sequence = SCN of the first change, hence unique too).
 * <p>
 * RAC: with {@code threads} > 1 each transaction is assigned a redo thread round-robin (its session's
 * instance); SCNs stay global and strictly increasing. Long-running transactions ({@code longTxRatio}) make
 * their changes like the others, then stay open until {@code longTxMillis} of clock time and
 * {@code longTxOtherCommits} other commits have passed; they do not count against {@code maxOpenTransactions}.
 * {@code rowsPerSecond} throttles: with the real clock by sleeping, with a {@link SimulatedClock} by advancing it
 * (so simulated time passes at that rate however fast the generator runs). Record timestamps come from the clock.
 * <p>
 * Deterministic for a given seed and starting state, except for timestamps, which come from the clock.
 * Not thread-safe: one thread runs it (the sink is only called from that thread); the source database and
 * sink must not be used by others meanwhile.
 */
public final class WorkloadGenerator {
    /** Attempts at finding an unlocked row before an update/delete turns into an insert. */
    private static final int PICK_TRIES = 4;
    private static final double INSERT_SHARE = 0.40;
    private static final double DELETE_SHARE = 0.12;
    /** Chance that a change re-touches a row the transaction already changed. */
    private static final double OWN_ROW_SHARE = 0.2;
    /** Chance to begin another transaction while fewer than the maximum are open. */
    private static final double BEGIN_SHARE = 0.35;
    /** Commit groups that may wait for the source database while the generator runs ahead. */
    private static final int APPLY_QUEUE_GROUPS = 8;

    private final SourceDatabase db;
    private final RedoSink sink;
    private final WorkloadConfig config;
    private final Clock clock;

    private SplittableRandom rnd;
    private RowValues values;
    private List<TableModel> models;
    /** Tables transactions pick from (config.tables(), else all). */
    private List<TableModel> active;
    private long commits;
    private int begunCount;
    private Pacer pacer;
    private double owedMillis;
    private Map<String, TableModel> byName;
    private StatsCounter stats;
    private long scn;
    private long records;

    public WorkloadGenerator(SourceDatabase db, RedoSink sink, WorkloadConfig config) {
        this(db, sink, config, Clock.systemUTC());
    }

    public WorkloadGenerator(SourceDatabase db, RedoSink sink, WorkloadConfig config, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs {@code config.transactions()} transactions to their end; returns what was done. */
    public WorkloadStats run() {
        long started = System.nanoTime();
        rnd = new SplittableRandom(config.seed());
        values = new RowValues(rnd, config.lobRatio());
        commits = 0;
        begunCount = 0;
        owedMillis = 0;
        loadModels();
        stats = new StatsCounter(db.schema().tables());
        long firstScn = sink.lastScn().value() + 1;
        scn = firstScn - 1;
        records = 0;
        // after loading the models, so the schedule starts with the first change, not with a burst catching up on
        // the load; 5 ms of slack: sleeping less is not precise, and a 5 ms burst is steady at any rate a bench measures
        pacer = config.rowsPerSecond() > 0 && !(clock instanceof SimulatedClock)
                ? new Pacer(config.rowsPerSecond(), 5_000_000, System::nanoTime, WorkloadGenerator::sleepNanos) : null;

        if (!db.clean()) {
            throw new IllegalStateException("the source database may be behind its redo (a workload was interrupted at "
                    + "applied SCN " + db.appliedScn() + "): recover it first (SourceRecovery)");
        }
        db.workloadRunning(true, sink.lastScn().value());
        try (SourceApplier applier = new SourceApplier(db, APPLY_QUEUE_GROUPS)) {
            play(applier);
            applier.finish();
        }
        db.workloadRunning(false, -1);
        Scn first = records == 0 ? null : Scn.of(firstScn);
        Scn last = records == 0 ? null : Scn.of(scn);
        return stats.toStats(first, last, records, System.nanoTime() - started);
    }

    private void play(SourceApplier applier) {
        List<OpenTransaction> open = new ArrayList<>();
        List<OpenTransaction> workable = new ArrayList<>();
        List<List<RowChange>> group = new ArrayList<>();
        int begun = 0;
        int ended = 0;
        while (ended < config.transactions()) {
            int ordinaryOpen = 0;
            workable.clear();
            for (int i = 0; i < open.size(); i++) {
                OpenTransaction o = open.get(i);
                if (o.longRunning && o.full()) {
                    if (due(o)) { // a long transaction whose time has come
                        open.remove(i--);
                        ended++;
                        finish(o, applier, group);
                    }
                    continue;
                }
                if (!o.longRunning) ordinaryOpen++;
                workable.add(o);
            }
            if (ended >= config.transactions()) break;
            OpenTransaction tx;
            boolean mayBegin = begun < config.transactions() && ordinaryOpen < config.maxOpenTransactions();
            if (mayBegin && (workable.isEmpty() || rnd.nextDouble() < BEGIN_SHARE)) {
                tx = begin();
                open.add(tx);
                begun++;
            } else if (!workable.isEmpty()) {
                tx = workable.get(rnd.nextInt(workable.size()));
            } else {
                // only long transactions left, waiting: let their time pass, then end the oldest
                OpenTransaction oldest = open.get(0);
                awaitTime(oldest.beganMillis + config.longTxMillis());
                open.remove(0);
                ended++;
                finish(oldest, applier, group);
                continue;
            }
            change(tx);
            throttle();
            if (tx.full() && (!tx.longRunning || due(tx))) {
                open.remove(tx);
                ended++;
                finish(tx, applier, group);
            }
        }
        groupCommit(applier, group);
    }

    private void finish(OpenTransaction tx, SourceApplier applier, List<List<RowChange>> group) {
        if (end(tx)) {
            group.add(tx.changes());
            if (group.size() >= config.commitGroupSize()) groupCommit(applier, group);
        }
    }

    /** A long transaction may end: enough clock time and enough other commits have passed. */
    private boolean due(OpenTransaction tx) {
        return (config.longTxOtherCommits() == 0 || commits - tx.commitsBefore >= config.longTxOtherCommits())
                && (config.longTxMillis() == 0 || clock.millis() - tx.beganMillis >= config.longTxMillis());
    }

    /** Lets clock time reach {@code millis}: advances a simulated clock, sleeps on a real one. */
    private void awaitTime(long millis) {
        if (clock instanceof SimulatedClock sc) {
            sc.advanceTo(Instant.ofEpochMilli(millis));
            return;
        }
        long wait = millis - clock.millis();
        if (wait > 0) sleep(wait);
    }

    /**
     * Keeps to rowsPerSecond: on the real clock a {@link Pacer} (a steady schedule from the start of the run) sleeps,
     * a simulated clock is advanced by the time each change takes.
     */
    private void throttle() {
        if (pacer != null) {
            pacer.tick();
            return;
        }
        double rate = config.rowsPerSecond();
        if (rate <= 0) return;
        if (clock instanceof SimulatedClock sc) {
            owedMillis += 1000.0 / rate;
            if (owedMillis >= 1) {
                long ms = (long) owedMillis;
                owedMillis -= ms;
                sc.advance(Duration.ofMillis(ms));
            }
        }
    }

    private static void sleepNanos(long nanos) {
        sleep(nanos / 1_000_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("workload interrupted", e);
        }
    }

    private void loadModels() {
        Map<String, List<Object[]>> rows = db.loadRows();
        models = new ArrayList<>();
        byName = new LinkedHashMap<>();
        for (TableDef t : db.schema().tables()) {
            TableModel m = new TableModel(t, rows.get(t.name()));
            models.add(m);
            byName.put(t.name(), m);
        }
        active = new ArrayList<>();
        for (TableModel m : models) {
            if (config.tables().isEmpty() || config.tables().stream().anyMatch(p -> matches(p, m.def.name()))) active.add(m);
        }
        for (String p : config.tables()) {
            if (models.stream().noneMatch(m -> matches(p, m.def.name()))) {
                throw new IllegalArgumentException("workload table " + p + " matches no table of the source schema "
                        + models.stream().map(m -> m.def.name()).toList());
            }
        }
    }

    /** {@code OWNER.TABLE} or a pattern with {@code *} wildcards, case-insensitive. */
    static boolean matches(String pattern, String table) {
        String p = pattern.trim().toUpperCase(Locale.ROOT);
        StringBuilder re = new StringBuilder();
        for (char c : p.toCharArray()) re.append(c == '*' ? ".*" : java.util.regex.Pattern.quote(String.valueOf(c)));
        return table.toUpperCase(Locale.ROOT).matches(re.toString());
    }

    private OpenTransaction begin() {
        int size = config.minOpsPerTransaction()
                + rnd.nextInt(config.maxOpsPerTransaction() - config.minOpsPerTransaction() + 1);
        boolean rollback = rnd.nextDouble() < config.rollbackRatio();
        TableModel only = rnd.nextDouble() < config.multiTableRatio() ? null : active.get(rnd.nextInt(active.size()));
        boolean longRunning = config.longTxRatio() > 0 && rnd.nextDouble() < config.longTxRatio();
        int thread = 1 + begunCount++ % config.threads();
        return new OpenTransaction(size, rollback, only, thread, longRunning, clock.millis(), commits);
    }

    /** Makes one row change in {@code tx} and writes it to the redo. */
    private void change(OpenTransaction tx) {
        TableModel table = tx.onlyTable != null ? tx.onlyTable : active.get(rnd.nextInt(active.size()));
        long now = clock.millis();
        double r = rnd.nextDouble();
        RowChange change = null;
        if (r >= INSERT_SHARE) {
            List<Object> key = pickRow(tx, table);
            if (key != null) {
                if (r < INSERT_SHARE + config.pkUpdateRatio() && table.def.hasPrimaryKey()) {
                    change = pkUpdate(tx, table, key, now);
                } else if (r < INSERT_SHARE + config.pkUpdateRatio() + DELETE_SHARE) {
                    change = delete(tx, table, key);
                } else {
                    change = update(tx, table, key, now);
                }
            }
        }
        if (change == null) {
            change = insert(tx, table, now);
        }
        tx.addChange(change);
        emit(tx, RedoOp.of(change.op()), now, change);
    }

    private RowChange insert(OpenTransaction tx, TableModel table, long now) {
        List<Object> prefix = List.of();
        TableDef def = table.def;
        if (def.parentTable() != null) {
            TableModel parent = byName.get(def.parentTable());
            List<Object> parentKey = tx.randomOwnLiveKey(parent, rnd);
            if (parentKey == null) parentKey = parent.randomKey(rnd);
            if (parentKey == null) {
                return insert(tx, parent, now); // no parent row yet: make one first
            }
            prefix = parentKey;
        }
        List<Object> key = table.freshKey(prefix);
        Object[] row = values.newRow(def, key, now, this::randomAccountId);
        tx.write(table, key, row);
        return new RowChange(def.name(), ChangeOp.INSERT, null, def.image(row));
    }

    private RowChange update(OpenTransaction tx, TableModel table, List<Object> key, long now) {
        Object[] before = tx.view(table, key);
        Object[] after = values.updatedRow(table.def, before, now);
        tx.write(table, key, after);
        return new RowChange(table.def.name(), ChangeOp.UPDATE, table.def.image(before), table.def.image(after));
    }

    private RowChange delete(OpenTransaction tx, TableModel table, List<Object> key) {
        Object[] before = tx.view(table, key);
        tx.write(table, key, null);
        return new RowChange(table.def.name(), ChangeOp.DELETE, table.def.image(before), null);
    }

    private RowChange pkUpdate(OpenTransaction tx, TableModel table, List<Object> key, long now) {
        Object[] before = tx.view(table, key);
        List<Object> newKey = table.freshKey(key.subList(0, key.size() - 1));
        Object[] after = values.movedRow(table.def, before, newKey, now);
        tx.write(table, key, null);
        tx.write(table, newKey, after);
        return new RowChange(table.def.name(), ChangeOp.PK_UPDATE, table.def.image(before), table.def.image(after));
    }

    /** An existing row {@code tx} may change (free or its own), or null when none was found quickly. */
    private List<Object> pickRow(OpenTransaction tx, TableModel table) {
        if (rnd.nextDouble() < OWN_ROW_SHARE) {
            List<Object> own = tx.randomOwnLiveKey(table, rnd);
            if (own != null) return own;
        }
        for (int i = 0; i < PICK_TRIES; i++) {
            List<Object> key = table.randomKey(rnd);
            if (key == null) return null;
            OpenTransaction holder = table.lockHolder(key);
            if ((holder == null || holder == tx) && tx.view(table, key) != null) return key;
        }
        return null;
    }

    private Long randomAccountId() {
        TableModel accounts = byName.get(SourceSchema.ACCOUNT);
        List<Object> key = accounts == null ? null : accounts.randomKey(rnd);
        return key == null ? null : (Long) key.get(0);
    }

    /** Writes COMMIT or ROLLBACK; returns true when the transaction committed. */
    private boolean end(OpenTransaction tx) {
        long now = clock.millis();
        if (tx.willRollback) {
            emit(tx, RedoOp.ROLLBACK, now, null);
            tx.discard();
            stats.rolledBack(tx.changes());
            return false;
        }
        emit(tx, RedoOp.COMMIT, now, null);
        commits++;
        tx.commitInto();
        stats.committed(tx.changes());
        return true;
    }

    private void emit(OpenTransaction tx, RedoOp type, long now, RowChange change) {
        tx.emit(sink, type, Scn.of(++scn), now, change);
        records++;
        if (config.switchLogEveryRecords() > 0 && records % config.switchLogEveryRecords() == 0) {
            sink.switchLogFile(tx.thread);
        }
    }

    /** Redo first (durable), then the source, in commit order. */
    private void groupCommit(SourceApplier applier, List<List<RowChange>> group) {
        if (group.isEmpty()) return;
        sink.flush();
        // every commit so far is in this group or an earlier one: up to the last SCN written, the source is complete
        applier.submit(new SourceApplier.Group(new ArrayList<>(group), scn));
        group.clear();
    }
}
