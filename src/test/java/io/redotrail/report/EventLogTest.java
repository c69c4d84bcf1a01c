package io.redotrail.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogTest {
    @TempDir
    Path home;

    @Test
    void oneLinePerEventInGoldenGatesColumns() throws Exception {
        EventLog log = new EventLog(home, "redotrail Manager, mgr.prm", Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC));
        log.info("OGG-00975", "EXTRACT EXT1 starting.");
        log.warning("OGG-00947", "Lag for REPLICAT REP1 is 00:02:05 (checkpoint updated 00:00:01 ago).");
        log.error("OGG-01668", "REPLICAT REP1 ABENDED\n(pid 1, exit code 1): why");
        assertEquals("""
                2026-12-02 12:00:00  INFO    OGG-00975  redotrail Manager, mgr.prm:  EXTRACT EXT1 starting.
                2026-12-02 12:00:00  WARNING OGG-00947  redotrail Manager, mgr.prm:  Lag for REPLICAT REP1 is 00:02:05 (checkpoint updated 00:00:01 ago).
                2026-12-02 12:00:00  ERROR   OGG-01668  redotrail Manager, mgr.prm:  REPLICAT REP1 ABENDED (pid 1, exit code 1): why
                """, Files.readString(home.resolve("ggserr.log")));
    }

    @Test
    void linesOfConcurrentWritersNeverInterleave() throws Exception {
        List<EventLog> logs = List.of(new EventLog(home, "writer A"), new EventLog(home, "writer B"));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            EventLog l = logs.get(t % 2);
            int id = t;
            threads.add(new Thread(() -> IntStream.range(0, 200).forEach(i -> l.info("OGG-00975", "thread " + id + " event " + i + " " + "x".repeat(200)))));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        List<String> lines = Files.readAllLines(home.resolve("ggserr.log"));
        assertEquals(800, lines.size());
        for (String l : lines) assertTrue(l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  INFO    OGG-00975  writer [AB]:  thread \\d event \\d+ x{200}"), l);
    }
}
