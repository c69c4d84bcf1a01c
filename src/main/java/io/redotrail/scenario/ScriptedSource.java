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
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.sim.TableModel;
import io.redotrail.sim.WorkloadConfig;
import io.redotrail.sim.WorkloadGenerator;
import io.redotrail.sim.WorkloadStats;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
 * transaction's private view are the generator's too ({@link OpenTransaction}, {@link TableModel}): a row changed
 * by an open transaction is locked until it ends; before images are the committed row (read from the source
 * database, so keys compare as SQL compares them) plus the transaction's own changes. The sink is flushed (with heartbeats for idle
 * threads) before a commit is applied to the source, so the redo is never behind the source. Not thread-safe.
 */
public final class ScriptedSource implements AutoCloseable {
    private final SourceDatabase db;
    private final RedoLogSink sink;
    private final Connection reader;
    private final SourceSchema schema;
    private final Clock clock;
    private final Map<String, OpenTransaction> open = new LinkedHashMap<>();
    /** Row locks per table; committed rows come from the source database, not from these models. */
    private final Map<String, TableModel> models = new HashMap<>();
    private final Map<String, Long> nextKey = new HashMap<>();
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
            this.reader = DriverManager.getConnection(SourceDatabase.jdbcUrl(home), "sa", "");
            this.reader.setAutoCommit(true);
        } catch (SQLException e) {
            db.close();
            sink.close();
            throw new IllegalStateException("cannot open source database: " + e.getMessage(), e);
        }
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
            row[i] = v != null ? value(t, c, v) : c.nullable() ? null : defaultValue(c);
            if (row[i] == null && !c.nullable()) throw new IllegalArgumentException(table + "." + c.name() + " cannot be NULL");
        }
        List<Object> key = t.keyOf(row);
        if (exists(tx, t, key)) throw new IllegalArgumentException("ORA-00001: unique constraint violated: " + table + " key " + key + " exists");
        lock(tx, t, key);
        int last = t.keyIndexes()[t.keyIndexes().length - 1];
        nextKey.merge(t.name(), (Long) row[last] + 1, Math::max);
        return change(tx, t, key, new RowChange(t.name(), ChangeOp.INSERT, null, t.image(row)), row);
    }

    /** Inserts {@code n} generated rows with fresh keys (last key column counting up; other key columns 1). */
    public void insertRows(String txName, String table, long n) {
        OpenTransaction tx = tx(txName);
        TableDef t = table(table);
        int[] keys = t.keyIndexes();
        long next = nextKey(t);
        for (long r = 0; r < n; r++) {
            long id = next + r;
            Object[] row = new Object[t.columnCount()];
            for (int i = 0; i < row.length; i++) row[i] = generated(t.column(i), id);
            for (int k = 0; k < keys.length - 1; k++) row[keys[k]] = t.column(keys[k]).type() == ColumnType.LONG ? 1L : row[keys[k]];
            row[keys[keys.length - 1]] = id;
            List<Object> key = t.keyOf(row);
            if (exists(tx, t, key)) throw new IllegalArgumentException("ORA-00001: generated key " + key + " of " + table + " exists");
            lock(tx, t, key);
            change(tx, t, key, new RowChange(t.name(), ChangeOp.INSERT, null, t.image(row)), row);
        }
        nextKey.put(t.name(), next + n);
    }

    public void update(String txName, String table, Map<String, Literal> set, Map<String, Literal> where) {
        OpenTransaction tx = tx(txName);
        TableDef t = table(table);
        List<Object> key = key(t, where);
        Object[] before = current(tx, t, key);
        if (before == null) throw new IllegalArgumentException("no row of " + table + " where " + where.values() + " (0 rows updated)");
        lock(tx, t, key);
        Object[] after = before.clone();
        boolean keyChanged = false;
        for (Map.Entry<String, Literal> e : set.entrySet()) {
            int i = t.indexOf(e.getKey());
            if (i < 0) throw new IllegalArgumentException(table + " has no column " + e.getKey());
            ColumnDef c = t.column(i);
            after[i] = value(t, c, e.getValue());
            if (after[i] == null && !c.nullable()) throw new IllegalArgumentException(table + "." + c.name() + " cannot be NULL");
            if (t.isKeyColumn(i) && !java.util.Objects.equals(before[i], after[i])) keyChanged = true;
        }
        if (!keyChanged) {
            change(tx, t, key, new RowChange(t.name(), ChangeOp.UPDATE, t.image(before), t.image(after)), after);
            return;
        }
        List<Object> newKey = t.keyOf(after);
        if (exists(tx, t, newKey)) throw new IllegalArgumentException("ORA-00001: " + table + " key " + newKey + " exists");
        lock(tx, t, newKey);
        tx.write(model(t), key, null);
        change(tx, t, newKey, new RowChange(t.name(), ChangeOp.PK_UPDATE, t.image(before), t.image(after)), after);
    }

    public void delete(String txName, String table, Map<String, Literal> where) {
        OpenTransaction tx = tx(txName);
        TableDef t = table(table);
        List<Object> key = key(t, where);
        Object[] before = current(tx, t, key);
        if (before == null) throw new IllegalArgumentException("no row of " + table + " where " + where.values() + " (0 rows deleted)");
        lock(tx, t, key);
        change(tx, t, key, new RowChange(t.name(), ChangeOp.DELETE, t.image(before), null), null);
    }

    /** COMMIT: the record, fsync of every thread, then the changes in the source database. Returns the CSN (0 if empty). */
    public long commit(String txName) {
        OpenTransaction tx = tx(txName);
        long csn = 0;
        if (tx.xid() != null) {
            csn = emit(txName, tx, RedoOp.COMMIT, null);
            sink.flush();
            db.applyTransaction(tx.changes());
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
        nextKey.clear(); // the generator made keys of its own
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

    private TableModel model(TableDef t) {
        return models.computeIfAbsent(t.name(), n -> new TableModel(t, List.of()));
    }

    private RowChange change(OpenTransaction tx, TableDef t, List<Object> key, RowChange c, Object[] row) {
        tx.write(model(t), key, row);
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

    /** Row lock for {@code tx}; a row another open transaction holds refuses the script (a session would wait). */
    private void lock(OpenTransaction tx, TableDef t, List<Object> key) {
        OpenTransaction holder = model(t).lockHolder(key);
        if (holder != null && holder != tx) {
            String h = nameOf(holder);
            throw new IllegalArgumentException("row " + key + " of " + t.name() + " is locked by open transaction " + h
                    + " (a session would wait; end " + h + " first)");
        }
    }

    private boolean exists(OpenTransaction tx, TableDef t, List<Object> key) {
        TableModel m = model(t);
        if (tx.holds(m, key)) return tx.view(m, key) != null;
        OpenTransaction holder = m.lockHolder(key);
        if (holder != null && holder != tx) {
            throw new IllegalArgumentException("row " + key + " of " + t.name() + " is locked by open transaction " + nameOf(holder));
        }
        return committed(t, key) != null;
    }

    /** The row as {@code tx} sees it: its own latest image, else the committed one; null when absent. */
    private Object[] current(OpenTransaction tx, TableDef t, List<Object> key) {
        TableModel m = model(t);
        return tx.holds(m, key) ? tx.view(m, key) : committed(t, key);
    }

    private Object[] committed(TableDef t, List<Object> key) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < t.columnCount(); i++) sql.append(i > 0 ? ", " : "").append(t.column(i).name());
        sql.append(" FROM ").append(t.name()).append(" WHERE ");
        int[] k = t.keyIndexes();
        for (int i = 0; i < k.length; i++) sql.append(i > 0 ? " AND " : "").append(t.column(k[i]).name()).append(" = ?");
        try (PreparedStatement ps = reader.prepareStatement(sql.toString())) {
            for (int i = 0; i < k.length; i++) t.column(k[i]).type().bind(ps, i + 1, key.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                Object[] row = new Object[t.columnCount()];
                for (int i = 0; i < row.length; i++) row[i] = t.column(i).type().read(rs, i + 1);
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + t.name() + " key " + key + " from the source: " + e.getMessage(), e);
        }
    }

    private List<Object> key(TableDef t, Map<String, Literal> where) {
        List<String> kc = t.keyColumns();
        if (!where.keySet().equals(new java.util.HashSet<>(kc))) {
            throw new IllegalArgumentException("where must name exactly the key of " + t.name() + ": " + kc + " (got " + where.keySet() + ")");
        }
        Object[] k = new Object[kc.size()];
        for (int i = 0; i < k.length; i++) {
            ColumnDef c = t.column(t.indexOf(kc.get(i)));
            k[i] = value(t, c, where.get(kc.get(i)));
            if (k[i] == null) throw new IllegalArgumentException("key column " + c.name() + " cannot be NULL");
        }
        return List.of(k);
    }

    private long nextKey(TableDef t) {
        Long n = nextKey.get(t.name());
        if (n != null) return n;
        String last = t.keyColumns().get(t.keyColumns().size() - 1);
        try (Statement st = reader.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(" + last + ") FROM " + t.name())) {
            rs.next();
            long max = rs.getLong(1);
            return Math.max(1, max + 1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the largest key of " + t.name() + ": " + e.getMessage(), e);
        }
    }

    private Object value(TableDef t, ColumnDef c, Literal v) {
        String where = t.name() + "." + c.name();
        try {
            return switch (v.kind()) {
                case NULL -> null;
                case NUMBER -> switch (c.type()) {
                    case LONG -> new BigDecimal(v.text()).longValueExact();
                    case DECIMAL -> new BigDecimal(v.text());
                    case STRING -> v.text();
                    default -> throw new IllegalArgumentException("a number cannot go into " + c.type() + " column " + where);
                };
                case STRING -> switch (c.type()) {
                    case STRING -> v.text();
                    case TIMESTAMP -> LocalDateTime.parse(v.text().trim().replace(' ', 'T'));
                    case DATE -> LocalDate.parse(v.text().trim());
                    case LONG -> Long.parseLong(v.text().trim());
                    case DECIMAL -> new BigDecimal(v.text().trim());
                };
                case WORD -> switch (c.type()) {
                    case TIMESTAMP -> now();
                    case DATE -> now().toLocalDate();
                    default -> throw new IllegalArgumentException(v.text() + " cannot go into " + c.type() + " column " + where);
                };
            };
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("bad value " + v + " for " + c.sqlType() + " column " + where + ": " + e.getMessage());
        }
    }

    private LocalDateTime now() {
        long ms = clock.millis();
        return LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000) * 1_000_000, ZoneOffset.UTC);
    }

    private Object defaultValue(ColumnDef c) {
        return switch (c.type()) {
            case LONG -> 0L;
            case DECIMAL -> BigDecimal.ZERO;
            case STRING -> "-";
            case TIMESTAMP -> now();
            case DATE -> now().toLocalDate();
        };
    }

    /** Deterministic filler for generated rows: {@code <COLUMN>_<id>} text, id-derived numbers, the clock's time. */
    private Object generated(ColumnDef c, long id) {
        return switch (c.type()) {
            case LONG -> id;
            case DECIMAL -> BigDecimal.valueOf(id % 100_000, 2);
            case STRING -> {
                String s = c.name() + "_" + id;
                int max = maxLength(c.sqlType());
                yield s.length() > max ? s.substring(0, max) : s;
            }
            case TIMESTAMP -> now();
            case DATE -> now().toLocalDate();
        };
    }

    private static int maxLength(String sqlType) {
        int open = sqlType.indexOf('(');
        if (open < 0) return Integer.MAX_VALUE;
        return Integer.parseInt(sqlType.substring(open + 1, sqlType.indexOf(')')).trim());
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
