package io.redotrail.scenario;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoOp;
import io.redotrail.scenario.Step.Literal;
import io.redotrail.sim.ColumnDef;
import io.redotrail.sim.ColumnType;
import io.redotrail.sim.OpenTransaction;
import io.redotrail.sim.RedoLogSink;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceRecovery;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.sim.WorkloadConfig;
import io.redotrail.sim.WorkloadGenerator;
import io.redotrail.sim.WorkloadStats;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The scripted source database session: named transactions whose row changes go to the real redo writers
 * (through {@link RedoLogSink}, one writer per redo thread) and, once committed, to the source H2 database.
 * Allocates SCNs and XIDs exactly as {@link WorkloadGenerator} does: every record takes the next SCN after the
 * sink's last one (so SCNs continue from the redo already in the home and stay globally increasing across
 * threads), and the XID is assigned with the first change as {@code usn.slot.sqn} with sqn = that change's SCN
 * (unique because SCNs never repeat): {@link OpenTransaction#emit}, the generator's own. Row locks and the
 * transaction's private view are the generator's too ({@link OpenTransaction}, {@code TableModel}, kept by
 * {@link SourceRows}): a row changed by an open transaction is locked until it ends; before images are the
 * committed row (read from the source database, so keys compare as SQL compares them) plus the transaction's own
 * changes. {@link ScriptValues} turns the script's literals into column values. The sink is flushed (with heartbeats
 * for idle threads) before a commit is applied to the source, so the redo is never behind the source. Not
 * thread-safe.
 */
public final class ScriptedSource implements AutoCloseable {
    private final SourceDatabase db;
    private final RedoLogSink sink;
    private final Connection reader;
    private final SourceSchema schema;
    private final Clock clock;
    private final Map<String, OpenTransaction> open = new LinkedHashMap<>();
    private final SourceRows rows;
    private final ScriptValues columnValues;
    /** Where each transaction (open or ended) wrote its first record, for {@code sequence of TX}. */
    private final Map<String, RedoPosition> firstRecord = new HashMap<>();
    private final Map<String, Integer> threadOf = new HashMap<>();

    /**
     * Opens redo threads 1..{@code threads} of {@code home} (resuming what is there) and the source database
     * with {@code schema} (tables created if missing).
     */
    public ScriptedSource(java.nio.file.Path home, SourceSchema schema, int threads,
                          java.util.function.IntFunction<RedoLogConfig> redo, Clock clock, Predicate<String> selectedTable) {
        this.schema = schema;
        this.clock = clock;
        this.sink = RedoLogSink.open(threads, redo, clock, selectedTable);
        this.db = SourceDatabase.open(home, schema);
        try {
            SourceRecovery.recover(db, sink, clock); // a workload killed before applying all it wrote to the redo
            this.reader = DriverManager.getConnection(SourceDatabase.jdbcUrl(home), "sa", "");
            this.reader.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            db.close();
            sink.close();
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException("cannot open source database: " + e.getMessage(), e);
        }
        this.rows = new SourceRows(reader, this::nameOf);
        this.columnValues = new ScriptValues(clock);
        sink.flush();
    }

    /** SCN of the last record written, the database's current SCN. */
    public long lastScn() {
        return sink.lastScn().value();
    }

    /** CSN of the last committed transaction that changed a selected table (0 when none yet). */
    public long lastSelectedCommitScn() {
        return sink.lastSelectedCommitScn();
    }

    public java.util.Set<Integer> threads() {
        return sink.threads();
    }

    public void begin(String tx, int thread) {
        if (open.containsKey(tx)) throw new IllegalArgumentException("transaction " + tx + " is already open");
        if (!sink.threads().contains(thread)) {
            throw new IllegalArgumentException("redo thread " + thread + " is not open (threads " + sink.threads() + ")");
        }
        open.put(tx, new OpenTransaction(thread));
        threadOf.put(tx, thread);
    }

