package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A simulated table: name {@code OWNER.TABLE}, ordered columns, primary key columns and, for a child table
 * such as ORDER_LINE, the parent table whose key its leading key columns hold. The last key column is
 * always a BIGINT counter, which is how fresh keys are made. A table created with {@link #keyless} has no
 * PRIMARY KEY in its DDL (rows are identified by all their columns, as a Replicat must); the generator still tells
 * its rows apart by one BIGINT column it fills with unique values ({@link #keyColumns()} names it, and
 * {@link #hasPrimaryKey()} is false). Immutable, thread-safe.
 */
public final class TableDef {
    private final String name;
    private final List<ColumnDef> columns;
    private final List<String> keyColumns;
    private final String parentTable;
    private final String[] columnNames;
    private final int[] keyIndexes;
    private final boolean primaryKey;

    public TableDef(String name, List<ColumnDef> columns, List<String> keyColumns, String parentTable) {
        this(name, columns, keyColumns, parentTable, true);
    }

    /**
     * A table without a primary key. {@code rowIdColumn} (BIGINT) gets a unique value per inserted row, so
     * no two rows are ever identical and a change identified by all columns hits exactly one row.
     */
    public static TableDef keyless(String name, List<ColumnDef> columns, String rowIdColumn) {
        return new TableDef(name, columns, List.of(rowIdColumn), null, false);
    }

    private TableDef(String name, List<ColumnDef> columns, List<String> keyColumns, String parentTable, boolean primaryKey) {
        this.primaryKey = primaryKey;
        this.name = Objects.requireNonNull(name, "name");
        if (name.indexOf('.') <= 0) {
            throw new IllegalArgumentException("table name must be OWNER.TABLE, got '" + name + "'");
        }
        this.columns = List.copyOf(columns);
        this.keyColumns = List.copyOf(keyColumns);
        this.parentTable = parentTable;
        this.columnNames = this.columns.stream().map(ColumnDef::name).toArray(String[]::new);
        if (this.keyColumns.isEmpty()) {
            throw new IllegalArgumentException("table " + name + " has no key columns");
        }
        this.keyIndexes = new int[this.keyColumns.size()];
        for (int k = 0; k < keyIndexes.length; k++) {
            keyIndexes[k] = indexOf(this.keyColumns.get(k));
            if (keyIndexes[k] < 0) {
                throw new IllegalArgumentException("key column " + this.keyColumns.get(k) + " is not a column of " + name);
            }
        }
        if (!primaryKey && columns.size() > 63) {
            throw new IllegalArgumentException("keyless table " + name + " has more than 63 columns"); // see nullColumns
        }
        if (columns.get(keyIndexes[keyIndexes.length - 1]).type() != ColumnType.LONG) {
            throw new IllegalArgumentException("last key column of " + name + " must be BIGINT (fresh keys count up)");
        }
    }

    public String name() {
        return name;
    }

    public String owner() {
        return name.substring(0, name.indexOf('.'));
    }

    public String tableName() {
        return name.substring(name.indexOf('.') + 1);
    }

    public List<ColumnDef> columns() {
        return columns;
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    /** False for a table created by {@link #keyless}: no PRIMARY KEY, rows identified by all columns. */
    public boolean hasPrimaryKey() {
        return primaryKey;
    }

    /** Table whose key the leading key columns hold, or {@code null}. */
    public String parentTable() {
        return parentTable;
    }

    public int columnCount() {
        return columns.size();
    }

    public ColumnDef column(int i) {
        return columns.get(i);
    }

    public int indexOf(String column) {
        for (int i = 0; i < columnNames.length; i++) {
            if (columnNames[i].equals(column)) return i;
        }
        return -1;
    }

    /** Column index of each key column, in key order. Do not modify. */
    public int[] keyIndexes() {
        return keyIndexes;
    }

    public boolean isKeyColumn(int columnIndex) {
        for (int k : keyIndexes) {
            if (k == columnIndex) return true;
        }
        return false;
    }

    /** Primary key of a row, as an immutable list usable as a map key. */
    public List<Object> keyOf(Object[] row) {
        Object[] key = new Object[keyIndexes.length];
        for (int k = 0; k < key.length; k++) {
            key[k] = row[keyIndexes[k]];
        }
        return List.of(key);
    }

    /** Row image over all columns; the image shares {@code row}, which therefore must never be modified. */
    public RowImage image(Object[] row) {
        if (row.length != columnNames.length) {
            throw new IllegalArgumentException(name + " has " + columnNames.length + " columns, row has " + row.length);
        }
        return new RowImage(columnNames, row);
    }

    /** Values of an image in this table's column order (shared with the image, do not modify); fails naming the column when one is missing. */
    public Object[] rowOf(RowImage image) {
        if (image.columns() == columnNames) {
            return image.values(); // made by image(): already in column order
        }
        Object[] row = new Object[columnNames.length];
        for (int i = 0; i < row.length; i++) {
            int at = image.indexOf(columnNames[i]);
            if (at < 0) {
                throw new IllegalArgumentException("image of " + name + " lacks column " + columnNames[i] + ": " + image);
            }
            row[i] = image.value(at);
        }
        return row;
    }

    /** CREATE TABLE IF NOT EXISTS statement, valid on H2 and PostgreSQL. */
    public String createStatement() {
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(name).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(columns.get(i).ddl());
        }
        if (primaryKey) sb.append(", PRIMARY KEY (").append(String.join(", ", keyColumns)).append(")");
        return sb.append(")").toString();
    }

    /**
     * For a table without a primary key: a non-unique index on its row-id column, as such tables usually have;
     * without it every keyed update or delete (by all columns) scans the table, on the source and the target.
     */
    public String rowIdIndexStatement() {
        if (primaryKey) throw new IllegalStateException(name + " has a primary key");
        return "CREATE INDEX IF NOT EXISTS " + tableName() + "_RID ON " + name + " (" + keyColumns.get(0) + ")";
    }

    /**
     * The DML statement of a full-image change of {@code op} on this table, valid on H2 and PostgreSQL: a keyed
     * row is addressed by its primary key, a keyless one by all its columns ({@code IS NOT DISTINCT FROM}, NULL
     * matching NULL); an UPDATE sets the non-key columns, a PK_UPDATE all of them. {@link #bind} fills it.
     */
    public String dmlStatement(ChangeOp op) {
        return dmlStatement(op, -1L);
    }

    /**
     * As {@link #dmlStatement(ChangeOp)}, but a keyless row is addressed as a Replicat addresses it: {@code = ?}
     * on every column of the before image except those in {@code nulls} ({@link #nullColumns}), which are
     * {@code IS NULL}. An index on one of the columns then serves the statement, which PostgreSQL cannot do for
     * {@code IS NOT DISTINCT FROM} (it scans the table). One statement per NULL pattern;
     * {@link #bind(PreparedStatement, RowChange, boolean)} with {@code byEquality} fills it. {@code nulls} -1: the
     * {@code IS NOT DISTINCT FROM} form.
     */
    public String dmlStatement(ChangeOp op, long nulls) {
        List<String> all = Arrays.asList(columnNames);
        List<String> set = op == ChangeOp.PK_UPDATE ? all : all.stream().filter(c -> !keyColumns.contains(c)).toList();
        List<String> address = new java.util.ArrayList<>();
        if (primaryKey) {
            keyColumns.forEach(c -> address.add(c + " = ?"));
        } else {
            for (int i = 0; i < columnNames.length; i++) {
                address.add(columnNames[i] + (nulls == -1L ? " IS NOT DISTINCT FROM ?" : (nulls & (1L << i)) != 0 ? " IS NULL" : " = ?"));
            }
        }
        String where = " WHERE " + String.join(" AND ", address);
        return switch (op) {
            case INSERT -> "INSERT INTO " + name + " (" + String.join(", ", all) + ") VALUES ("
                    + String.join(", ", all.stream().map(c -> "?").toList()) + ")";
            case UPDATE, PK_UPDATE -> "UPDATE " + name + " SET " + String.join(", ", set.stream().map(c -> c + " = ?").toList()) + where;
            case DELETE -> "DELETE FROM " + name + where;
        };
    }

    /**
     * The NULL columns of a change's before image that address a keyless row (bit i: column i), for
     * {@link #dmlStatement(ChangeOp, long)}; 0 for a keyed table or an insert.
     */
    public long nullColumns(RowChange change) {
        if (primaryKey || change.before() == null) return 0;
        Object[] before = rowOf(change.before());
        long nulls = 0;
        for (int i = 0; i < before.length; i++) if (before[i] == null) nulls |= 1L << i;
        return nulls;
    }

    /** Binds a full-image change to the {@link #dmlStatement(ChangeOp)} of its operation: after-image values, then the row's address. */
    public void bind(PreparedStatement ps, RowChange change) throws SQLException {
        bind(ps, change, false);
    }

    /**
     * Binds a full-image change: after-image values, then the row's address; {@code byEquality} for the statement
     * of {@link #dmlStatement(ChangeOp, long)} with its {@link #nullColumns} (NULLs of a keyless address are not
     * parameters there).
     */
    public void bind(PreparedStatement ps, RowChange change, boolean byEquality) throws SQLException {
        int p = 1;
        if (change.after() != null) {
            Object[] after = rowOf(change.after());
            for (int i = 0; i < after.length; i++) {
                if (change.op() != ChangeOp.UPDATE || !isKeyColumn(i)) column(i).type().bind(ps, p++, after[i]);
            }
        }
        if (change.before() != null) {
            Object[] before = rowOf(change.before());
            if (primaryKey) {
                for (int k : keyIndexes) column(k).type().bind(ps, p++, before[k]);
            } else {
                for (int i = 0; i < before.length; i++) {
                    if (!byEquality || before[i] != null) column(i).type().bind(ps, p++, before[i]);
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + Arrays.toString(columnNames) + (primaryKey ? " key " : " no primary key, row id ") + keyColumns;
    }
}
