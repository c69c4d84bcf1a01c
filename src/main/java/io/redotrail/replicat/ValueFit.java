package io.redotrail.replicat;

import io.redotrail.core.ValueCodec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Locale;

/**
 * Whether a trail value survives a target column exactly. H2 and PostgreSQL both round, without an error, a value
 * with more fractional digits than a NUMERIC column's scale (H2's NUMERIC without precision keeps none), a fraction
 * bound to an integer column, a time of day bound to a DATE, sub-second digits beyond a TIMESTAMP's precision, and
 * PostgreSQL a money value to its locale's fractional digits: the target row would differ from the source and nothing would say so. Values too long or too large for the column
 * are the database's own errors and are left to it; floating-point columns are approximate by declaration.
 * <p>
 * {@link #kept} is computed once per statement shape, {@link #loss} per bound value. Stateless, thread-safe.
 */
final class ValueFit {
    /** The column stores any value it accepts as given (text, floats, unconstrained NUMERIC, ...): nothing to check. */
    static final int ANY = Integer.MIN_VALUE;
    /** A DATE column: the time of day is dropped. */
    private static final int DAYS = -1;
    /** Nanoseconds per last digit a TIMESTAMP(p) keeps, by p (0..8): looked up per bound value, not computed. */
    private static final int[] NANOS_PER_UNIT = {1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10};

    private ValueFit() {
    }

    /** Fractional digits {@code c} keeps ({@link #ANY} when it keeps what it accepts, -1 for a DATE). */
    static int kept(TargetTables.Column c) {
        // PostgreSQL's money reports DOUBLE but rounds to its locale's digits (TargetTables reads them into scale)
        if ("money".equalsIgnoreCase(c.typeName())) return Math.max(0, c.scale());
        return switch (c.sqlType()) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> 0;
            // PostgreSQL's unconstrained numeric reports no precision; H2's DECFLOAT reports NUMERIC
            case Types.NUMERIC, Types.DECIMAL -> c.size() > 0 && !isDecfloat(c) ? Math.max(0, c.scale()) : ANY;
            case Types.DATE -> DAYS;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> c.scale() >= 0 && c.scale() < 9 ? c.scale() : ANY;
            default -> ANY;
        };
    }

    /**
     * Per column of {@code cols}, what {@link #kept} says ({@link #ANY} for those in {@code derived}: a COLMAP constant
     * or token, what the mapping chose to write), or null when no column needs a check.
     */
    static int[] kept(TargetTables.Table t, String[] cols, java.util.Set<String> derived) {
        if (cols == null) return null;
        int[] out = new int[cols.length];
        boolean any = false;
        for (int i = 0; i < cols.length; i++) {
            out[i] = derived.contains(cols[i]) ? ANY : kept(t.column(cols[i]));
            any |= out[i] != ANY;
        }
        return any ? out : null;
    }

    /**
     * Null when {@code v} is stored as it is in a column of {@code sqlType} keeping {@code kept} digits, else what
     * the column would store instead, e.g. "1.24 (the column keeps 2 decimal places)".
     */
    static String loss(Object v, int sqlType, int kept) {
        if (kept == ANY || v == null) return null;
        if (kept == DAYS) {
            return v instanceof LocalDateTime t && !t.toLocalTime().equals(LocalTime.MIDNIGHT)
                    ? t.toLocalDate() + " (a DATE keeps no time of day)" : null;
        }
        if (sqlType == Types.TIMESTAMP || sqlType == Types.TIMESTAMP_WITH_TIMEZONE) {
            if (!(v instanceof LocalDateTime t)) return null;
            int unit = NANOS_PER_UNIT[kept];
            return t.getNano() % unit == 0 ? null
                    : ValueCodec.display(t.withNano(0).plusNanos(Math.round(t.getNano() / (double) unit) * unit))
                    + " (the column keeps " + kept + " fractional second digit" + (kept == 1 ? "" : "s") + ")";
        }
        BigDecimal d;
        if (v instanceof BigDecimal b) {
            d = b;
        } else if (v instanceof Double x && Double.isFinite(x)) {
            d = BigDecimal.valueOf(x);
        } else {
            return null; // integers fit any scale; out-of-range values are the database's error
        }
        if (d.scale() <= kept || d.stripTrailingZeros().scale() <= kept) return null;
        return d.setScale(kept, RoundingMode.HALF_UP).toPlainString() + " (the column keeps " + kept
                + " decimal place" + (kept == 1 ? "" : "s") + ")";
    }

    /** "NUMERIC(10,2)", "TIMESTAMP(0)", "DATE": the column as the database declares it, for messages. */
    static String declared(TargetTables.Column c) {
        String type = c.typeName() == null ? "?" : c.typeName().toUpperCase(Locale.ROOT);
        return switch (c.sqlType()) {
            case Types.NUMERIC, Types.DECIMAL -> type + "(" + c.size() + "," + c.scale() + ")";
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> type + "(" + c.scale() + ")";
            default -> type;
        };
    }

    private static boolean isDecfloat(TargetTables.Column c) {
        return c.typeName() != null && c.typeName().toUpperCase(Locale.ROOT).startsWith("DECFLOAT");
    }
}
