package io.redotrail.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The workload's pacing on a fake monotonic clock: sleeping advances it, so nothing here depends on wall time. */
class PacerTest {
    private static final long SLACK = 5_000_000;

    /** A producer that needs {@code costNanos} per event, paced at {@code rate}; returns each event's time. */
    private static List<Long> run(double rate, long costNanos, int events, int stallAt, long stallNanos) {
        long[] now = {1_000_000_000L};
        Pacer pacer = new Pacer(rate, SLACK, () -> now[0], n -> now[0] += n);
        long start = now[0];
        List<Long> times = new ArrayList<>();
        for (int k = 1; k <= events; k++) {
            now[0] += costNanos;
            if (k == stallAt) now[0] += stallNanos;
            times.add(now[0] - start);
            pacer.tick();
        }
        return times;
    }

    @Test
    void aFastProducerIsHeldToTheRateInEveryInterval() {
        double rate = 10_000;
        List<Long> t = run(rate, 20_000, 50_000, -1, 0); // could make 50,000/s, 5 s of schedule
        // tick() follows the event it counts: event k is made once event k - 1 is no more than the slack ahead
        for (int k = 2; k <= t.size(); k++) {
            long due = (long) ((k - 1) * 1e9 / rate);
            assertTrue(t.get(k - 1) >= due - SLACK, "event " + k + " at " + t.get(k - 1) + " ns, event " + (k - 1) + " due " + due);
        }
        // every 100 ms interval holds the rate's 1,000 events, give or take one slack's worth (50)
        int[] per = new int[(int) (t.get(t.size() - 1) / 100_000_000L) + 1];
        for (long x : t) per[(int) (x / 100_000_000L)]++;
        for (int i = 0; i < per.length - 1; i++) assertEquals(1000, per[i], 51, "interval " + i + ": " + per[i]);
        assertEquals(5.0, t.get(t.size() - 1) / 1e9, 0.006, "50,000 events at 10,000/s take 5 s");
    }

    @Test
    void afterAStallTheScheduleIsKeptNotShifted() {
        double rate = 10_000;
        List<Long> t = run(rate, 20_000, 30_000, 10_000, 200_000_000L); // 200 ms pause at event 10,000
        // the events owed are made at once (open loop), and the run still ends on schedule
        assertEquals(3.0, t.get(t.size() - 1) / 1e9, 0.006);
        for (int k = 2; k <= t.size(); k++) assertTrue(t.get(k - 1) >= (long) ((k - 1) * 1e9 / rate) - SLACK, "event " + k);
    }

    @Test
    void aSlowProducerIsNeverSlept() {
        long[] now = {0};
        long[] slept = {0};
        Pacer pacer = new Pacer(1_000, SLACK, () -> now[0], n -> slept[0] += n);
        for (int k = 0; k < 100; k++) {
            now[0] += 2_000_000; // 2 ms per event: slower than 1,000/s
            pacer.tick();
        }
        assertEquals(0, slept[0]);
    }

    @Test
    void refusesANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(0, SLACK, System::nanoTime, n -> { }));
    }
}
