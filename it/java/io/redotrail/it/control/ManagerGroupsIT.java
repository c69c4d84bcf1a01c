package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.cli.CliAccess;
import io.redotrail.report.GroupStatus;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Manager with the real group processes ({@code redotrail process GROUP}, contract 2 of issue 11, one JVM per
 * group): AUTOSTART starts EXT1, PUMP1 and REP1; {@code kill -9} of the Replicat and of the pump, mid-workload,
 * leaves the other groups running (same pid) and AUTORESTART brings the killed one back; PURGEOLDEXTRACTS runs
 * every second meanwhile; the heartbeat table (FREQUENCY 1) runs through the three group processes: GG_LAG gets the
 * path EXT1 ==> PUMP1 ==> REP1 and LAG REPLICAT REP1 shows its heartbeat block; at the end the target equals the
 * source. On failure the home's logs (ggserr.log,
 * dirrpt/, dirchk/*.pid) are kept in target/it-logs/ManagerGroupsIT-home/.
 */
class ManagerGroupsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path home;

    private GroupStatus status(String group) {
        Path cpr = CheckpointFile.replicatFile(home, group);
        Path f = Files.exists(cpr) ? cpr : CheckpointFile.extractFile(home, group);
        return GroupStatus.of(home, group, new CheckpointFile(f).read().orElse(null));
    }

    /** Waits until the group's own process holds its lock and has written its pid, other than {@code notPid}. */
    private long awaitRunning(String group, long notPid) {
        long[] pid = {-1};
        await(group + " RUNNING under a new pid", WAIT, () -> {
            GroupStatus st = status(group);
            pid[0] = st.pid();
            return st.running() && st.pid() > 0 && st.pid() != notPid;
        }, () -> status(group).toString());
        System.out.println(java.time.LocalTime.now() + " " + group + " RUNNING as pid " + pid[0]);
        return pid[0];
    }

    private static boolean heartbeatPath(java.sql.Connection target) {
        try (java.sql.Statement st = target.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM "
                + io.redotrail.core.Heartbeat.LAG_VIEW + " WHERE INCOMING_PATH = 'EXT1 ==> PUMP1 ==> REP1'")) {
            return rs.next() && rs.getLong(1) > 0;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void killMinus9OfOneGroupLeavesTheOthersAndAutorestartBringsItBack() throws Throwable {
        try {
            killAndAutorestart();
        } catch (Throwable t) { // the temp home goes with the test: keep what explains the failure
            t.addSuppressed(new AssertionError("home's logs kept in " + keepLogs(home, "ManagerGroupsIT")));
            throw t;
        }
    }

    private void killAndAutorestart() throws Exception {
        String[] mb = {"redotrail.extract.megabytes", "1", "redotrail.pump.megabytes", "1"};
        Settings s = settings(home, mb);
        List<CliAccess.Played> plays = new ArrayList<>();
        plays.add(play(s, 1000, 501));
        // the groups as the real pipeline defines them: run once, so dirchk/ holds EXT1.cpe, PUMP1.cpe, REP1.cpr
        runUntilApplied(home, s, PROJECT.resolve("target/it-logs/ManagerGroupsIT-run.log"), plays.get(0).lastSelectedCsn(),
                "redotrail.extract.megabytes=1", "redotrail.pump.megabytes=1");
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/ext1.prm"), "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\n");
        Files.writeString(home.resolve("dirprm/pump1.prm"), "EXTRACT PUMP1\nRMTTRAIL ./dirdat/ha\nPASSTHRU\nTABLE YDJK.*;\nTABLE POS_USER9.*;\n");
        Files.writeString(home.resolve("dirprm/rep1.prm"), "REPLICAT REP1\nMAP YDJK.*, TARGET YDJK.*;\nMAP POS_USER9.*, TARGET POS_USER9.*;\n");
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\nAUTOSTART ER *\n"
                + "AUTORESTART ER *, RETRIES 10, WAITSECONDS 0\n"
                + "PURGEOLDEXTRACTS ./dirdat/*, USECHECKPOINTS, MINKEEPFILES 1, FREQUENCYSECONDS 1\n");
        java.sql.Connection targetServer = target(s); // the target outlives the killed Replicat (H2 AUTO_SERVER)
        // the source too: EXT1's process writes heartbeats into it while this JVM plays the workload
        java.sql.Connection sourceServer = java.sql.DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(home), "sa", "");
        Cli hb = execute("ggsci", "add heartbeattable, frequency 1", "--home", home.toString());
        assertEquals(0, hb.exitCode(), hb.output());
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerGroupsIT", false,
                "--set", "redotrail.extract.megabytes=1", "--set", "redotrail.pump.megabytes=1")) {
            long ext = awaitRunning("EXT1", -1);
            long pump = awaitRunning("PUMP1", -1);
            long rep = awaitRunning("REP1", -1);
            CompletableFuture<List<CliAccess.Played>> player = CompletableFuture.supplyAsync(() -> {
                List<CliAccess.Played> l = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    l.add(play(s, 800, 600 + i));
                    sleep(1000);
                }
                return l;
            });
            for (int k = 0; k < 3; k++) {
                sleep(1500);
                System.out.println(java.time.LocalTime.now() + " kill -9 REP1 " + rep);
                killMinus9(rep);
                rep = awaitRunning("REP1", rep);
                if (k == 1) {
                    System.out.println(java.time.LocalTime.now() + " kill -9 PUMP1 " + pump);
                    killMinus9(pump);
                    pump = awaitRunning("PUMP1", pump);
                }
                assertTrue(ProcessHandle.of(ext).map(ProcessHandle::isAlive).orElse(false), "EXT1 (pid " + ext + ") runs on, untouched by the kills of the others");
                assertEquals(ext, status("EXT1").pid(), "EXT1 runs on, untouched by the kills of the others");
            }
            plays.addAll(player.get(5, TimeUnit.MINUTES));
            long last = plays.stream().mapToLong(CliAccess.Played::lastSelectedCsn).max().orElseThrow();
            awaitApplied(s, last, Duration.ofSeconds(180));
            // heartbeats through the group processes: EXT1's process beats, PUMP1's stamps, REP1's records
            await("a heartbeat through EXT1 ==> PUMP1 ==> REP1 in GG_LAG", WAIT, () -> heartbeatPath(targetServer), () -> "no such row yet");
            Cli lag = execute("ggsci", "lag replicat rep1", "--home", home.toString());
            assertTrue(lag.output().contains("Lag Information From Heartbeat Table\nLAG          AGE          FROM       THREAD  TO"), lag.output());
            assertTrue(java.util.regex.Pattern.compile("(?m)^\\d+\\.\\d\\ds +(\\d+m )?\\d+\\.\\d\\ds +ORCL +1 +TARGET +EXT1 ==> PUMP1 ==> REP1$")
                    .matcher(lag.output()).find(), lag.output());
            assertEquals(0, m.terminate(WAIT));
        }
        sourceServer.close();
        targetServer.close();
        for (String g : List.of("EXT1", "PUMP1", "REP1")) assertEquals("STOPPED", status(g).status(), g);
        assertIdentical(s);
        String log = Files.readString(home.resolve("ggserr.log"));
        assertTrue(log.contains("REPLICAT REP1 ABENDED (pid ") && log.contains("REPLICAT REP1 starting (AUTORESTART ER *, restart 3 of 11)."), log);
        assertTrue(log.contains("EXTRACT PUMP1 starting (AUTORESTART ER *, restart 1 of 11)."), log);
        assertEquals(1, log.lines().filter(l -> l.contains("EXTRACT EXT1 starting")).count(), "EXT1 started once, by AUTOSTART:\n" + log);
        assertTrue(!log.contains("EXTRACT EXT1 ABENDED"), log);
        assertTrue(log.contains("OGG-00957"), "trail files were purged meanwhile:\n" + log);
    }
}
