package io.redotrail.replicat;

import io.redotrail.core.NameCache;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Target table metadata read once per table from {@link DatabaseMetaData}: the real (case-preserved) schema,
 * table and column names, column JDBC types (for {@code setNull}) and primary key columns. Trail names are
 * upper case ({@code OWNER.TABLE}); H2 stores upper case, PostgreSQL lower case, so names are matched
 * case-insensitively and then quoted exactly as the database spells them.
 * <p>
 * Not thread-safe; one instance per connection owner. Public only so {@code io.redotrail.verify} can reuse it.
 */
public final class TargetTables {

    /**
     * A column: quoted SQL name, JDBC type, whether it is a LOB (never used in a key comparison), and as the
     * database declares it (type name, size or precision, scale, nullability) for creating a table like it.
     */
    public record Column(String name, String sqlName, int sqlType, boolean lob, String typeName, int size, int scale,
                         boolean nullable) {
    }

    /**
     * A resolved table. {@code columns} maps upper-case column names to columns, in table order;
     * {@code primaryKey} lists upper-case key column names in key order (empty when the table has none);
     * {@code uniqueKeys} the column lists of its other unique indexes; {@code foreignKeys} whether it references
     * or is referenced by another table (BATCHSQL then keeps such tables in trail order among themselves).
     */
    public record Table(String name, String sqlName, Map<String, Column> columns, List<String> primaryKey,
                        List<List<String>> uniqueKeys, boolean foreignKeys) {
        public Column column(String upperName) {
            return columns.get(upperName);
        }
    }

    private final Map<String, Table> cache = new HashMap<>();

    /** The table named {@code OWNER.TABLE} (or {@code TABLE}), or null when the database has no such table. */
    public Table lookup(Connection c, String qualified) throws SQLException {
        Table t = cache.get(qualified);
        if (t == null) {
            t = resolve(c.getMetaData(), qualified);
            if (t != null) cache.put(qualified, t);
        }
        return t;
    }

    public void clear() {
        cache.clear();
    }

