package io.redotrail.verify;

import io.redotrail.core.Jdbc;
import io.redotrail.core.ValueCodec;
import io.redotrail.replicat.TargetTables;
import io.redotrail.replicat.mapping.MapStatement;
import io.redotrail.replicat.mapping.Mapper;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Compares tables of a source and a target database (like Oracle Veridata, much simpler): per table the row
 * count, a checksum, and the first differing key. Both sides are read in one pass, ordered by the source
 * table's primary key (all non-LOB columns when it has none), with a streaming merge: memory stays constant
 * for tables of any size.
 * <p>
 * Values are compared by their canonical text ({@link ValueCodec#display}): DECIMAL 1.50 equals 1.5,
 * INTEGER 5 equals NUMERIC 5, timestamps compare by value. The checksum is the sum (mod 2^64) of 64-bit row
 * hashes, so it does not depend on how each database collates strings; the key merge uses Java ordering
 * (numbers by value, strings by UTF-16 code unit, NULLS FIRST), which matches H2 and PostgreSQL's "C"
 * collation — with another collation the reported first difference may be a later one.
 * <p>
 * Read-only and safe while the Replicat runs: each table is one SELECT per side on read-only connections
 * opened per {@link #compare} call (rows committed during the scan may or may not be seen). Not thread-safe.
 */
public final class TableComparer {
    private final String sourceUrl, sourceUser, sourcePassword;
    private final String targetUrl, targetUser, targetPassword;
    private int fetchSize = 1000;

    public TableComparer(String sourceUrl, String sourceUser, String sourcePassword,
                         String targetUrl, String targetUser, String targetPassword) {
        this.sourceUrl = sourceUrl;
        this.sourceUser = sourceUser;
        this.sourcePassword = sourcePassword;
        this.targetUrl = targetUrl;
        this.targetUser = targetUser;
        this.targetPassword = targetPassword;
    }

    public TableComparer fetchSize(int rows) {
        this.fetchSize = rows;
        return this;
    }

    /** Compares each {@code OWNER.TABLE}; a table missing on one side is reported as different. */
    public VerifyReport compare(List<String> tables) throws SQLException {
        return compare(tables, new Mapper(List.of()));
    }

    /**
     * Compares each source {@code OWNER.TABLE} with its target as {@code mapper} maps it (target name, COLMAP
     * columns, {@link ColumnPairs}); a table no MAP statement maps, or missing on one side, is reported as
     * different. A mapped table is reported as {@code SOURCE -> TARGET}.
     */
    public VerifyReport compare(List<String> tables, Mapper mapper) throws SQLException {
        List<VerifyReport.TableResult> results = new ArrayList<>();
        try (Connection src = open(sourceUrl, sourceUser, sourcePassword);
             Connection tgt = open(targetUrl, targetUser, targetPassword)) {
            TargetTables srcMeta = new TargetTables();
            TargetTables tgtMeta = new TargetTables();
            for (String name : tables) {
                String t = name.trim().toUpperCase(Locale.ROOT);
                Mapper.Resolved r = mapper.resolve(t);
                if (r == null) {
                    results.add(new VerifyReport.TableResult(t, -1, -1, null, null, false, "not mapped by any MAP statement"));
                    continue;
                }
                String label = r.identity() || r.target().equals(t) ? t : t + " -> " + r.target();
                results.add(compareTable(label, src, srcMeta.lookup(src, t), tgt, tgtMeta.lookup(tgt, r.target()), r.statement()));
                src.rollback(); // end the read transactions between tables
                tgt.rollback();
            }
        }
        return new VerifyReport(sourceUrl, targetUrl, results);
    }

    private Connection open(String url, String user, String password) throws SQLException {
        Connection c = Jdbc.connect(url, user, password);
        c.setReadOnly(true);
        c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
        return c;
    }

    private VerifyReport.TableResult compareTable(String name, Connection src, TargetTables.Table s,
                                                  Connection tgt, TargetTables.Table t, MapStatement map) throws SQLException {
        if (s == null || t == null) {
            return new VerifyReport.TableResult(name, -1, -1, null, null, false,
                    "table does not exist in the " + (s == null ? "source" : "target"));
        }
        ColumnPairs pairs = ColumnPairs.of(s, t, map);
        if (pairs.problem() != null) return new VerifyReport.TableResult(name, -1, -1, null, null, false, pairs.problem());
        List<String> cols = pairs.source();
        List<String> key = pairs.key();
        int[] keyIdx = key.stream().mapToInt(cols::indexOf).toArray();
        try (Statement ss = src.createStatement(); Statement ts = tgt.createStatement()) {
            ss.setFetchSize(fetchSize);
            ts.setFetchSize(fetchSize);
            try (ResultSet sr = ss.executeQuery(select(s, cols, key));
                 ResultSet tr = ts.executeQuery(select(t, pairs.target(), pairs.targetKey()))) {
                Side a = new Side(sr, s, cols), b = new Side(tr, t, pairs.target());
                String first = null;
                a.next();
                b.next();
                while (a.row != null || b.row != null) {
                    int c = a.row == null ? 1 : b.row == null ? -1 : compareKeys(a.row, b.row, keyIdx);
                    if (c == 0) {
                        if (first == null && !Arrays.equals(a.text, b.text)) {
                            first = keyText(key, keyIdx, a.text) + ": values differ, source " + rowText(cols, a.text)
                                    + " target " + rowText(cols, b.text);
                        }
                        a.next();
                        b.next();
                    } else if (c < 0) {
                        if (first == null) first = keyText(key, keyIdx, a.text) + ": missing in target";
                        a.next();
                    } else {
                        if (first == null) first = keyText(key, keyIdx, b.text) + ": not in source (extra in target)";
                        b.next();
                    }
                }
                boolean equal = first == null && a.count == b.count && a.sum == b.sum;
                return new VerifyReport.TableResult(name, a.count, b.count, hex(a.sum), hex(b.sum), equal, first);
            }
        }
    }

    private static String select(TargetTables.Table t, List<String> cols, List<String> key) {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (int i = 0; i < cols.size(); i++) sb.append(i > 0 ? ", " : "").append(t.column(cols.get(i)).sqlName());
        sb.append(" FROM ").append(t.sqlName()).append(" ORDER BY ");
        for (int i = 0; i < key.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(t.column(key.get(i)).sqlName()).append(" NULLS FIRST");
        }
        return sb.toString();
    }

    /** One side's cursor: current row values and canonical texts, running count and checksum. */
    private static final class Side {
        final ResultSet rs;
        final int[] types;
        Object[] row;
        String[] text;
        long count, sum;

        Side(ResultSet rs, TargetTables.Table t, List<String> cols) {
            this.rs = rs;
            this.types = cols.stream().mapToInt(c -> t.column(c).sqlType()).toArray();
        }

        void next() throws SQLException {
            if (!rs.next()) {
                row = null;
                text = null;
                return;
            }
            row = new Object[types.length];
            text = new String[types.length];
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < types.length; i++) {
                row[i] = read(rs, i + 1, types[i]);
                text[i] = ValueCodec.display(row[i]);
                h = fnv(h, text[i]);
                h = (h ^ 0x1F) * 0x100000001b3L; // column separator
            }
            count++;
            sum += mix(h);
        }
    }

    static Object read(ResultSet rs, int i, int type) throws SQLException {
        Object v = switch (type) {
            case Types.BIT, Types.BOOLEAN -> rs.getBoolean(i);
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> rs.getLong(i);
            case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(i);
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> rs.getDouble(i);
            case Types.DATE -> rs.getObject(i, LocalDate.class);
            case Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> rs.getBytes(i);
            default -> rs.getString(i);
        };
        return rs.wasNull() ? null : v;
    }

    private static int compareKeys(Object[] a, Object[] b, int[] idx) {
        for (int i : idx) {
            int c = compareValues(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object x, Object y) {
        if (x == null || y == null) return x == null ? (y == null ? 0 : -1) : 1;
        if (x instanceof Long l && y instanceof Long m) return Long.compare(l, m);
        if (x instanceof Number && y instanceof Number) return decimal(x).compareTo(decimal(y));
        if (x instanceof byte[] p && y instanceof byte[] q) return Arrays.compareUnsigned(p, q);
        if (x.getClass() == y.getClass() && x instanceof Comparable c) return c.compareTo(y);
        return ValueCodec.display(x).compareTo(ValueCodec.display(y));
    }

    private static BigDecimal decimal(Object n) {
        return n instanceof BigDecimal d ? d : n instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal(n.toString());
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            h = (h ^ (ch & 0xFF)) * 0x100000001b3L;
            h = (h ^ (ch >>> 8)) * 0x100000001b3L;
        }
        return h;
    }

    /** splitmix64 finaliser: spreads the FNV hash so the row sum does not cancel out. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static String hex(long v) {
        return HexFormat.of().toHexDigits(v);
    }

    private static String keyText(List<String> key, int[] idx, String[] text) {
        StringBuilder sb = new StringBuilder("key (");
        for (int i = 0; i < idx.length; i++) sb.append(i > 0 ? ", " : "").append(key.get(i)).append('=').append(cut(text[idx[i]]));
        return sb.append(')').toString();
    }

    private static String rowText(List<String> cols, String[] text) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < cols.size(); i++) sb.append(i > 0 ? ", " : "").append(cols.get(i)).append('=').append(cut(text[i]));
        return sb.append('}').toString();
    }

    private static String cut(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
