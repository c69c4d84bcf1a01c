package io.redotrail.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GoalTest {
    @Test
    void linesInTheExactFormat() {
        assertEquals("goal: extract-alone 239000 1000000 NOT MET", new Goal("extract-alone", 239000.9, "1000000").line());
        assertEquals("goal: extract-alone 1000000 1000000 MET", new Goal("extract-alone", 1_000_000.0, "1000000").line());
        assertEquals("goal: extract-alone 1250000 1000000 MET", new Goal("extract-alone", 1_250_000.4, "1000000").line());
        assertEquals("goal: replicat-vs-limit 0.87 0.90 NOT MET", new Goal("replicat-vs-limit", 0.8799, "0.90").line());
        assertEquals("goal: replicat-vs-limit 0.90 0.90 MET", new Goal("replicat-vs-limit", 0.9, "0.90").line());
        assertEquals("goal: end-to-end-vs-limit 1.31 0.80 MET", new Goal("end-to-end-vs-limit", 1.3123, "0.80").line());
        assertEquals("goal: parallel-vs-serial n/a 2.0 NOT MET", new Goal("parallel-vs-serial", null, "2.0").line());
        assertEquals("goal: parallel-vs-plain n/a 0.80 NOT MET", new Goal("parallel-vs-plain", Double.NaN, "0.80").line());
    }

    /** Rounded down: a value just under the target never prints as the target. */
    @Test
    void justBelowTheTargetIsNotMetAndDoesNotPrintAsIt() {
        Goal g = new Goal("replicat-vs-limit", 0.8999999, "0.90");
        assertFalse(g.met());
        assertEquals("goal: replicat-vs-limit 0.89 0.90 NOT MET", g.line());
        assertFalse(new Goal("extract-alone", 999_999.99, "1000000").met());
        assertFalse(new Goal("x", Double.POSITIVE_INFINITY, "1").met());
    }

    @Test
    void benchGoalsPerTarget() {
        List<Goal> h2 = PipelineBench.goals(BenchTarget.Kind.H2, 500_000, 0.95, 0.5, null, null);
        assertEquals(List.of("goal: extract-alone 500000 1000000 NOT MET", "goal: replicat-vs-limit 0.95 0.90 MET",
                "goal: end-to-end-vs-limit 0.50 0.80 NOT MET"), h2.stream().map(Goal::line).toList());
        List<Goal> pg = PipelineBench.goals(BenchTarget.Kind.POSTGRESQL, 500_000, 0.95, 0.5, 2.5, 0.6);
        assertEquals(List.of("extract-alone", "replicat-vs-limit", "end-to-end-vs-limit", "parallel-vs-serial", "parallel-vs-plain"),
                pg.stream().map(Goal::name).toList());
        assertEquals("goal: parallel-vs-serial 2.5 2.0 MET", pg.get(3).line());
        assertEquals("goal: parallel-vs-plain 0.60 0.80 NOT MET", pg.get(4).line());
    }

    @Test
    void refusesANameThatWouldBreakTheLine() {
        assertThrows(IllegalArgumentException.class, () -> new Goal("two words", 1.0, "1"));
        assertThrows(NumberFormatException.class, () -> new Goal("x", 1.0, "many"));
    }
}
