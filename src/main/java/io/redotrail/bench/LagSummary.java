package io.redotrail.bench;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * One phase of {@code bench --lag}: the rate it offered (committed row changes/s), the rate the workload achieved
 * (NaN: unknown) over {@code seconds}, the span of its applied transactions' source commits, and the commit-to-apply lag percentiles in milliseconds of the transactions it committed
 * (null when none was applied). Immutable.
 */
record LagSummary(String phase, double offeredRate, double achievedRate, double seconds, long transactions,
                  Long p50, Long p90, Long p99, Long p999, Long max) {

    /** The percentiles of {@code lag} (milliseconds, as {@link LagPhases} records them). */
    static LagSummary of(String phase, double offeredRate, double achievedRate, double seconds, Histogram lag) {
        long n = lag.getTotalCount();
        if (n == 0) return new LagSummary(phase, offeredRate, achievedRate, seconds, 0, null, null, null, null, null);
        return new LagSummary(phase, offeredRate, achievedRate, seconds, n, lag.getValueAtPercentile(50), lag.getValueAtPercentile(90),
                lag.getValueAtPercentile(99), lag.getValueAtPercentile(99.9), lag.getMaxValue());
    }

    /** The console line, e.g. {@code lag at 50%: offered 40,000 rows/s, achieved 39,950 rows/s over 60.0 s, 9,100 transactions: p50 3 ms ...}. */
    String line() {
        return String.format(Locale.ROOT, "lag at %s: offered %,.0f rows/s, achieved %s rows/s over %.1f s, %,d transactions: "
                + "p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, max %s ms", phase, offeredRate, rate(achievedRate), seconds, transactions,
                ms(p50), ms(p90), ms(p99), ms(p999), ms(max));
    }

    /** The report's table row: phase, offered, achieved, seconds, transactions, p50, p90, p99, p99.9, max. */
    String row() {
        return String.format(Locale.ROOT, "| %s | %,.0f | %s | %.1f | %,d | %s | %s | %s | %s | %s |", phase, offeredRate, rate(achievedRate),
                seconds, transactions, ms(p50), ms(p90), ms(p99), ms(p999), ms(max));
    }

    private static String rate(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%,.0f", r) : "n/a";
    }

    private static String ms(Long v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%,d", v);
    }

    /** The goal of issue 13: p99 lag at 50 % of the maximum at most one second. */
    static Goal goal(LagSummary at50) {
        return Goal.atMost("lag-p99-at-50", at50.p99() == null ? null : at50.p99().doubleValue(), "1000");
    }
}
