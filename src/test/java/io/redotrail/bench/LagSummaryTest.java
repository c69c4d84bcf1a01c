package io.redotrail.bench;

import io.redotrail.sim.WorkloadConfig;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** bench --lag's figures: the phase of each transaction, the percentiles, the goal line and the report section. */
class LagSummaryTest {
    @Test
    void percentilesOfAKnownDistribution() {
        Histogram h = new Histogram(3);
        for (int v = 1; v <= 1000; v++) h.recordValue(v); // 1..1000 ms once each
        LagSummary s = LagSummary.of("50%", 40_000, 39_876.4, 60.04, h);
        assertEquals(1000, s.transactions());
        assertEquals(500, s.p50());
        assertEquals(900, s.p90());
        assertEquals(990, s.p99());
        assertEquals(999, s.p999());
        assertEquals(1000, s.max());
        assertEquals("lag at 50%: offered 40,000 rows/s, achieved 39,876 rows/s over 60.0 s, 1,000 transactions: "
                + "p50 500 ms, p90 900 ms, p99 990 ms, p99.9 999 ms, max 1,000 ms", s.line());
        assertEquals("| 50% | 40,000 | 39,876 | 60.0 | 1,000 | 500 | 900 | 990 | 999 | 1,000 |", s.row());
        assertEquals("goal: lag-p99-at-50 990 1000 MET", LagSummary.goal(s).line());
    }

    @Test
    void theGoalIsAtMostOneSecondAndRoundsUp() {
        assertEquals("goal: lag-p99-at-50 1000 1000 MET", Goal.atMost("lag-p99-at-50", 1000.0, "1000").line());
        assertEquals("goal: lag-p99-at-50 1001 1000 NOT MET", Goal.atMost("lag-p99-at-50", 1000.2, "1000").line());
        assertEquals("goal: lag-p99-at-50 1500 1000 NOT MET", Goal.atMost("lag-p99-at-50", 1500.0, "1000").line());
        LagSummary none = LagSummary.of("50%", 1, Double.NaN, 0, new Histogram(3));
        assertTrue(none.line().startsWith("lag at 50%: offered 1 rows/s, achieved n/a rows/s over 0.0 s, 0 transactions"), none.line());
        assertEquals("goal: lag-p99-at-50 n/a 1000 NOT MET", LagSummary.goal(none).line());
        assertTrue(none.line().endsWith("0 transactions: p50 n/a ms, p90 n/a ms, p99 n/a ms, p99.9 n/a ms, max n/a ms"), none.line());
    }

    @Test
    void aTransactionCountsInThePhaseOfItsSourceCommit() {
        LagPhases p = new LagPhases();
        p.applied(900, 950); // priming: before any phase
        p.begin("50%", 1000);
        p.applied(1000, 1010);
        p.end(2000);
        p.applied(1500, 2700); // committed in 50%, applied later: still 50%
        p.applied(2050, 2060); // between the phases
        p.begin("90%", 2100);
        p.applied(2100, 2090); // clocks never make a negative lag
        assertThrows(IllegalStateException.class, () -> p.begin("x", 3000));
        p.end(3000);
        Histogram h50 = p.histogram("50%"), h90 = p.histogram("90%");
        assertEquals(2, h50.getTotalCount());
        assertEquals(10, h50.getMinValue());
        assertEquals(1200, h50.getMaxValue(), 1);
        assertEquals(1, h90.getTotalCount());
        assertEquals(0, h90.getMaxValue());
        assertEquals(2, p.unmeasured());
        assertEquals(500, p.sourceSpanMillis("50%"), "from the first to the last source commit of the phase");
        assertEquals(0, p.sourceSpanMillis("90%"), "one transaction: no span");
    }

    @Test
    void pacedOffersTheCommittedRateForTheSeconds() {
        WorkloadConfig wc = WorkloadConfig.defaults().withOpsPerTransaction(1, 9).withRollbackRatio(0.05);
        WorkloadConfig p = LagBench.paced(wc, 38_000, 60);
        assertEquals(40_000, p.rowsPerSecond(), 1e-6, "rolled-back changes are paced too");
        assertEquals(Math.ceil(40_000 * 60 * 1.01 / 5), p.transactions());
        assertEquals(32, p.commitGroupSize(), "8,000 transactions/s: 40 in 5 ms, at most the configured 32");
        WorkloadConfig slow = LagBench.paced(wc, 950, 2);
        assertEquals(1, slow.commitGroupSize(), "200 transactions/s: a group commit per transaction");
    }

    @Test
    void theSectionCarriesMachineDatePhasesAndGoal(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("performance.md");
        Files.writeString(f, "# Performance\n\nintro\n");
        Histogram h = new Histogram(3);
        h.recordValue(12);
        List<LagSummary> phases = List.of(LagSummary.of("50%", 100, 99, 2.0, h), LagSummary.of("90%", 180, 170, 2.0, h));
        Goal g = LagSummary.goal(phases.get(0));
        PerformanceReport.writeLagSection(f, "bench-lag", "Lag", "H2", "200 rows/s (--max-rate)", phases, g);
        PerformanceReport.writeLagSection(f, "bench-lag", "Lag", "H2", "200 rows/s (--max-rate)", phases, g); // replaces, not appends
        String doc = Files.readString(f);
        assertTrue(doc.startsWith("# Performance\n\nintro\n"), doc);
        assertEquals(doc.indexOf("<!-- bench-lag:begin -->"), doc.lastIndexOf("<!-- bench-lag:begin -->"), doc);
        assertTrue(doc.contains("- date: ") && doc.contains("- machine: ") && doc.contains("- target: H2\n"), doc);
        assertTrue(doc.contains("| 50% | 100 | 99 | 2.0 | 1 | 12 | 12 | 12 | 12 | 12 |\n"), doc);
        assertTrue(doc.contains("```text\ngoal: lag-p99-at-50 12 1000 MET\n```\n<!-- bench-lag:end -->"), doc);
    }
}
