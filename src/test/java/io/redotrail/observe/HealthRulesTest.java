package io.redotrail.observe;

import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.GroupStats;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthRulesTest {
    @TempDir
    Path home;

    @Test
    void upWithoutAbendLagOrUnreachableTarget() {
        HealthRules.Observed o = new HealthRules.Observed(null, 900, 1_000, null);
        assertEquals(List.of(), HealthRules.liveness(o));
        assertEquals(List.of(), HealthRules.readiness(o));
    }

    @Test
    void anAbendIsDownForBoth() {
        HealthRules.Observed o = new HealthRules.Observed(new IllegalStateException("disk full"), 0, -1, null);
        assertEquals(List.of("abended: disk full"), HealthRules.liveness(o));
        assertEquals(List.of("abended: disk full"), HealthRules.readiness(o));
    }

    @Test
    void lagAboveLagCriticalIsNotReadyButAlive() {
        HealthRules.Observed o = new HealthRules.Observed(null, 61_000, 60_000, null);
        assertEquals(List.of(), HealthRules.liveness(o));
        assertEquals(List.of("lag 00:01:01 is above LAGCRITICAL 00:01:00"), HealthRules.readiness(o));
        // at the threshold is not above it; no threshold: lag never makes it DOWN; unknown lag neither
        assertEquals(List.of(), HealthRules.readiness(new HealthRules.Observed(null, 60_000, 60_000, null)));
        assertEquals(List.of(), HealthRules.readiness(new HealthRules.Observed(null, 999_999_999, -1, null)));
        assertEquals(List.of(), HealthRules.readiness(new HealthRules.Observed(null, -1, 0, null)));
    }

    @Test
    void anUnreachableTargetIsNotReady() {
        HealthRules.Observed o = new HealthRules.Observed(null, 0, -1, "127.0.0.1:1: Connection refused");
        assertEquals(List.of(), HealthRules.liveness(o));
        assertEquals(List.of("target unreachable: 127.0.0.1:1: Connection refused"), HealthRules.readiness(o));
    }

    @Test
    void currentLagGrowsWhileAGroupIsStuckAndIsZeroAtEof() {
        GroupStats s = GroupRuntimes.of(new DefaultCamelContext(), home, "REP1").stats();
        assertEquals(-1, GroupHealthCheck.currentLagMillis(s, 10_000)); // nothing processed yet
        s.processed(1_000, 1_400);
        assertEquals(400, GroupHealthCheck.currentLagMillis(s, 1_400));
        // no record since: the time since the last record's source time
        assertEquals(9_000, GroupHealthCheck.currentLagMillis(s, 10_000));
        s.atEof(true);
        assertEquals(0, GroupHealthCheck.currentLagMillis(s, 10_000));
    }
}
