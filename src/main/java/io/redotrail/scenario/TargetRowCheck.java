package io.redotrail.scenario;

import io.redotrail.scenario.Step.Literal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code assert target OWNER.TABLE where K=v [and K2=v] has C=v[, C2=v]}: reads the one target row with that key
 * and compares the named columns with the expected literals. Numbers compare by value ({@code 10.5} equals a
 * DECIMAL(12,2) {@code 10.50}), text exactly, timestamps and dates as written ({@code '2014-06-21 18:07:00'}),
 * {@code NULL} only NULL. A failure names the table, the key, the column, the expected and the actual value.
 * Stateless.
 */
public final class TargetRowCheck {
    private TargetRowCheck() {
    }

    /** Checks the row; returns a one-line description of what was found equal. */
    public static String check(Connection target, String table, Map<String, Literal> where, Map<String, Literal> expected)
            throws SQLException {
        String row = "target " + table + " where " + describe(where, " and ");
        List<String> cols = new ArrayList<>(expected.keySet());
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < cols.size(); i++) sql.append(i > 0 ? ", " : "").append(cols.get(i));
        sql.append(" FROM ").append(table).append(" WHERE ");
        int i = 0;
        for (Map.Entry<String, Literal> k : where.entrySet()) {
            if (k.getValue().kind() != Literal.Kind.NUMBER && k.getValue().kind() != Literal.Kind.STRING) {
                throw new IllegalArgumentException(row + ": key column " + k.getKey() + " needs a number or 'text', not " + k.getValue());
            }
            sql.append(i++ > 0 ? " AND " : "").append(k.getKey()).append(" = ?");
        }
        try (PreparedStatement ps = target.prepareStatement(sql.toString())) {
            int p = 1;
            for (Literal v : where.values()) {
                if (v.kind() == Literal.Kind.NUMBER) ps.setBigDecimal(p++, new BigDecimal(v.text()));
                else ps.setString(p++, v.text());
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no row of " + row);
                List<String> wrong = new ArrayList<>();
                for (int c = 0; c < cols.size(); c++) {
                    Object actual = rs.getObject(c + 1);
                    Literal want = expected.get(cols.get(c));
                    if (!matches(actual, want, row, cols.get(c))) {
                        wrong.add(cols.get(c) + " is " + shown(actual) + ", expected " + want);
                    }
                }
                if (rs.next()) throw new IllegalStateException("more than one row of " + row + " (the where must name the key)");
                if (!wrong.isEmpty()) throw new IllegalStateException(row + ": " + String.join("; ", wrong));
            }
        } catch (SQLException e) {
            throw new SQLException("cannot read " + row + " (" + sql + "): " + e.getMessage(), e.getSQLState(), e);
        }
        return row + " has " + describe(expected, ", ");
    }

    private static boolean matches(Object actual, Literal want, String row, String col) {
        if (want.kind() == Literal.Kind.NULL) return actual == null;
        if (want.kind() == Literal.Kind.WORD) {
            throw new IllegalArgumentException(row + ": " + col + " = " + want + " cannot be asserted (the clock moved on); give the value");
        }
        if (actual == null) return false;
        try {
            if (actual instanceof Number n) return new BigDecimal(n.toString()).compareTo(new BigDecimal(want.text().trim())) == 0;
            if (actual instanceof Timestamp ts) return ts.toLocalDateTime().equals(LocalDateTime.parse(want.text().trim().replace(' ', 'T')));
            if (actual instanceof LocalDateTime ldt) return ldt.equals(LocalDateTime.parse(want.text().trim().replace(' ', 'T')));
            if (actual instanceof Date d) return d.toLocalDate().equals(LocalDate.parse(want.text().trim()));
            if (actual instanceof LocalDate d) return d.equals(LocalDate.parse(want.text().trim()));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(row + ": expected " + col + " = " + want + " is not a value of its type ("
                    + actual.getClass().getSimpleName() + "): " + e.getMessage());
        }
        return actual.toString().equals(want.text());
    }

    private static String shown(Object v) {
        if (v == null) return "NULL";
        if (v instanceof BigDecimal d) return d.toPlainString();
        return v instanceof Number ? v.toString() : "'" + v + "'";
    }

    private static String describe(Map<String, Literal> m, String sep) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() > 0 ? sep : "").append(k).append('=').append(v));
        return sb.toString();
    }
}
