package io.redotrail.redo.sim;

import io.redotrail.redo.RedoOp;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;

import java.time.Clock;
import java.util.ArrayList;
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
 * Deterministic for a given seed and starting state, except for timestamps, which come from the clock.
 * Not thread-safe: one thread runs it (the sink is only called from that thread); the source database and
 * sink must not be used by others meanwhile.
 */
public final class WorkloadGenerator {
    private static final int THREAD = 1;
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
        values = new RowValues(rnd);
        loadModels();
        stats = new StatsCounter(db.schema().tables());
        long firstScn = sink.lastScn().value() + 1;
        scn = firstScn - 1;
        records = 0;

        try (SourceApplier applier = new SourceApplier(db, APPLY_QUEUE_GROUPS)) {
            play(applier);
            applier.finish();
        }
        Scn first = records == 0 ? null : Scn.of(firstScn);
        Scn last = records == 0 ? null : Scn.of(scn);
        return stats.toStats(first, last, records, System.nanoTime() - started);
    }

    private void play(SourceApplier applier) {
        List<OpenTransaction> open = new ArrayList<>();
        List<List<RowChange>> group = new ArrayList<>();
        int begun = 0;
        int ended = 0;
        while (ended < config.transactions()) {
            OpenTransaction tx;
            boolean mayBegin = begun < config.transactions() && open.size() < config.maxOpenTransactions();
            if (mayBegin && (open.isEmpty() || rnd.nextDouble() < BEGIN_SHARE)) {
                tx = begin();
                open.add(tx);
                begun++;
            } else {
                tx = open.get(rnd.nextInt(open.size()));
            }
            change(tx);
            if (tx.full()) {
                open.remove(tx);
                ended++;
                if (end(tx)) {
                    group.add(tx.changes());
                    if (group.size() >= config.commitGroupSize()) groupCommit(applier, group);
                }
            }
        }
        groupCommit(applier, group);
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
    }

    private OpenTransaction begin() {
        int size = config.minOpsPerTransaction()
                + rnd.nextInt(config.maxOpsPerTransaction() - config.minOpsPerTransaction() + 1);
        boolean rollback = rnd.nextDouble() < config.rollbackRatio();
        TableModel only = rnd.nextDouble() < config.multiTableRatio() ? null : models.get(rnd.nextInt(models.size()));
        return new OpenTransaction(size, rollback, only);
    }

    /** Makes one row change in {@code tx} and writes it to the redo. */
    private void change(OpenTransaction tx) {
        TableModel table = tx.onlyTable != null ? tx.onlyTable : models.get(rnd.nextInt(models.size()));
        long now = clock.millis();
        double r = rnd.nextDouble();
        RowChange change = null;
        if (r >= INSERT_SHARE) {
            List<Object> key = pickRow(tx, table);
            if (key != null) {
                if (r < INSERT_SHARE + config.pkUpdateRatio()) {
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
        tx.commitInto();
        stats.committed(tx.changes());
        return true;
    }

    private void emit(OpenTransaction tx, RedoOp type, long now, RowChange change) {
        long s = ++scn;
        boolean first = tx.xid() == null;
        if (first) tx.assignXid(xidFor(s));
        sink.append(THREAD, type, tx.xid(), Scn.of(s), now, first, change);
        records++;
        if (config.switchLogEveryRecords() > 0 && records % config.switchLogEveryRecords() == 0) {
            sink.switchLogFile(THREAD);
        }
    }

    /** usn.slot.sqn with sqn = SCN of the first change: unique across runs because SCNs never repeat. */
    private static Xid xidFor(long firstScn) {
        return new Xid(1 + (int) (firstScn % 10), (int) ((firstScn / 10) % 48), firstScn);
    }

    /** Redo first (durable), then the source, in commit order. */
    private void groupCommit(SourceApplier applier, List<List<RowChange>> group) {
        if (group.isEmpty()) return;
        sink.flush();
        applier.submit(new ArrayList<>(group));
        group.clear();
    }
}
