package io.redotrail.observe;

import io.redotrail.checkpoint.CheckpointLag;

import java.util.ArrayList;
import java.util.List;

/**
 * The health rules of a group (docs/observability.md), as a pure function of what was observed, so they are
 * tested without a running group. A group is DOWN when
 * <ul>
 *   <li>it abended (liveness and readiness): the cause is the reason;</li>
 *   <li>its lag passes LAGCRITICAL (readiness): the lag of its last record, while it is not at the end of its
 *       source (a caught-up idle group has no lag however old its last record is), above {@code lagCriticalMillis};</li>
 *   <li>its target is unreachable (readiness): a Replicat's database refuses a connection, a pump's remote host
 *       (RMTHOST, MGRPORT) refuses or does not answer a TCP connection.</li>
 * </ul>
 * Stateless.
 */
public final class HealthRules {
    private HealthRules() {
    }

    /**
     * What a health check saw: the abend cause (null: none), the checkpoint lag in ms (-1: unknown; 0 at EOF), the
     * LAGCRITICAL threshold in ms (-1: none), and the target probe's failure (null: reachable or nothing to probe).
     */
    public record Observed(Throwable abend, long lagMillis, long lagCriticalMillis, String targetFailure) {
    }

    /** Liveness: the reasons the group is not alive (empty: UP). */
    public static List<String> liveness(Observed o) {
        List<String> down = new ArrayList<>();
        if (o.abend() != null) down.add("abended: " + message(o.abend()));
        return down;
    }

    /** Readiness: the reasons the group is not ready (empty: UP). */
    public static List<String> readiness(Observed o) {
        List<String> down = liveness(o);
        String lag = lagAbove(o.lagMillis(), o.lagCriticalMillis());
        if (lag != null) down.add(lag);
        if (o.targetFailure() != null) down.add("target unreachable: " + o.targetFailure());
        return down;
    }

    /** The reason when {@code lagMillis} passes LAGCRITICAL ({@code lagCriticalMillis}, -1: none), else null. */
    public static String lagAbove(long lagMillis, long lagCriticalMillis) {
        if (lagCriticalMillis < 0 || lagMillis <= lagCriticalMillis) return null;
        return "lag " + CheckpointLag.hms(lagMillis) + " is above LAGCRITICAL " + CheckpointLag.hms(lagCriticalMillis);
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
