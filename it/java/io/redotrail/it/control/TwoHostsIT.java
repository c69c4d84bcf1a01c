package io.redotrail.it.control;

import io.redotrail.cli.CliAccess;
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

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItSupport.killMinus9;
import static io.redotrail.it.ItSupport.play;
import static io.redotrail.it.ItSupport.settings;
import static io.redotrail.it.ItSupport.sleep;
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
 * with EXT1 (redo → ./dirdat/ex) and PUMP1 ({@code RMTHOST 127.0.0.1, MGRPORT <target Manager's port>, TIMEOUT},
 * {@code RMTTRAIL ./dirdat/ha}); the target home runs a Manager, the collector it starts for PUMP1 (a JVM of its
 * own writing ./dirdat/ha in the target home) and REP1 applying that trail to the target's database. While
 * workloads play into the source, {@code kill -9} of the collector, of the pump and of the target Manager (with
 * the collector killed while no Manager listens: the pump retries ECONNREFUSED until a new Manager answers), each
 * followed by recovery. At the end the target equals the source row for row, and the remote trail holds every
 * transaction of the local trail exactly once. The pump spills every transaction of nine changes, which crosses
 * the link streamed. While the pump retries, {@code send extract pump1, status} says so with OGG-01224; once
 * connected again {@code info pump1} shows the collector it talks to. On failure both homes stay in
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
        int tport = ManagerJvm.freePort();
        homes.addGroups();
        prm(src, "EXT1", "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\nTABLE *.*;\n");
        // the seed's RMTHOST line, pointed at the target home's Manager
        prm(src, "PUMP1", "EXTRACT PUMP1\nPASSTHRU\nRMTHOST 127.0.0.1, MGRPORT " + tport + ", COMPRESS, TIMEOUT 10\n"
                + "RMTTRAIL ./dirdat/ha\nTABLE YDJK.*;\nTABLE POS_USER9.*;\n");
        prm(tgt, "REP1", "REPLICAT REP1\nMAP YDJK.*, TARGET YDJK.*;\nMAP POS_USER9.*, TARGET POS_USER9.*;\n");
        ManagerJvm.writeMgrPrm(tgt, "PORT " + tport + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");
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

            CompletableFuture<List<CliAccess.Played>> player = CompletableFuture.supplyAsync(() -> {
                List<CliAccess.Played> l = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    l.add(play(s, 400, 100 + i));
                    sleep(700);
                }
                return l;
            });
            sleep(1500);
            System.out.println(java.time.LocalTime.now() + " kill -9 collector " + collector);
            killMinus9(collector);
            collector = homes.awaitCollector(collector);
            sleep(1500);
            System.out.println(java.time.LocalTime.now() + " kill -9 PUMP1 " + pump);
            killMinus9(pump);
            pump = awaitRunning(src, "PUMP1", pump);
            collector = homes.awaitCollector(collector);
            sleep(1500);
            System.out.println(java.time.LocalTime.now() + " kill -9 target Manager " + target.process.pid() + " and collector " + collector);
            killMinus9(target.process.pid());
            assertTrue(target.process.waitFor(60, TimeUnit.SECONDS));
            killMinus9(collector); // the pump now finds no Manager: it retries ECONNREFUSED
            await("PUMP1 retrying after ECONNREFUSED", WAIT, () -> homes.ggserr().contains("OGG-01224"), homes::ggserr);
            // the remote host's state, as the operator asks for it
            String st = ggsci(src, "send extract pump1, status");
            assertTrue(st.contains("Remote host 127.0.0.1:" + tport + ", trail ./dirdat/ha: retrying since ")
                    && st.contains("OGG-01224 TCP/IP error 111 (Connection refused)"), st);
            target = ManagerJvm.start(tgt, "TwoHostsIT-target", false);
            collector = homes.awaitCollector(collector);
            String[] info = {""};
            await("INFO PUMP1 to show the connection again", WAIT, () -> {
                info[0] = ggsci(src, "info pump1");
                return info[0].contains("Remote host 127.0.0.1:" + tport + ", trail ./dirdat/ha: connected to 127.0.0.1:");
            }, () -> info[0]);
            assertEquals(rep, status(tgt, "REP1").pid(), "REP1 runs on while its Manager is killed and restarted");

            plays.addAll(player.get(5, TimeUnit.MINUTES));
            long last = plays.stream().mapToLong(CliAccess.Played::lastSelectedCsn).max().orElseThrow();
            awaitApplied(t, last);
            assertEquals(0, source.terminate(WAIT));
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

        homes.assertDelivered(s, targetUrl, "source and target (two homes)");
        String log = homes.ggserr();
        assertTrue(log.contains("RTR-01201") && log.contains("OGG-00963"), log);
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

    private static String ggsci(Path home, String command) {
        try {
            return io.redotrail.it.ItSupport.cliJvm(Duration.ofSeconds(120), List.of(), "ggsci", "--home", home.toString(), command).output();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
