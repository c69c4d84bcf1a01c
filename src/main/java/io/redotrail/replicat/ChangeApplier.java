package io.redotrail.replicat;

import io.redotrail.replicat.ChangeStatements.Shape;
import io.redotrail.replicat.ChangeStatements.Stmt;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.ValueCodec;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs row changes as SQL on the Replicat's connection. {@link #prepare} makes a {@link Stmt} (see
 * {@link ChangeStatements}: one SQL text and one PreparedStatement per {@link Shape}). A Stmt is run alone
 * ({@link #executeOne}) or in a JDBC batch of Stmts of one shape ({@link #executeBatch}); which Stmts may
 * share a batch is {@link BatchSet}'s business. Statements are cached per SQL text.
 * <p>
 * Never commits or rolls back: the caller owns the connection and the transaction. Not thread-safe, but for
 * {@link #prepare}, which touches only the (thread-safe) {@link ChangeStatements}: MAP_PARALLELISM's mappers call it.
 */
final class ChangeApplier {
    private static final int STATEMENT_CACHE = 256;

    private final String group;
    private final Connection conn;
    private final int maxBatch;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> e) {
            if (size() <= STATEMENT_CACHE) return false;
            closeQuietly(e.getValue());
            return true;
        }
    };

    private final ChangeStatements plans;
    private String lastSql;

    ChangeApplier(String group, Connection conn, int maxBatch) {
        this.group = group;
        this.plans = new ChangeStatements(group);
        this.conn = conn;
        this.maxBatch = Math.max(1, maxBatch);
    }

    /** Most statements per JDBC batch (BATCHTRANSOPS). */
    int maxBatch() {
        return maxBatch;
    }

    /**
     * Executes one change at once and returns the update count. Database errors are thrown as they are; a
     * count of 0 is for the caller to judge (NOTFOUND).
     */
    int executeOne(Transaction tx, RowChange ch, TargetTables.Table t, List<String> keyColsOverride,
                   java.util.Set<String> derived) throws SQLException {
        Stmt s = prepare(tx, ch, t, keyColsOverride, derived);
        PreparedStatement ps = statement(s.shape().sql);
        lastSql = s.shape().sql;
        bindValues(ps, s);
        int n = ps.executeUpdate();
        if (n > 1 && s.shape().op != ChangeOp.INSERT) throw manyRows(s, n);
        return n;
    }

    /**
     * The change's statement: shape (interned) and key values; {@code derived}: the target columns its mapping's COLMAP
     * fills with a constant or token ({@link ValueFit} leaves them unchecked). Mapping problems are {@link ApplyError}s.
     */
    Stmt prepare(Transaction tx, RowChange ch, TargetTables.Table t, List<String> keyColsOverride, java.util.Set<String> derived) {
        return plans.prepare(tx, ch, t, keyColsOverride, derived);
    }

    /** "UPDATE on OWNER.TABLE with key (ID=5)" for a (mapped) change, for messages. */
    String describe(Transaction tx, RowChange ch, TargetTables.Table t, List<String> keyColsOverride) {
        return plans.describe(tx, ch, t, keyColsOverride);
    }

    /** SQL text of the last statement run by {@link #executeOne}. */
    String lastSql() {
        return lastSql;
    }

    private void bindValues(PreparedStatement ps, Stmt s) throws SQLException {
        Shape sh = s.shape();
        int p = 1;
        if (sh.setCols != null) {
            RowImage after = s.change().after();
            // rows of one shape list their columns alike: try where the previous column, or the previous row's
            // first one (an update's after image lists the key before its SET columns), was found
            int shift = sh.setShift;
            for (int i = 0; i < sh.setCols.length; i++) {
                int j = i + shift;
                int idx = j < after.size() && after.column(j).equals(sh.setCols[i]) ? j : after.indexOf(sh.setCols[i]);
                if (i == 0 && idx != j) sh.setShift = idx;
                shift = idx - i;
                Object v = after.value(idx);
                if (sh.setKept != null && sh.setKept[i] != ValueFit.ANY) {
                    String stored = ValueFit.loss(v, sh.setTypes[i], sh.setKept[i]);
                    if (stored != null) throw wouldRound(s, sh.setCols[i], v, stored);
                }
                bind(ps, p++, v, sh.setTypes[i]);
            }
        }
        if (sh.keyCols != null) {
            Object[] kv = s.keyVals();
            for (int i = 0; i < sh.keyCols.length; i++) {
                if (kv[i] != null) bind(ps, p++, kv[i], sh.keyTypes[i]);
            }
        }
    }

    /**
     * Executes {@code stmts[from, to)}, all of one shape, as one JDBC batch and checks every update count: an
     * update or delete must find its row (else NOTFOUND). On any failure the statement's batch is cleared, so
     * no bound row survives into a later batch.
     */
    void executeBatch(List<Stmt> stmts, int from, int to) throws SQLException {
        Stmt first = stmts.get(from);
        PreparedStatement ps = statement(first.shape().sql);
        if (to - from == 1) {
            // a batch of one costs more than the statement alone (H2 especially), and most are one at GROUPTRANSOPS 1
            int n;
            try {
                bindValues(ps, first);
                n = ps.executeUpdate();
            } catch (SQLException e) {
                throw failed(first, e);
            }
            if (n == 0 && first.shape().op != ChangeOp.INSERT) throw notFound(first);
            if (n > 1 && first.shape().op != ChangeOp.INSERT) throw manyRows(first, n);
            return;
        }
        int[] counts;
        boolean ok = false;
        try {
            for (int i = from; i < to; i++) {
                bindValues(ps, stmts.get(i));
                ps.addBatch();
            }
            counts = ps.executeBatch();
            ok = true;
        } catch (BatchUpdateException e) {
            int[] c = e.getUpdateCounts();
            int failed = c == null ? 0 : c.length;
            for (int i = 0; c != null && i < c.length; i++) {
                if (c[i] == Statement.EXECUTE_FAILED) {
                    failed = i;
                    break;
                }
            }
            throw failed(stmts.get(Math.min(from + failed, to - 1)), e);
        } catch (SQLException e) {
            throw new ApplyError(io.redotrail.replicat.error.RepError.kindOf(e), group + ": batch of " + (to - from)
                    + " starting with " + ChangeStatements.describe(first) + " failed: " + e.getMessage()
                    + ChangeStatements.where(first.tx()), e,
                    first.shape().sql);
        } finally {
            if (!ok) clearQuietly(ps);
        }
        for (int i = 0; i < counts.length && from + i < to; i++) {
            Stmt p = stmts.get(from + i);
            // REPERROR ABEND (default): a missing row means source and target diverged
            if (counts[i] == 0 && p.shape().op != ChangeOp.INSERT) throw notFound(p);
            if (counts[i] > 1 && p.shape().op != ChangeOp.INSERT) throw manyRows(p, counts[i]);
        }
    }

    private ApplyError failed(Stmt s, SQLException e) {
        return new ApplyError(io.redotrail.replicat.error.RepError.kindOf(e), group + ": " + ChangeStatements.describe(s) + " failed: "
                + e.getMessage() + ChangeStatements.where(s.tx()), e, s.shape().sql);
    }

    /**
     * An update or delete of one source row changed several target rows: the source and target would diverge without a
     * word. The statement ran inside the transaction (or savepoint) the error rolls back; REPERROR's DEFAULT rule
     * (ABEND unless set) decides.
     */
    private ApplyError manyRows(Stmt s, int n) {
        return new ApplyError(null, group + ": " + ChangeStatements.describe(s) + " changed " + n + " rows, not one: its key"
                + " does not identify a row of the target (KEYCOLS that are not unique, or a table without a primary key"
                + " holding equal rows)" + ChangeStatements.where(s.tx()), null, s.shape().sql);
    }

    /**
     * The target column would round the value without an error (a narrower NUMERIC scale, a DATE for a timestamp):
     * a MAPPING error, so REPERROR decides (ABEND by default; DISCARD keeps the row in the discard file).
     */
    private ApplyError wouldRound(Stmt s, String column, Object v, String stored) {
        TargetTables.Column c = s.shape().table.column(column);
        return new ApplyError("MAPPING", group + ": " + ChangeStatements.describe(s) + ": value "
                + ValueCodec.display(v) + " of column " + column + " does not fit target column " + c.name() + " "
                + ValueFit.declared(c) + " of " + s.shape().table.name() + ": it would be stored as " + stored
                + "; widen the target column" + ChangeStatements.where(s.tx()), null, s.shape().sql);
    }

    private ApplyError notFound(Stmt s) {
        return new ApplyError("NOTFOUND", group + ": " + ChangeStatements.describe(s) + " found no row"
                + ChangeStatements.where(s.tx()), null, s.shape().sql);
    }

    /** Forgets rows bound to any cached statement but not executed (after a rollback or an Error mid-batch). */
    void reset() {
        statements.values().forEach(ChangeApplier::clearQuietly);
    }

    void close() {
        statements.values().forEach(ChangeApplier::closeQuietly);
        statements.clear();
        plans.clear();
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null || s.isClosed()) {
            s = conn.prepareStatement(sql);
            statements.put(sql, s);
        }
        return s;
    }

    /** Binds a trail value portably (H2, PostgreSQL); NULL carries the target column's JDBC type. */
    static void bind(PreparedStatement ps, int i, Object v, int sqlType) throws SQLException {
        if (v == null) {
            ps.setNull(i, sqlType);
        } else if (!(v instanceof String) && !(v instanceof byte[]) && isText(sqlType)) {
            // a token or constant into a text column (e.g. SRC_CSN VARCHAR = @GETENV('TRANSACTION','CSN'))
            ps.setString(i, v instanceof BigDecimal d ? d.toPlainString() : v.toString());
        } else if (v instanceof Long l) {
            ps.setLong(i, l);
        } else if (v instanceof String s) {
            ps.setString(i, s);
        } else if (v instanceof BigDecimal d) {
            ps.setBigDecimal(i, d);
        } else if (v instanceof Integer n) {
            ps.setLong(i, n);
        } else if (v instanceof byte[] b) {
            ps.setBytes(i, b);
        } else if (v instanceof Double d) {
            ps.setDouble(i, d);
        } else if (v instanceof Boolean b) {
            ps.setBoolean(i, b);
        } else {
            ps.setObject(i, v); // LocalDateTime, LocalDate (JDBC 4.2 in both drivers) and anything else
        }
    }

    private static boolean isText(int t) {
        return t == java.sql.Types.VARCHAR || t == java.sql.Types.CHAR || t == java.sql.Types.NVARCHAR
                || t == java.sql.Types.NCHAR || t == java.sql.Types.LONGVARCHAR || t == java.sql.Types.LONGNVARCHAR
                || t == java.sql.Types.CLOB || t == java.sql.Types.NCLOB;
    }

    private static void clearQuietly(PreparedStatement s) {
        try {
            s.clearBatch();
        } catch (SQLException ignored) {
            // a closed or broken statement holds no rows we could send
        }
    }

    private static void closeQuietly(Statement s) {
        try {
            s.close();
        } catch (SQLException ignored) {
            // closing a cached statement on shutdown; nothing to do
        }
    }
}
