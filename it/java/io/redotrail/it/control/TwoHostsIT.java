package io.redotrail.it.control;

import io.redotrail.cli.CliAccess;
import io.redotrail.report.GroupStatus;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItJvms.killMinus9;
import static io.redotrail.it.ItSupport.play;
import static io.redotrail.it.ItSupport.settings;
import static io.redotrail.it.control.TwoHomes.WAIT;
import static io.redotrail.it.control.TwoHomes.awaitApplied;
import static io.redotrail.it.control.TwoHomes.awaitRunning;
import static io.redotrail.it.control.TwoHomes.deleteTree;
import static io.redotrail.it.control.TwoHomes.prm;
import static io.redotrail.it.control.TwoHomes.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two homes as two hosts, every program a JVM of its own, real TCP on loopback: the source home runs a Manager
 * with EXT1 (redo → ./dirdat/ex) and PUMP1 ({@code RMTHOST 127.0.0.2, MGRPORT <target Manager's port>, TIMEOUT},
 * {@code RMTTRAIL ./dirdat/ha}); the target home runs a Manager on 127.0.0.2 (LISTENADDRESS, a DYNAMICPORTLIST of
 * one port), the collector it starts for PUMP1 (a JVM of its
 * own writing ./dirdat/ha in the target home) and REP1 applying that trail to the target's database. Three phases,
 * each a workload with a {@code kill -9} while the pump sends: of the collector, of the pump, of the target Manager
 * (then of the collector while no Manager listens: the pump retries ECONNREFUSED until a new Manager answers); after
 * each, once the target applied it all, the target equals the source row for row and the remote trail holds every
 * transaction of the local trail exactly once, in commit order. The pump spills every transaction of nine changes, which crosses
 * the link streamed. While the pump retries, {@code send extract pump1, status} says so with OGG-01224; once
 * connected again {@code info pump1} shows the collector it talks to, and after the stop the state it was left in.
 * On failure both homes stay in
 * target/it-homes/TwoHostsIT/.
 */
class TwoHostsIT {
    private static final String TCPERRS = "ECONNREFUSED RETRY 20 1000; ECONNRESET RETRY 20 1000; ETIMEDOUT RETRY 20 1000;"
            + " ECONNABORTED RETRY 20 1000; EPIPE RETRY 20 1000";

    private final TwoHomes homes = new TwoHomes(PROJECT.resolve("target/it-homes/TwoHostsIT"));
    private final Path root = homes.root;
    private final Path src = homes.src;
    private final Path tgt = homes.tgt;

    @Test
    void pumpToCollectorOnAnotherHomeSurvivesKillsOfCollectorPumpAndTargetManager() throws Exception {
        deleteTree(root);
        Files.createDirectories(root);
        String targetUrl = "jdbc:h2:file:" + tgt.resolve("db/target") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0";
        Settings s = settings(src, "redotrail.target.jdbcUrl", targetUrl);
        Settings t = settings(tgt, "redotrail.replicat.group", "REP1");
        List<CliAccess.Played> plays = new ArrayList<>();
        plays.add(play(s, 300, 21)); // the source home, its redo, and the target database's tables
        // the databases outlive the killed processes: this JVM hosts them (H2 AUTO_SERVER)
        Connection targetServer = DriverManager.getConnection(targetUrl, "sa", "");
        Connection sourceServer = DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(src), "sa", "");
        int tport = freePort(TARGET_HOST);
        homes.addGroups();
        prm(src, "EXT1", "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\nTABLE *.*;\n");
        // the seed's RMTHOST line, pointed at the target home's Manager
        prm(src, "PUMP1", "EXTRACT PUMP1\nPASSTHRU\nRMTHOST 127.0.0.2, MGRPORT " + tport + ", COMPRESS, TIMEOUT 10\n"
                + "RMTTRAIL ./dirdat/ha\nTABLE YDJK.*;\nTABLE POS_USER9.*;\n");
        prm(tgt, "REP1", "REPLICAT REP1\nMAP YDJK.*, TARGET YDJK.*;\nMAP POS_USER9.*, TARGET POS_USER9.*;\n");
        // the target "host" is 127.0.0.2; its collectors take the one port of DYNAMICPORTLIST, each after the last died
        int collectorPort = freePort(TARGET_HOST);
        ManagerJvm.writeMgrPrm(tgt, "PORT " + tport + "\nLISTENADDRESS 127.0.0.2\nDYNAMICPORTLIST " + collectorPort
                + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");
        ManagerJvm.writeMgrPrm(src, "PORT " + ManagerJvm.freePort() + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");
        ManagerJvm target = ManagerJvm.start(tgt, "TwoHostsIT-target", false);
        // spillRows 8: the pump's reader spills every transaction of 9 changes, which then crosses the link streamed
        ManagerJvm source = ManagerJvm.start(src, "TwoHostsIT-source", false, "--set", "redotrail.pump.tcpErrors=" + TCPERRS,
                "--set", "redotrail.trail.spillRows=8");
        try {
            awaitRunning(src, "EXT1", -1);
            long pump = awaitRunning(src, "PUMP1", -1);
            long rep = awaitRunning(tgt, "REP1", -1);
            long collector = homes.awaitCollector(-1);
            awaitApplied(t, plays.get(0).lastSelectedCsn());
            System.out.println(java.time.LocalTime.now() + " first workload applied through the collector (pid " + collector + ")");

            Settings sourceSettings = s;
            long[] pids = {collector, pump};
            // 1. the collector, mid-flow: the pump reconnects, the Manager starts a new one, which recovers the trail
            phase("kill -9 of the collector", sourceSettings, t, 101, () -> {
                killMinus9(pids[0]);
                pids[0] = homes.awaitCollector(pids[0]);
            });
            // 2. the pump, mid-flow: AUTORESTART; it skips what the collector's READY says the trail holds
            phase("kill -9 of the pump", sourceSettings, t, 102, () -> {
                killMinus9(pids[1]);
                pids[1] = awaitRunning(src, "PUMP1", pids[1]);
                pids[0] = homes.awaitCollector(pids[0]);
            });
            // 3. the target Manager, mid-flow, and then its collector while no Manager listens: ECONNREFUSED retries
            ManagerJvm[] mgr = {target};
            phase("kill -9 of the target Manager", sourceSettings, t, 103, () -> {
                try {
                    killMinus9(mgr[0].process.pid());
                    assertTrue(mgr[0].process.waitFor(60, TimeUnit.SECONDS));
                    killMinus9(pids[0]);
                    await("PUMP1 retrying after ECONNREFUSED", WAIT, () -> homes.ggserr().contains("OGG-01224"), homes::ggserr);
                    // the remote host's state, as the operator asks for it
                    String st = ggsci(src, "send extract pump1, status");
                    assertTrue(st.contains("Remote host 127.0.0.2:" + tport + ", trail ./dirdat/ha: retrying since ")
                            && st.contains("OGG-01224 TCP/IP error 111 (Connection refused)"), st);
                    // STOP while it retries: prompt, and a stop, not an abend; START while the target is still down
                    long t0 = System.nanoTime();
                    assertEquals("Request processed.", source.send("STOP PUMP1").strip());
                    assertTrue(System.nanoTime() - t0 < 25_000_000_000L, "STOP waited for the TCPERRS retries");
                    assertEquals("STOPPED", status(src, "PUMP1").status());
                    assertTrue(ggsci(src, "info pump1").contains("trail ./dirdat/ha: stopped while retrying (OGG-01224"));
                    assertTrue(source.send("START PUMP1").contains("EXTRACT PUMP1 starting"));
                    // the target is still down: the pump RUNS under its new pid (its control channel answers) and
                    // retries its remote host in its reading loop, which STATUS shows
                    long stopped = pids[1];
                    long started = awaitRunning(src, "PUMP1", stopped);
                    String[] retrying = {""};
                    await("RUNNING PUMP1 to show its retries", WAIT, () -> {
                        retrying[0] = ggsci(src, "send extract pump1, status");
                        return retrying[0].contains("trail ./dirdat/ha: retrying since ") && retrying[0].contains("OGG-01224");
                    }, () -> retrying[0]);
                    assertEquals("RUNNING", status(src, "PUMP1").status());
                    mgr[0] = ManagerJvm.start(tgt, "TwoHostsIT-target", false);
                    pids[0] = homes.awaitCollector(pids[0]);
                    pids[1] = started;
                    assertEquals(started, status(src, "PUMP1").pid(), "the pump that retried is the one that connected");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            target = mgr[0];
            String[] info = {""};
            await("INFO PUMP1 to show the connection again", WAIT, () -> {
                info[0] = ggsci(src, "info pump1");
                return info[0].contains("Remote host 127.0.0.2:" + tport + ", trail ./dirdat/ha: connected to 127.0.0.2:" + collectorPort);
            }, () -> info[0]);
            assertEquals(rep, status(tgt, "REP1").pid(), "REP1 runs on while its Manager is killed and restarted");
            assertEquals(0, source.terminate(WAIT));
            String stopped = ggsci(src, "info pump1");
            assertTrue(stopped.contains("Remote host 127.0.0.2:" + tport + ", trail ./dirdat/ha: disconnected, last acknowledgement ")
                    && stopped.contains("(when it last ran)"), stopped);
            // REP1 was started by the killed Manager: the new one stops it on request, not at its own stop
            assertEquals("Request processed.", target.send("STOP REP1").strip(), "STOP REP1");
            assertEquals(0, target.terminate(WAIT));
            await("the collector to end with its pump's connection", WAIT, () -> homes.collectorPid() == -1, homes::ggserr);
        } catch (Throwable e) {
            e.addSuppressed(new AssertionError("homes kept in " + root + homes.ggserr()));
            throw e;
        } finally {
            source.close();
            target.close();
            endLeftovers();
        }
        targetServer.close();
        sourceServer.close();

        assertExact(s, "the stop of both homes");
        String log = homes.ggserr();
        assertTrue(log.contains("RTR-01201") && log.contains("listening on 127.0.0.2:" + collectorPort) && log.contains("OGG-00963"), log);
        // each collector says how it opened the trail: OGG-01052, or OGG-01056 where it cut a torn tail
        assertTrue(log.contains("redotrail Collector, ./dirdat/ha:  No recovery is required for target file ./dirdat/ha0"), log);
    }

    /** After a failure: the group processes and the collector this test's Managers started, whichever Manager. */
    private void endLeftovers() {
        List<Long> pids = new ArrayList<>();
        for (String g : List.of("EXT1", "PUMP1")) pids.add(status(src, g).pid());
        pids.add(status(tgt, "REP1").pid());
        pids.add(homes.collectorPid());
        for (long pid : pids) {
            if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static final String TARGET_HOST = "127.0.0.2";

    /**
     * Plays a workload into the source; once the remote trail grows (the pump is sending), runs {@code kill}; then
     * waits until the target has applied all of it and compares: source = target row for row, and the remote
     * trail holds the local trail's transactions, each once.
     */
    private void phase(String what, Settings s, Settings t, long seed, Runnable kill) throws Exception {
        long before = trailBytes(tgt.resolve("dirdat"));
        CompletableFuture<CliAccess.Played> player = CompletableFuture.supplyAsync(() -> play(s, 1500, seed));
        await("the remote trail to grow (" + what + " mid-flow)", WAIT, () -> trailBytes(tgt.resolve("dirdat")) > before + 20_000, homes::ggserr);
        System.out.println(java.time.LocalTime.now() + " " + what);
        kill.run();
        CliAccess.Played played = player.get(5, TimeUnit.MINUTES);
        awaitApplied(t, played.lastSelectedCsn());
        assertExact(s, what);
    }

    private void assertExact(Settings s, String what) {
        homes.assertDelivered(s, "jdbc:h2:file:" + tgt.resolve("db/target") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0", "after " + what);
    }

    private static long trailBytes(Path dirdat) {
        try (Stream<Path> files = Files.list(dirdat)) {
            return files.filter(f -> f.getFileName().toString().startsWith("ha")).mapToLong(f -> f.toFile().length()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static int freePort(String host) throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    private static String ggsci(Path home, String command) {
        try {
            return io.redotrail.it.ItJvms.cliJvm(Duration.ofSeconds(120), List.of(), "ggsci", "--home", home.toString(), command).output();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
