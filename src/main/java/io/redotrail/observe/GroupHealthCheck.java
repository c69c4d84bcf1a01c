package io.redotrail.observe;

import io.redotrail.report.GroupStats;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.List;
import java.util.Map;

/**
 * A Camel health check of one group ({@link HealthRules}): the liveness check {@code redotrail-<GROUP>-live} is DOWN
 * once the group abended; the readiness check {@code redotrail-<GROUP>-ready} also when its lag passes LAGCRITICAL
 * or its target is unreachable ({@link TargetProbe}). Both are in group {@code redotrail}; {@code /health} is DOWN
 * (HTTP 503) when any check is. Thread-safe.
 */
final class GroupHealthCheck extends AbstractHealthCheck {
    private final GroupView view;
    private final long lagCriticalMillis;
    private final TargetProbe target; // null: nothing to probe
    private final boolean readiness;

    GroupHealthCheck(GroupView view, long lagCriticalMillis, TargetProbe target, boolean readiness) {
        super("redotrail", "redotrail-" + view.group() + (readiness ? "-ready" : "-live"));
        this.view = view;
        this.lagCriticalMillis = lagCriticalMillis;
        this.target = target;
        this.readiness = readiness;
    }

    @Override
    public boolean isReadiness() {
        return readiness;
    }

    @Override
    public boolean isLiveness() {
        return !readiness;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        HealthRules.Observed o = observe(view, lagCriticalMillis, readiness ? target : null);
        List<String> down = readiness ? HealthRules.readiness(o) : HealthRules.liveness(o);
        builder.detail("group", view.group()).detail("kind", view.kind());
        if (o.lagMillis() >= 0) builder.detail("lag.seconds", o.lagMillis() / 1000.0);
        if (down.isEmpty()) {
            builder.up();
        } else {
            builder.down().message(String.join("; ", down));
            if (o.abend() != null) builder.error(o.abend());
        }
    }

    /** What the rules look at now; {@code target} null: not probed. */
    static HealthRules.Observed observe(GroupView view, long lagCriticalMillis, TargetProbe target) {
        return new HealthRules.Observed(view.runtime().abendCause(), currentLagMillis(view.runtime().stats(), System.currentTimeMillis()),
                lagCriticalMillis, target == null ? null : target.failure());
    }

    /**
     * The lag now: 0 at the end of the source; else the larger of the last record's lag and the time since that
     * record's source time, so a group stuck behind a lock or a slow target shows its lag growing, not the lag its
     * last record had. -1 when no record was processed since start.
     */
    static long currentLagMillis(GroupStats stats, long now) {
        if (stats.isAtEof()) return 0;
        long last = stats.lastRecordMillis();
        if (last <= 0) return -1;
        return Math.max(stats.lastRecordLagMillis(), now - last);
    }
}