    private static Table resolve(DatabaseMetaData md, String qualified) throws SQLException {
        int dot = qualified.indexOf('.');
        String owner = dot < 0 ? null : qualified.substring(0, dot);
        String name = dot < 0 ? qualified : qualified.substring(dot + 1);
        String esc = md.getSearchStringEscape();
        String[] found = null;
        // exact spelling first, then the database's folding (H2 upper, PostgreSQL lower)
        for (int variant = 0; variant < 3 && found == null; variant++) {
            String o = owner == null ? null : fold(owner, variant);
            String n = fold(name, variant);
            try (ResultSet rs = md.getTables(null, o == null ? null : escape(o, esc), escape(n, esc), null)) {
                while (rs.next()) {
                    String type = rs.getString("TABLE_TYPE");
                    if (type != null && type.toUpperCase(Locale.ROOT).contains("INDEX")) continue;
                    found = new String[]{rs.getString("TABLE_CAT"), rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME")};
                    break;
                }
            }
        }
        if (found == null) return null;
        String quote = md.getIdentifierQuoteString();
        quote = quote == null || quote.isBlank() ? "\"" : quote.trim();
        Map<String, Column> cols = new LinkedHashMap<>();
        try (ResultSet rs = md.getColumns(found[0], escape(found[1], esc), escape(found[2], esc), "%")) {
            TreeMap<Integer, Column> ordered = new TreeMap<>();
            while (rs.next()) {
                String cn = rs.getString("COLUMN_NAME");
                int type = rs.getInt("DATA_TYPE");
                if (type == Types.DISTINCT) {
                    // a domain (PostgreSQL's CREATE DOMAIN price AS numeric(10,2)): its base type binds and rounds
                    int base = rs.getInt("SOURCE_DATA_TYPE");
                    if (!rs.wasNull()) type = base;
                }
                String typeName = rs.getString("TYPE_NAME");
                int scale = "money".equalsIgnoreCase(typeName) ? moneyDigits(md.getConnection()) : rs.getInt("DECIMAL_DIGITS");
                ordered.put(rs.getInt("ORDINAL_POSITION"), new Column(cn, quote(cn, quote), type, isLob(type),
                        typeName, rs.getInt("COLUMN_SIZE"), scale,
                        rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
            }
            for (Column col : ordered.values()) cols.put(NameCache.canonical(col.name().toUpperCase(Locale.ROOT)), col);
        }
        TreeMap<Integer, String> pk = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(found[0], found[1], found[2])) {
            while (rs.next()) pk.put(rs.getInt("KEY_SEQ"), NameCache.canonical(rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT)));
        }
        String sqlName = (found[1] == null ? "" : quote(found[1], quote) + ".") + quote(found[2], quote);
        List<String> primaryKey = List.copyOf(new ArrayList<>(pk.values()));
        return new Table(qualified, sqlName, cols, primaryKey, uniqueKeys(md, found, primaryKey), hasForeignKeys(md, found));
    }

    /** Column lists of the unique indexes other than the primary key's. */
    private static List<List<String>> uniqueKeys(DatabaseMetaData md, String[] t, List<String> primaryKey) throws SQLException {
        Map<String, TreeMap<Integer, String>> byIndex = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(t[0], t[1], t[2], true, true)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String col = rs.getString("COLUMN_NAME");
                if (index == null || col == null || rs.getBoolean("NON_UNIQUE")) continue;
                byIndex.computeIfAbsent(index, k -> new TreeMap<>()).put((int) rs.getShort("ORDINAL_POSITION"),
                        NameCache.canonical(stripQuotes(col).toUpperCase(Locale.ROOT)));
            }
        }
        Map<String, Integer> keyColumns = postgresqlKeyColumns(md, t);
        List<List<String>> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, String>> e : byIndex.entrySet()) {
            TreeMap<Integer, String> cols = e.getValue();
            Integer n = keyColumns.get(e.getKey());
            List<String> k = List.copyOf((n == null ? cols : cols.headMap(n, true)).values());
            if (!new java.util.HashSet<>(k).equals(new java.util.HashSet<>(primaryKey)) && !out.contains(k)) out.add(k);
        }
        return List.copyOf(out);
    }

    /**
     * PostgreSQL reports an index's INCLUDE columns after its key columns, as if they were part of the key: the
     * number of key columns per index name (pg_index.indnkeyatts, PostgreSQL 11+); empty elsewhere.
     */
    private static Map<String, Integer> postgresqlKeyColumns(DatabaseMetaData md, String[] t) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        if (!"PostgreSQL".equalsIgnoreCase(md.getDatabaseProductName()) || md.getDatabaseMajorVersion() < 11) return out;
        try (var ps = md.getConnection().prepareStatement("SELECT ci.relname, i.indnkeyatts FROM pg_catalog.pg_index i "
                + "JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid JOIN pg_catalog.pg_class ct ON ct.oid = i.indrelid "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = ct.relnamespace WHERE n.nspname = ? AND ct.relname = ?")) {
            ps.setString(1, t[1]);
            ps.setString(2, t[2]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    private static boolean hasForeignKeys(DatabaseMetaData md, String[] t) throws SQLException {
        try (ResultSet imported = md.getImportedKeys(t[0], t[1], t[2])) {
            if (imported.next()) return true;
        }
        try (ResultSet exported = md.getExportedKeys(t[0], t[1], t[2])) {
            return exported.next();
        }
    }

    /** PostgreSQL reports expression-free index columns as written, possibly quoted. */
    private static String stripQuotes(String c) {
        return c.length() > 1 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1) : c;
    }

    private static String fold(String s, int variant) {
        return switch (variant) {
            case 0 -> s;
            case 1 -> s.toUpperCase(Locale.ROOT);
            default -> s.toLowerCase(Locale.ROOT);
        };
    }

    private static String escape(String s, String esc) {
        if (s == null || esc == null || esc.isEmpty()) return s;
        return s.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    private static String quote(String id, String q) {
        return q + id.replace(q, q + q) + q;
    }

    /**
     * Fractional digits a PostgreSQL {@code money} column keeps: its lc_monetary locale's (2 for most, 0 for yen), read
     * off the database by a round trip of 0.001, once per table resolved.
     */
    private static int moneyDigits(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT scale(0.001::numeric::money::numeric)")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static boolean isLob(int type) {
        return type == Types.CLOB || type == Types.NCLOB || type == Types.BLOB || type == Types.LONGVARCHAR
                || type == Types.LONGNVARCHAR || type == Types.LONGVARBINARY;
    }
}
