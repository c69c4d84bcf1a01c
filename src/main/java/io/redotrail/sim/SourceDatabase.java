package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.Jdbc;
import io.redotrail.core.RowChange;

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
 * open and applies committed transactions, each in its own JDBC transaction with cached, batched
 * PreparedStatements. Not thread-safe: one simulator thread owns it.
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
     * Applies committed transactions in the given (commit) order, one JDBC transaction each. A change that
     * hits no row or a duplicate key is an error naming the table: the model and the database disagree.
     */
    public void apply(List<List<RowChange>> transactions) {
        for (List<RowChange> tx : transactions) {
            applyTransaction(tx);
        }
    }

    public void applyTransaction(List<RowChange> changes) {
        RowChange first = null;
        try {
            int i = 0;
            while (i < changes.size()) {
                first = changes.get(i);
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
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (e instanceof IllegalStateException ise) throw ise;
            String where = first == null ? "" : " (" + first.op() + " on " + first.table() + ")";
            throw new IllegalStateException("cannot apply transaction to the source database" + where + ": "
                    + e.getMessage(), e);
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
