package io.redotrail.it;

import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One process per group (issue 9, item 4), with real JVMs: a second {@code run} on a home that a first one runs
 * is refused at once (exit 2, naming the group and the first JVM's pid) and starts nothing; {@code info all} says
 * RUNNING from the lock while the first runs, STOPPED after SIGTERM, ABENDED after SIGKILL (the OS released the
 * lock, the pid file still says running), and a new run starts after either.
 */
class GroupLockIT {
    @TempDir
    Path home;

    @Test
    void aSecondRunOfTheSameHomeIsRefusedAndStatusComesFromTheLock() throws Exception {
        Settings s = settings(home);
        long last = play(s, 300, 5).lastSelectedCsn();
        Path log = home.resolve("first.log");
        Process first = startRunJvm(home, log);
        try {
            awaitStarted(log, 1);
            awaitApplied(s, last, Duration.ofSeconds(90));
            Map<String, String> running = infoAll();
            assertEquals(Map.of("EXT1", "RUNNING", "PUMP1", "RUNNING", "REP1", "RUNNING"), running, "while the first run runs");
            String info = ggsci("info extract EXT1");
            assertTrue(info.matches("(?s).*Process ID +" + first.pid() + "\\n.*"), info);

            // the second JVM: refused before it touches anything
            long trailBytes = dirBytes(home.resolve("dirdat"));
            Path log2 = home.resolve("second.log");
            Process second = startRunJvm(home, log2);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second run did not give up; see " + log2);
            String out2 = Files.readString(log2);
            assertEquals(2, second.exitValue(), "exit code of a refused second run:\n" + out2);
            assertTrue(out2.contains("is already running (pid " + first.pid() + ","), out2);
            assertTrue(out2.contains("group EXT1") || out2.contains("group PUMP1") || out2.contains("group REP1"), out2);
            assertFalse(out2.contains("OGG-00993"), "the second run started a group:\n" + out2);
            assertFalse(out2.contains("Trail "), "the second run opened a trail:\n" + out2);
            assertEquals(trailBytes, dirBytes(home.resolve("dirdat")), "trails unchanged by the refused run");
            String refusedGroup = out2.contains("group EXT1") ? "EXT1" : out2.contains("group PUMP1") ? "PUMP1" : "REP1";
            String rpt = Files.readString(home.resolve("dirrpt/" + refusedGroup + ".rpt"));
            assertTrue(rpt.contains("OGG-00001  Execution cannot continue") && rpt.contains("not started by pid " + second.pid()),
                    "the refusal is in the report file:\n" + rpt);
            assertEquals(running, infoAll(), "the refused run changed nobody's status");
            assertTrue(first.isAlive(), "the first run survived the second; see " + log);

            // graceful stop: STOPPED
            first.destroy();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "no stop on SIGTERM");
            assertEquals(0, first.exitValue());
            assertEquals(Map.of("EXT1", "STOPPED", "PUMP1", "STOPPED", "REP1", "STOPPED"), infoAll(), "after SIGTERM");

            // a new run starts; kill -9: the lock goes with the process, status ABENDED, not RUNNING
            first = startRunJvm(home, log);
            awaitStarted(log, 2);
            assertEquals(Map.of("EXT1", "RUNNING", "PUMP1", "RUNNING", "REP1", "RUNNING"), infoAll(), "restarted");
            first.destroyForcibly();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            assertEquals(Map.of("EXT1", "ABENDED", "PUMP1", "ABENDED", "REP1", "ABENDED"), infoAll(), "after SIGKILL");
            assertTrue(ggsci("send extract EXT1, status").contains("EXTRACT EXT1 not currently running."));

            // and a run after the kill starts normally
            first = startRunJvm(home, log);
            awaitStarted(log, 3);
            assertEquals(Map.of("EXT1", "RUNNING", "PUMP1", "RUNNING", "REP1", "RUNNING"), infoAll(), "after the kill");
            first.destroy();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            assertIdentical(s);
        } finally {
            if (first.isAlive()) first.destroyForcibly().waitFor();
        }
    }

    /** Waits for the n-th start of all three groups in the run log ("OGG-00993 ... started."). */
    private static void awaitStarted(Path log, int n) throws IOException {
        assertTrue(awaitLogCount(log, "OGG-00993", 3 * n, Duration.ofSeconds(60)), "run JVM start " + n + " incomplete; see " + log);
    }

    private String ggsci(String command) {
        return execute("ggsci", "--home", home.toString(), command).output();
    }

    /** Group → status from {@code ggsci info all}. */
    private Map<String, String> infoAll() {
        Map<String, String> out = new TreeMap<>();
        for (String line : ggsci("info all").lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && List.of("EXTRACT", "REPLICAT").contains(f[0])) out.put(f[2], f[1]);
        }
        return out;
    }

    private static long dirBytes(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
