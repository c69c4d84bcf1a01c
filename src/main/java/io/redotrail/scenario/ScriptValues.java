package io.redotrail.scenario;

import io.redotrail.scenario.Step.Literal;
import io.redotrail.sim.ColumnDef;
import io.redotrail.sim.TableDef;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * How a script's values become column values of a source table: a literal converted to its column's type (a word
 * such as {@code now} read from the session's clock), the default an insert gives a NOT NULL column it leaves out,
 * the filler of generated rows, and the key a {@code where} names. Holds only the clock; immutable, so as
 * thread-safe as that clock.
 */
final class ScriptValues {
    private final Clock clock;

    ScriptValues(Clock clock) {
        this.clock = clock;
    }

    /** The key {@code where} names: exactly the key columns of {@code t}, none NULL. */
    List<Object> key(TableDef t, Map<String, Literal> where) {
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

    Object value(TableDef t, ColumnDef c, Literal v) {
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

    Object defaultValue(ColumnDef c) {
        return switch (c.type()) {
            case LONG -> 0L;
            case DECIMAL -> BigDecimal.ZERO;
            case STRING -> "-";
            case TIMESTAMP -> now();
            case DATE -> now().toLocalDate();
        };
    }

    /** Deterministic filler for generated rows: {@code <COLUMN>_<id>} text, id-derived numbers, the clock's time. */
    Object generated(ColumnDef c, long id) {
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
}