    /** Inserts one row; columns not given are NULL (nullable) or a default of their type (NOT NULL). */
    public RowChange insert(String txName, String table, Map<String, Literal> values) {
        OpenTransaction tx = tx(txName);
        TableDef t = table(table);
        for (String c : values.keySet()) {
            if (t.indexOf(c) < 0) throw new IllegalArgumentException(table + " has no column " + c + " (columns " + columnNames(t) + ")");
        }
        Object[] row = new Object[t.columnCount()];
        for (int i = 0; i < row.length; i++) {
            ColumnDef c = t.column(i);
            Literal v = values.get(c.name());
            row[i] = v != null ? columnValues.value(t, c, v) : c.nullable() ? null : columnValues.defaultValue(c);
            if (row[i] == null && !c.nullable()) throw new IllegalArgumentException(table + "." + c.name() + " cannot be NULL");
        }
        List<Object> key = t.keyOf(row);
        if (rows.exists(tx, t, key)) throw new IllegalArgumentException("ORA-00001: unique constraint violated: " + table + " key " + key + " exists");
        rows.lock(tx, t, key);
        int last = t.keyIndexes()[t.keyIndexes().length - 1];
        rows.keysTakenBelow(t, (Long) row[last] + 1);
        return change(tx, t, key, new RowChange(t.name(), ChangeOp.INSERT, null, t.image(row)), row);
    }

    /** Inserts {@code n} generated rows with fresh keys (last key column counting up; other key columns 1). */
    public void insertRows(String txName, String table, long n) {
        OpenTransaction tx = tx(txName);
        TableDef t = table(table);
        int[] keys = t.keyIndexes();
        long next = rows.nextKey(t);
        for (long r = 0; r < n; r++) {
            long id = next + r;
            Object[] row = new Object[t.columnCount()];
            for (int i = 0; i < row.length; i++) row[i] = columnValues.generated(t.column(i), id);
            for (int k = 0; k < keys.length - 1; k++) row[keys[k]] = t.column(keys[k]).type() == ColumnType.LONG ? 1L : row[keys[k]];
            row[keys[keys.length - 1]] = id;
            List<Object> key = t.keyOf(row);
            if (rows.exists(tx, t, key)) throw new IllegalArgumentException("ORA-00001: generated key " + key + " of " + table + " exists");
            rows.lock(tx, t, key);
            change(tx, t, key, new RowChange(t.name(), ChangeOp.INSERT, null, t.image(row)), row);
        }
        rows.keysTakenBelow(t, next + n);
    }

    public void update(String txName, String table, Map<String, Literal> set, Map<String, Literal> where) {
        OpenTransaction tx = tx(txName);
        TableDef t = table(table);
        List<Object> key = columnValues.key(t, where);
        Object[] before = rows.current(tx, t, key);
        if (before == null) throw new IllegalArgumentException("no row of " + table + " where " + where.values() + " (0 rows updated)");
        rows.lock(tx, t, key);
        Object[] after = before.clone();
        boolean keyChanged = false;
        for (Map.Entry<String, Literal> e : set.entrySet()) {
            int i = t.indexOf(e.getKey());
            if (i < 0) throw new IllegalArgumentException(table + " has no column " + e.getKey());
            ColumnDef c = t.column(i);
            after[i] = columnValues.value(t, c, e.getValue());
            if (after[i] == null && !c.nullable()) throw new IllegalArgumentException(table + "." + c.name() + " cannot be NULL");
            if (t.isKeyColumn(i) && !java.util.Objects.equals(before[i], after[i])) keyChanged = true;
        }
        if (!keyChanged) {
            change(tx, t, key, new RowChange(t.name(), ChangeOp.UPDATE, t.image(before), t.image(after)), after);
            return;
        }
        List<Object> newKey = t.keyOf(after);
        if (rows.exists(tx, t, newKey)) throw new IllegalArgumentException("ORA-00001: " + table + " key " + newKey + " exists");
        rows.lock(tx, t, newKey);
        tx.write(rows.model(t), key, null);
        change(tx, t, newKey, new RowChange(t.name(), ChangeOp.PK_UPDATE, t.image(before), t.image(after)), after);
    }

    public void delete(String txName, String table, Map<String, Literal> where) {
        OpenTransaction tx = tx(txName);
        TableDef t = table(table);
        List<Object> key = columnValues.key(t, where);
        Object[] before = rows.current(tx, t, key);
        if (before == null) throw new IllegalArgumentException("no row of " + table + " where " + where.values() + " (0 rows deleted)");
        rows.lock(tx, t, key);
        change(tx, t, key, new RowChange(t.name(), ChangeOp.DELETE, t.image(before), null), null);
    }

    /** COMMIT: the record, fsync of every thread, then the changes in the source database. Returns the CSN (0 if empty). */
    public long commit(String txName) {
        OpenTransaction tx = tx(txName);
        long csn = 0;
        if (tx.xid() != null) {
            csn = emit(txName, tx, RedoOp.COMMIT, null);
            sink.flush();
            db.applyTransaction(tx.changes(), csn);
        }
        tx.commitInto();
        open.remove(txName);
        return csn;
    }

