package io.redotrail.replicat;

import io.redotrail.replicat.mapping.MapStatement;
import io.redotrail.replicat.mapping.Mapper;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Creates a target's schemas and tables from the source's, as the MAP statements map them (the DBA's job
 * before a Replicat starts): the target name from MAP; the columns COLMAP writes (a renamed source column keeps
 * its type, {@code @GETENV} tokens and constants get the type of their value), plus, with USEDEFAULTS or no
 * COLMAP, every other source column under its own name; the primary key KEYCOLS when given, else the source's
 * key in target names (none when the map leaves a key column out); the source's non-unique indexes whose columns
 * all arrive (a keyless table's row-id index: without it every Replicat update by all columns scans the table).
 * Source definitions are read from the source database's metadata ({@link TargetTables}). A table that exists is
 * left as it is ({@code IF NOT EXISTS} too: {@code run} and {@code simulate} may prepare the same target at once).
 * Names are written unquoted
 * when they are plain upper-case identifiers, so each database folds them its way (PostgreSQL to lower case),
 * as the Replicat expects.
 */
public final class TargetCreate {
    private static final Pattern PLAIN = Pattern.compile("[A-Z_][A-Z0-9_$]*");
    /** {@link Outcome#status()} of a table this call created. */
    public static final String CREATED = "created";
    /** {@link Outcome#status()} of a table that was there already. */
    public static final String EXISTS = "exists, left as is";

    /** What happened to one source table's target: {@code created}, {@code exists, left as is}, or not mapped (target null). */
    public record Outcome(String source, String target, String status) {
        @Override
        public String toString() {
            return (target == null ? source : target.equals(source) ? target : target + " (from " + source + ")") + ": " + status;
        }
    }

    private TargetCreate() {
    }

    /**
     * The source database's base tables as {@code OWNER.TABLE}, system schemas left out, and the heartbeat's seed
     * table: no user table (every TABLE passes it, the Replicat keeps it in GG_HEARTBEAT), never created or compared
     * in a target, never to be named in an Extract's TABLE.
     */
    public static List<String> tables(Connection source) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = source.getMetaData().getTables(null, null, "%", null)) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM"), type = String.valueOf(rs.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT);
                if (schema == null || schema.equalsIgnoreCase("INFORMATION_SCHEMA") || schema.equalsIgnoreCase("pg_catalog")) continue;
                String name = schema + "." + rs.getString("TABLE_NAME");
                if (type.contains("TABLE") && !type.contains("SYSTEM") && !io.redotrail.core.SourceCatalog.internal(name)) out.add(name);
            }
        }
        return out;
    }

    /**
     * Creates the target of each of {@code sourceTables} (in that order) that does not exist yet. Fails at the
     * first table that cannot be created, naming it (the tables before it stay created; a second run goes on).
     */
    public static List<Outcome> create(Connection source, Connection target, List<String> sourceTables, Mapper mapper) throws SQLException {
        boolean pg = "PostgreSQL".equalsIgnoreCase(target.getMetaData().getDatabaseProductName());
        TargetTables srcMeta = new TargetTables(), tgtMeta = new TargetTables();
        List<Outcome> out = new ArrayList<>();
        for (String name : sourceTables) {
            Mapper.Resolved r = mapper.resolve(name);
            if (r == null) {
                out.add(new Outcome(name, null, "not mapped by any MAP statement, no target table"));
                continue;
            }
            String where = r.identity() ? "" : " (mapped from " + name + " by " + r.statement().describe() + ")";
            TargetTables.Table s = srcMeta.lookup(source, name);
            if (s == null) throw new IllegalArgumentException("source table " + name + " does not exist in the source database");
            if (tgtMeta.lookup(target, r.target()) != null) {
                out.add(new Outcome(name, r.target(), EXISTS));
                continue;
            }
            List<String> ddl;
            try {
                ddl = statements(s, r, pg, sourceIndexes(source, name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("target table " + r.target() + where + ": " + e.getMessage());
            }
            try (Statement st = target.createStatement()) {
                for (String sql : ddl) st.execute(sql);
                if (!target.getAutoCommit()) target.commit();
            } catch (SQLException e) {
                throw new SQLException("cannot create target table " + r.target() + where + ": " + e.getMessage(), e.getSQLState(), e);
            }
            out.add(new Outcome(name, r.target(), CREATED));
        }
        return out;
    }

    private static List<String> statements(TargetTables.Table s, Mapper.Resolved r, boolean pg, Map<String, List<String>> indexes) {
        Map<String, String> cols = new LinkedHashMap<>(); // target column -> its DDL type (and NOT NULL)
        Map<String, String> renamed = new LinkedHashMap<>(); // source column -> target column
        MapStatement m = r.statement();
        if (m != null) {
            for (MapStatement.ColMapEntry e : m.colMap()) {
                String type;
                if (e.expr() instanceof MapStatement.Column c) {
                    TargetTables.Column sc = s.column(c.name());
                    if (sc == null) throw new IllegalArgumentException("COLMAP source column " + c.name() + " is not in " + s.name());
                    type = type(sc, pg) + (sc.nullable() ? "" : " NOT NULL");
                    renamed.putIfAbsent(c.name(), e.targetColumn());
                } else {
                    type = valueType(e, pg);
                }
                cols.put(e.targetColumn(), type);
            }
        }
        if (m == null || m.useDefaults()) {
            for (TargetTables.Column sc : s.columns().values()) {
                String c = sc.name().toUpperCase(Locale.ROOT);
                if (cols.containsKey(c)) continue;
                cols.put(c, type(sc, pg) + (sc.nullable() ? "" : " NOT NULL"));
                renamed.putIfAbsent(c, c);
            }
        }
        List<String> key = new ArrayList<>(r.keyCols());
        for (String k : key) {
            if (!cols.containsKey(k)) throw new IllegalArgumentException("KEYCOLS column " + k + " is not one of its columns " + cols.keySet());
        }
        if (key.isEmpty() && renamed.keySet().containsAll(s.primaryKey())) {
            for (String k : s.primaryKey()) key.add(renamed.get(k));
        }
        String table = name(r.target());
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (");
        cols.forEach((c, t) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(ident(c)).append(' ').append(t));
        if (!key.isEmpty()) sb.append(", PRIMARY KEY (").append(String.join(", ", key.stream().map(TargetCreate::ident).toList())).append(')');
        sb.append(')');
        List<String> sql = new ArrayList<>();
        int dot = r.target().indexOf('.');
        if (dot > 0) sql.add("CREATE SCHEMA IF NOT EXISTS " + ident(r.target().substring(0, dot)));
        sql.add(sb.toString());
        String sourceTable = s.name().substring(s.name().indexOf('.') + 1), targetTable = r.target().substring(r.target().indexOf('.') + 1);
        indexes.forEach((index, columns) -> {
            if (!renamed.keySet().containsAll(columns)) return; // the map leaves a column out: nothing to index by
            // AUDIT_LOG_RID on AUDIT_LOG stays AUDIT_LOG_RID; mapped to AUDIT, it becomes AUDIT_RID (index names are per schema)
            String name = index.startsWith(sourceTable) ? targetTable + index.substring(sourceTable.length()) : targetTable + "_" + index;
            sql.add("CREATE INDEX IF NOT EXISTS " + ident(name) + " ON " + table + " ("
                    + String.join(", ", columns.stream().map(c -> ident(renamed.get(c))).toList()) + ")");
        });
        return sql;
    }

    /** The source table's non-unique indexes: name to upper-case columns in index order. */
    private static Map<String, List<String>> sourceIndexes(Connection source, String table) throws SQLException {
        int dot = table.indexOf('.');
        Map<String, java.util.TreeMap<Integer, String>> byName = new LinkedHashMap<>();
        try (ResultSet rs = source.getMetaData().getIndexInfo(null, table.substring(0, dot), table.substring(dot + 1), false, true)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME"), col = rs.getString("COLUMN_NAME");
                if (index == null || col == null || !rs.getBoolean("NON_UNIQUE")) continue;
                byName.computeIfAbsent(index, k -> new java.util.TreeMap<>()).put((int) rs.getShort("ORDINAL_POSITION"), col.toUpperCase(Locale.ROOT));
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        byName.forEach((k, v) -> out.put(k, List.copyOf(v.values())));
        return out;
    }

    /** The column's type as the source declares it, in DDL both H2 and PostgreSQL accept (LOBs by the target's name). */
    static String type(TargetTables.Column c, boolean pg) {
        return switch (c.sqlType()) {
            case Types.BIGINT -> "BIGINT";
            case Types.INTEGER -> "INTEGER";
            case Types.SMALLINT, Types.TINYINT -> "SMALLINT";
            case Types.BOOLEAN, Types.BIT -> "BOOLEAN";
            // H2's NUMERIC without precision keeps no decimal places: DECFLOAT holds what an unconstrained one does
            case Types.DECIMAL, Types.NUMERIC -> c.size() > 0 && !"DECFLOAT".equalsIgnoreCase(c.typeName())
                    ? "NUMERIC(" + c.size() + "," + c.scale() + ")" : unconstrainedNumeric(pg);
            case Types.VARCHAR, Types.NVARCHAR -> "VARCHAR(" + c.size() + ")";
            case Types.CHAR, Types.NCHAR -> "CHAR(" + c.size() + ")";
            case Types.CLOB, Types.NCLOB, Types.LONGVARCHAR, Types.LONGNVARCHAR -> pg ? "TEXT" : "CLOB";
            case Types.BLOB, Types.LONGVARBINARY -> pg ? "BYTEA" : "BLOB";
            case Types.BINARY, Types.VARBINARY -> pg ? "BYTEA" : "VARBINARY(" + c.size() + ")";
            case Types.DATE -> "DATE";
            case Types.TIME -> "TIME";
            // the source's fractional digits (PostgreSQL keeps at most 6): the default (6) would round finer ones
            case Types.TIMESTAMP -> "TIMESTAMP" + fraction(c, pg);
            case Types.TIMESTAMP_WITH_TIMEZONE -> "TIMESTAMP" + fraction(c, pg) + " WITH TIME ZONE";
            case Types.DOUBLE, Types.FLOAT -> "DOUBLE PRECISION";
            case Types.REAL -> "REAL";
            default -> c.typeName();
        };
    }

    private static String unconstrainedNumeric(boolean pg) {
        return pg ? "NUMERIC" : "DECFLOAT";
    }

    private static String fraction(TargetTables.Column c, boolean pg) {
        return c.scale() >= 0 && c.scale() <= 9 ? "(" + Math.min(c.scale(), pg ? 6 : 9) + ")" : "";
    }

    /** The type of a COLMAP constant or {@code @GETENV} token; NULL has none to derive. */
    private static String valueType(MapStatement.ColMapEntry e, boolean pg) {
        if (e.expr() instanceof MapStatement.Token t) {
            return switch (t.kind()) {
                case CSN -> "BIGINT";
                case XID -> "VARCHAR(64)";
                case COMMIT_TIMESTAMP -> "TIMESTAMP";
                case OPTYPE -> "VARCHAR(20)";
                case TABLENAME -> "VARCHAR(261)";
            };
        }
        Object v = ((MapStatement.Constant) e.expr()).value();
        if (v instanceof Long) return "BIGINT";
        if (v instanceof BigDecimal) return unconstrainedNumeric(pg);
        if (v instanceof String str) return "VARCHAR(" + Math.max(1, str.length()) + ")";
        throw new IllegalArgumentException("COLMAP column " + e.targetColumn() + " = NULL: its type cannot be derived;"
                + " create the table by hand or map a value of the type");
    }

    private static String name(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? ident(qualified) : ident(qualified.substring(0, dot)) + "." + ident(qualified.substring(dot + 1));
    }

    /** Plain upper-case names unquoted (each database folds them its way), others quoted as written. */
    private static String ident(String n) {
        return PLAIN.matcher(n).matches() ? n : "\"" + n.replace("\"", "\"\"") + "\"";
    }
}
