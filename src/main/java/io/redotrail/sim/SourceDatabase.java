package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.Jdbc;
import io.redotrail.core.RowChange;
import io.redotrail.core.SourceCatalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated Oracle source: an H2 file database at {@code <home>/db/source} opened with AUTO_SERVER so
 * other processes (extract checks, verifiers) can read it while the simulator writes. Creates the schema on
 * open and applies committed transactions with cached, batched PreparedStatements, after their redo is durable.
 * {@value SourceCatalog#REDO_APPLIED} records, in the same JDBC transaction as each apply, the commit SCN up to which
 * the redo's commits are here, and whether the last workload ended cleanly: what {@link SourceRecovery} needs to
 * bring the database up to its redo after a workload was killed. Not thread-safe: one simulator thread owns it.
 */
public final class SourceDatabase implements AutoCloseable {
    private final SourceSchema schema;
    private final Connection connection;
    private final Map<String, TableStatements> statements = new HashMap<>();

    private SourceDatabase(SourceSchema schema, Connection connection) {
        this.schema = schema;
        this.connection = connection;
    }

    /**
     * JDBC URL of the source database under a redotrail home directory. MAX_COMPACT_TIME=0: no compaction when
     * H2 2.3.232 closes the database, which can corrupt the file (README.md, "Target databases").
     */
    public static String jdbcUrl(Path home) {
        return "jdbc:h2:file:" + home.toAbsolutePath().resolve("db").resolve("source") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0";
    }

    /** Opens (creating if needed) the source database under {@code home} and creates the schema's tables. */
    public static SourceDatabase open(Path home, SourceSchema schema) {
        String url = jdbcUrl(home);
        Connection c;
        try {
            c = Jdbc.connect(url, "sa", "");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open source database " + url + ": " + e.getMessage(), e);
        }
        try {
            try (Statement st = c.createStatement()) {
                for (String sql : schema.createStatements()) {
                    st.execute(sql);
                }
                st.execute("CREATE SCHEMA IF NOT EXISTS " + SourceCatalog.REDO_APPLIED.substring(0, SourceCatalog.REDO_APPLIED.indexOf('.')));
                st.execute("CREATE TABLE IF NOT EXISTS " + SourceCatalog.REDO_APPLIED
                        + " (ID INT PRIMARY KEY, SCN BIGINT NOT NULL, CLEAN BOOLEAN NOT NULL)");
                st.execute("ALTER TABLE " + SourceCatalog.REDO_APPLIED + " ADD COLUMN IF NOT EXISTS FROM_SCN BIGINT DEFAULT -1 NOT NULL");
                // a database made before this row existed: what it holds is taken as consistent with its redo
                st.execute("MERGE INTO " + SourceCatalog.REDO_APPLIED + " USING (VALUES 1) V(ID) ON " + SourceCatalog.REDO_APPLIED
                        + ".ID = V.ID WHEN NOT MATCHED THEN INSERT (ID, SCN, CLEAN) VALUES (1, -1, TRUE)");
            }
            c.setAutoCommit(false);
            return new SourceDatabase(schema, c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("cannot create source schema in " + url + ": " + e.getMessage(), e);
        }
    }

    public SourceSchema schema() {
        return schema;
    }

    /** All committed rows per table (in schema order), each table ordered by primary key. */
    public Map<String, List<Object[]>> loadRows() {
        Map<String, List<Object[]>> result = new LinkedHashMap<>();
        for (TableDef t : schema.tables()) {
            result.put(t.name(), loadRows(t));
        }
        return result;
    }

    public List<Object[]> loadRows(TableDef t) {
        String sql = "SELECT " + String.join(", ", names(t)) + " FROM " + t.name()
                + " ORDER BY " + String.join(", ", t.keyColumns());
        List<Object[]> rows = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Object[] row = new Object[t.columnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = t.column(i).type().read(rs, i + 1);
                }
                rows.add(row);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read rows of " + t.name() + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /**
     * Applies a group of committed transactions in the given (commit) order as one JDBC transaction, with
     * {@code appliedScn}: every commit in the redo at or below it is in the database once this commits. A change that
     * hits no row or a duplicate key is an error naming the table: the model and the database disagree.
     */
    public void apply(List<List<RowChange>> transactions, long appliedScn) {
        RowChange[] first = new RowChange[1];
        try {
            for (List<RowChange> tx : transactions) execute(tx, first);
            commit(appliedScn);
        } catch (SQLException | RuntimeException e) {
            throw failed(e, first[0]);
        }
    }

    /** One committed transaction, at commit SCN {@code commitScn}, in its own JDBC transaction. */
    public void applyTransaction(List<RowChange> changes, long commitScn) {
        RowChange[] first = new RowChange[1];
        try {
            execute(changes, first);
            commit(commitScn);
        } catch (SQLException | RuntimeException e) {
            throw failed(e, first[0]);
        }
    }

    /**
     * Recovery: one committed transaction at {@code commitScn} applied so that it may already be there, wholly or in
     * part (H2 killed with its host can keep part of a transaction it had not committed): each after image is
     * merged by the table's key columns, each deleted or re-keyed row deleted if present. Replayed in commit order
     * from before the first transaction that may be missing, the rows end as the redo says.
     */
    public void replayTransaction(List<RowChange> changes, long commitScn) {
        RowChange[] first = new RowChange[1];
        try {
            for (RowChange c : changes) {
                first[0] = c;
                TableDef t = schema.table(c.table());
                if (c.op() == ChangeOp.DELETE || c.op() == ChangeOp.PK_UPDATE) {
                    try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + t.name() + " WHERE "
                            + String.join(" AND ", t.keyColumns().stream().map(k -> k + " = ?").toList()))) {
                        Object[] before = t.rowOf(c.before());
                        int p = 1;
                        for (int k : t.keyIndexes()) t.column(k).type().bind(ps, p++, before[k]);
                        ps.executeUpdate();
                    }
                }
                if (c.after() != null) {
                    List<String> cols = names(t);
                    try (PreparedStatement ps = connection.prepareStatement("MERGE INTO " + t.name() + " (" + String.join(", ", cols)
                            + ") KEY (" + String.join(", ", t.keyColumns()) + ") VALUES ("
                            + String.join(", ", cols.stream().map(x -> "?").toList()) + ")")) {
                        Object[] after = t.rowOf(c.after());
                        for (int i = 0; i < after.length; i++) t.column(i).type().bind(ps, i + 1, after[i]);
                        ps.executeUpdate();
                    }
                }
            }
            commit(commitScn);
        } catch (SQLException | RuntimeException e) {
            throw failed(e, first[0]);
        }
    }

    private void commit(long appliedScn) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + SourceCatalog.REDO_APPLIED + " SET SCN = ? WHERE ID = 1")) {
            ps.setLong(1, appliedScn);
            ps.executeUpdate();
        }
        connection.commit();
    }

    private IllegalStateException failed(Exception e, RowChange first) {
        rollbackQuietly();
        if (e instanceof IllegalStateException ise) return ise;
        String where = first == null ? "" : " (" + first.op() + " on " + first.table() + ")";
        return new IllegalStateException("cannot apply transaction to the source database" + where + ": " + e.getMessage(), e);
    }

    /** The commit SCN up to which the redo's commits are in this database (-1: not known, a database made before). */
    public long appliedScn() {
        return state().scn;
    }

    /** False while a workload runs, and after one that was killed: the database may be behind its redo. */
    public boolean clean() {
        return state().clean;
    }

    /**
     * A workload starts (true) or ended with everything it committed applied (false). At its start the database is
     * clean, so it holds every commit up to {@code redoScn}, the redo's last SCN: recovery after a kill reads from
     * there, not from a stale SCN (-1 at the first workload would replay all the redo still online or archived).
     */
    public void workloadRunning(boolean running, long redoScn) {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + SourceCatalog.REDO_APPLIED
                + " SET CLEAN = ?, SCN = GREATEST(SCN, ?), FROM_SCN = CASE WHEN ? THEN GREATEST(SCN, ?) ELSE FROM_SCN END WHERE ID = 1")) {
            ps.setBoolean(1, !running);
            ps.setLong(2, redoScn);
            ps.setBoolean(3, running);
            ps.setLong(4, redoScn);
            ps.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new IllegalStateException("cannot update " + SourceCatalog.REDO_APPLIED + ": " + e.getMessage(), e);
        }
    }

    private record State(long scn, boolean clean, long fromScn) {
    }

    /**
     * Where recovery replays from: the redo's SCN when the last workload started (everything up to it was in the
     * database, closed cleanly). Not the applied SCN: H2 killed with its host can come back with committed changes of
     * that workload lost while later ones stayed, so every transaction the workload committed is replayed.
     */
    public long recoverFromScn() {
        return state().fromScn;
    }

    private State state() {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT SCN, CLEAN, FROM_SCN FROM " + SourceCatalog.REDO_APPLIED + " WHERE ID = 1")) {
            State s = rs.next() ? new State(rs.getLong(1), rs.getBoolean(2), rs.getLong(3)) : new State(-1, true, -1);
            connection.commit();
            return s;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + SourceCatalog.REDO_APPLIED + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code changes} on the open JDBC transaction; {@code firstOut[0]}: the change of the statement running. */
    private void execute(List<RowChange> changes, RowChange[] firstOut) throws SQLException {
        int i = 0;
        while (i < changes.size()) {
            RowChange first = changes.get(i);
            firstOut[0] = first;
            TableStatements ts = statementsOf(first.table());
            // a run of changes sharing one statement is one JDBC batch; runs stay in redo order
            int end = i + 1;
            while (end < changes.size() && changes.get(end).op() == first.op()
                    && changes.get(end).table().equals(first.table())) {
                end++;
            }
            PreparedStatement ps = ts.get(first.op());
            if (end - i == 1) {
                ts.table.bind(ps, first);
                check(ps.executeUpdate(), first); // a one-row batch costs more than a plain update in H2
            } else {
                for (int k = i; k < end; k++) {
                    ts.table.bind(ps, changes.get(k));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int k = 0; k < counts.length; k++) check(counts[k], changes.get(i + k));
            }
            i = end;
        }
    }

    private static void check(int count, RowChange c) {
        if (count != 1 && count != Statement.SUCCESS_NO_INFO) {
            throw new IllegalStateException(c.op() + " on " + c.table() + " changed " + count
                    + " rows instead of 1: " + (c.before() != null ? c.before() : c.after()));
        }
    }

    private TableStatements statementsOf(String table) {
        TableStatements ts = statements.get(table);
        if (ts == null) {
            ts = new TableStatements(schema.table(table));
            statements.put(table, ts);
        }
        return ts;
    }

    private static List<String> names(TableDef t) {
        return t.columns().stream().map(ColumnDef::name).toList();
    }

    @Override
    public void close() {
        for (TableStatements ts : statements.values()) ts.close();
        statements.clear();
        try {
            connection.rollback();
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close source database: " + e.getMessage(), e);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is what the caller needs to see
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // reporting the open failure matters more
        }
    }

    /** The four DML statements of one table, prepared on first use. */
    private final class TableStatements {
        private final TableDef table;
        private final PreparedStatement[] byOp = new PreparedStatement[ChangeOp.values().length];

        TableStatements(TableDef table) {
            this.table = table;
        }

        PreparedStatement get(ChangeOp op) throws SQLException {
            PreparedStatement ps = byOp[op.ordinal()];
            if (ps == null) {
                ps = connection.prepareStatement(table.dmlStatement(op));
                byOp[op.ordinal()] = ps;
            }
            return ps;
        }

        void close() {
            for (PreparedStatement ps : byOp) {
                if (ps == null) continue;
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing the connection releases it anyway
                }
            }
        }
    }
}