    public void rollback(String txName) {
        OpenTransaction tx = tx(txName);
        if (tx.xid() != null) {
            emit(txName, tx, RedoOp.ROLLBACK, null);
            sink.flush();
        }
        tx.discard();
        open.remove(txName);
    }

    /** Number of row changes of an open transaction so far. */
    public int changes(String txName) {
        return tx(txName).changes().size();
    }

    public Xid xid(String txName) {
        return tx(txName).xid();
    }

    /** Where a transaction (open or ended) wrote its first record. */
    public RedoPosition firstRecord(String txName) {
        RedoPosition p = firstRecord.get(txName);
        if (p == null) {
            throw new IllegalArgumentException(threadOf.containsKey(txName) ? "transaction " + txName + " wrote no redo yet"
                    : "no transaction " + txName + " in this script");
        }
        return p;
    }

    /** ALTER SYSTEM SWITCH LOGFILE on one thread (null: every thread, ARCHIVE LOG CURRENT). */
    public void switchLogFile(Integer thread) {
        for (int t : thread == null ? List.copyOf(sink.threads()) : List.of(thread)) sink.switchLogFile(t);
        sink.flush();
    }

    /** Makes everything written durable (with heartbeats for idle threads). */
    public void flush() {
        sink.flush();
    }

    /**
     * Runs the workload generator on {@code tables} through the same redo and source database (SCNs continue;
     * open scripted transactions may stay open unless they changed one of those tables).
     */
    public WorkloadStats simulate(int transactions, long seed, List<String> tables) {
        for (Map.Entry<String, OpenTransaction> tx : open.entrySet()) {
            for (String t : tx.getValue().tables()) {
                if (tables.contains(t)) {
                    throw new IllegalArgumentException("simulate changes " + t + ", where open transaction " + tx.getKey()
                            + " holds row locks; end it first");
                }
            }
        }
        WorkloadConfig wc = WorkloadConfig.defaults().withTransactions(transactions).withSeed(seed)
                .withThreads(sink.threads().size()).withTables(tables);
        WorkloadStats s = new WorkloadGenerator(db, sink, wc, clock).run();
        rows.forgetKeys(); // the generator made keys of its own
        return s;
    }

    // ---------------------------------------------------------------- internals

    private OpenTransaction tx(String name) {
        OpenTransaction tx = open.get(name);
        if (tx == null) {
            if (threadOf.containsKey(name)) throw new IllegalArgumentException("transaction " + name + " has ended");
            begin(name, 1); // like Oracle: the first DML begins a transaction
            tx = open.get(name);
        }
        return tx;
    }

    private TableDef table(String name) {
        try {
            return schema.table(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no table " + name + " (tables: "
                    + schema.tables().stream().map(TableDef::name).toList() + "; add it with 'create table')");
        }
    }

    private RowChange change(OpenTransaction tx, TableDef t, List<Object> key, RowChange c, Object[] row) {
        tx.write(rows.model(t), key, row);
        tx.addChange(c);
        emit(nameOf(tx), tx, RedoOp.of(c.op()), c);
        return c;
    }

    private long emit(String name, OpenTransaction tx, RedoOp op, RowChange change) {
        long scn = sink.lastScn().value() + 1;
        boolean first = tx.xid() == null;
        RedoPosition p = tx.emit(sink, op, Scn.of(scn), clock.millis(), change);
        if (first) firstRecord.put(name, p);
        return scn;
    }

    private String nameOf(OpenTransaction tx) {
        for (Map.Entry<String, OpenTransaction> e : open.entrySet()) {
            if (e.getValue() == tx) return e.getKey();
        }
        throw new IllegalStateException("transaction " + tx.xid() + " is not open");
    }

    private static List<String> columnNames(TableDef t) {
        return t.columns().stream().map(ColumnDef::name).toList();
    }

    /** Open transactions, by name. */
    public java.util.Set<String> openTransactions() {
        return java.util.Collections.unmodifiableSet(open.keySet());
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            reader.close();
        } catch (SQLException e) {
            failure = new IllegalStateException(e.getMessage(), e);
        }
        try {
            db.close();
        } catch (RuntimeException e) {
            if (failure == null) failure = e;
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            if (failure == null) failure = e;
        }
        if (failure != null) throw failure;
    }
}
