package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.core.Heartbeat;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.redotrail.it.ItJvms.*;
import static io.redotrail.it.ItReadBack.*;
import static io.redotrail.it.ItSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heartbeat table end to end, {@code redotrail run} in its own JVM: with no user data flowing, the source's
 * heartbeat (FREQUENCY 1) alone moves GG_LAG (a newer heartbeat every second through EXT1 ==> PUMP1 ==> REP1) and
 * LAG REPLICAT shows it; then the run JVM is killed with SIGKILL three times at random moments and restarted — the
 * first kill hits a serial Replicat, which is restarted and stopped gracefully; the two others a parallel Replicat
 * (PARALLEL, 4 appliers), which also finishes the run — and GG_HEARTBEAT_HISTORY holds every heartbeat the source
 * committed exactly once: the same heartbeats, row for row, as the remote trail, as many as the redo committed,
 * none twice.
 */
class HeartbeatIT {
    private static final long SEED = 20261203L;
    private static final String PARALLEL = "redotrail.replicat.parallel=true";

    @TempDir
    Path home;

    @Test
    void heartbeatAloneMovesTheLagAndHistoryIsExactlyOnceAcrossKillMinus9() throws Exception {
        Settings s = settings(home);
        Path log = PROJECT.resolve("target/it-logs/HeartbeatIT-run.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        CliAccess.Played played = play(s, 100, 5); // the home, the target tables and some user data
        // this JVM hosts both H2 databases (AUTO_SERVER), as KillIT: a killed run JVM only drops its connections
        Connection target = target(s);
        Connection source = java.sql.DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(home), "sa", "");
        Cli add = execute("ggsci", "add heartbeattable, frequency 1", "--home", home.toString());
        assertEquals(0, add.exitCode(), add.output());

        Process run = startRunJvm(home, log);
        awaitApplied(s, played.lastSelectedCsn(), Duration.ofSeconds(60));
        // no user data from here on: only the heartbeat moves
        LocalDateTime first = awaitNewerHeartbeat(target, null);
        LocalDateTime second = awaitNewerHeartbeat(target, first);
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT INCOMING_PATH, INCOMING_LAG,"
                + " INCOMING_HEARTBEAT_AGE, INCOMING_EXTRACT_LAG, INCOMING_ROUTING_LAG, INCOMING_REPLICAT_LAG FROM " + Heartbeat.LAG_VIEW)) {
            assertTrue(rs.next(), "a GG_LAG row");
            assertEquals("EXT1 ==> PUMP1 ==> REP1", rs.getString(1));
            for (int i = 2; i <= 6; i++) {
                assertTrue(rs.getDouble(i) >= 0 && rs.getDouble(i) < 30, "GG_LAG column " + i + " = " + rs.getBigDecimal(i));
            }
            assertFalse(rs.next(), "one source, one thread, one path");
        }
        assertTrue(second.isAfter(first));
        Cli lag = execute("ggsci", "lag replicat rep1", "--home", home.toString());
        assertTrue(lag.output().contains("Lag Information From Heartbeat Table\nLAG          AGE          FROM       THREAD  TO         PATH\n"),
                lag.output());
        assertTrue(Pattern.compile("(?m)^\\d+\\.\\d\\ds +(\\d+m )?\\d+\\.\\d\\ds +ORCL +1 +TARGET +EXT1 ==> PUMP1 ==> REP1$")
                .matcher(lag.output()).find(), lag.output());

        Random random = new Random(SEED);
        LocalDateTime atLastKill = second;
        int starts = 1;
        for (int k = 1; k <= 3; k++) {
            assertTrue(awaitLogCount(log, "RedoConsumer - Extract EXT1 thread 1: ", starts, Duration.ofSeconds(30)),
                    "run JVM start " + starts + " never reached the extract; see " + log);
            sleep(1000 + random.nextInt(2000)); // heartbeats every second: the kill falls in or between them
            run.destroyForcibly();
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "killed run JVM did not exit");
            assertEquals(137, run.exitValue(), "SIGKILL");
            atLastKill = awaitNewerHeartbeat(target, null); // what the target holds while nothing runs
            if (k == 1) {
                // the serial Replicat restarted after its kill records a newer heartbeat, then stops gracefully: from
                // here on the Replicat is parallel (a change between serial and parallel needs a graceful stop)
                run = startRunJvm(home, log);
                starts++;
                atLastKill = awaitNewerHeartbeat(target, atLastKill);
                run.destroy();
                assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run JVM did not stop on SIGTERM");
            }
            run = startRunJvm(home, log, PARALLEL);
            starts++;
        }
        awaitNewerHeartbeat(target, atLastKill); // the restarted JVM beats, and its Replicat records it
        // pause the job, then let the Replicat apply the last heartbeat the redo holds: a beat in flight when the job
        // read FREQUENCY 0 may still commit, so until the redo's last CSN stays the same across a check
        Cli pause = execute("ggsci", "alter heartbeattable, frequency 0", "--home", home.toString());
        assertEquals(0, pause.exitCode(), pause.output());
        long lastCsn = -1;
        for (long csn = readRedo(home).lastCsn(); csn != lastCsn; csn = readRedo(home).lastCsn()) {
            lastCsn = csn;
            awaitApplied(s, lastCsn, Duration.ofSeconds(60));
            sleep(1500);
        }
        run.destroy();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run JVM did not stop on SIGTERM");
        assertFalse(Files.readString(log).contains("ABENDING"), "the run JVM abended; see " + log);
        assertEquals(3, count(Files.readString(log), "parallel Replicat: APPLY_PARALLELISM 4"), "3 parallel lives; see " + log);

        RedoScan redo = readRedo(home);
        long committedBeats = redo.commits().stream().filter(c -> redo.tables().getOrDefault(c.xid(), java.util.Set.of())
                .contains(Heartbeat.SEED)).count();
        List<String> inTrail = new ArrayList<>();
        for (Transaction t : readTrail(home, "ha")) {
            for (RowChange c : t.changes()) {
                if (Heartbeat.isHeartbeat(c)) inTrail.add(c.after().get(Heartbeat.REDO_THREAD) + " " + c.after().get(Heartbeat.HEARTBEAT_TIMESTAMP));
            }
        }
        List<String> inHistory = new ArrayList<>();
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT REDO_THREAD, INCOMING_HEARTBEAT_TS FROM "
                + Heartbeat.HISTORY + " ORDER BY INCOMING_HEARTBEAT_TS")) {
            while (rs.next()) inHistory.add(rs.getLong(1) + " " + rs.getObject(2, LocalDateTime.class));
        }
        System.out.println("heartbeats: " + committedBeats + " committed in the redo, " + inTrail.size() + " in dirdat/ha, "
                + inHistory.size() + " in " + Heartbeat.HISTORY);
        assertTrue(committedBeats >= 3, "the job beat through the kills: " + committedBeats);
        assertEquals(committedBeats, inTrail.size(), "every committed heartbeat once in the remote trail");
        assertEquals(inTrail, inHistory, "GG_HEARTBEAT_HISTORY = the heartbeats of the remote trail, row for row");
        assertEquals(inHistory.size(), new java.util.HashSet<>(inHistory).size(), "no heartbeat twice in the history");
        target.close();
        source.close();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    /** The GG_HEARTBEAT row's source heartbeat time once it is newer than {@code than} (null: once there is one). */
    private static LocalDateTime awaitNewerHeartbeat(Connection target, LocalDateTime than) {
        LocalDateTime[] seen = new LocalDateTime[1];
        await("a heartbeat newer than " + than + " in " + Heartbeat.TABLE, Duration.ofSeconds(30), () -> {
            try (Statement st = target.createStatement();
                 ResultSet rs = st.executeQuery("SELECT MAX(INCOMING_HEARTBEAT_TS) FROM " + Heartbeat.TABLE)) {
                seen[0] = rs.next() ? rs.getObject(1, LocalDateTime.class) : null;
                return seen[0] != null && (than == null || seen[0].isAfter(than));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }, () -> "last seen " + seen[0]);
        return seen[0];
    }
}
