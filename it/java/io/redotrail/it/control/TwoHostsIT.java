package io.redotrail.it.control;

import io.redotrail.it.ItSupport;
import io.redotrail.it.net.Host;
import io.redotrail.it.net.TwoHomes;
import io.redotrail.report.GroupStatus;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItJvms.killMinus9;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.net.Host.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two homes as two hosts ({@link TwoHomes}), every program a JVM of its own, real TCP on loopback: the source home
 * runs a Manager with EXT1 (redo → ./dirdat/ex) and PUMP1 ({@code RMTHOST 127.0.0.2, MGRPORT <target Manager's
 * port>, TIMEOUT}, {@code RMTTRAIL ./dirdat/ha}); the target home runs a Manager on 127.0.0.2 (LISTENADDRESS, a
 * DYNAMICPORTLIST of one port), the collector it starts for PUMP1 (a JVM of its own writing ./dirdat/ha in the
 * target home) and REP1 applying that trail to the target's database. Three phases, each a workload with a
 * {@code kill -9} while the pump sends: of the collector, of the pump, of the target Manager (then of the collector
 * while no Manager listens: the pump retries ECONNREFUSED until a new Manager answers); after each, once the target
 * applied it all, the target equals the source row for row and the remote trail holds every transaction of the
 * local trail exactly once, in commit order. The pump spills every transaction of nine changes, which crosses the
 * link streamed. While the pump retries, {@code send extract pump1, status} says so with OGG-01224; once connected
 * again {@code info pump1} shows the collector it talks to, and after the stop the state it was left in. On failure
 * both homes stay in target/it-homes/TwoHostsIT/.
 */
class TwoHostsIT {
    private static final String TCPERRS = "ECONNREFUSED RETRY 20 1000; ECONNRESET RETRY 20 1000; ETIMEDOUT RETRY 20 1000;"
            + " ECONNABORTED RETRY 20 1000; EPIPE RETRY 20 1000";
    private static final String TARGET_HOST = "127.0.0.2";

    @Test
    void pumpToCollectorOnAnotherHomeSurvivesKillsOfCollectorPumpAndTargetManager() throws Exception {
        TwoHomes h = new TwoHomes("TwoHostsIT", null);
        Host src = h.source, tgt = h.target;
        InetAddress targetHost = InetAddress.getByName(TARGET_HOST);
        int tport = TwoHomes.freePort(targetHost);
        // the target "host" is 127.0.0.2; its collectors take the one port of DYNAMICPORTLIST, each after the last died
        int collectorPort = TwoHomes.freePort(targetHost);
        h.firstPlay(300, 21, true); // the source home, its redo, and the target database's tables, hosted by this JVM
        // the seed's RMTHOST line, pointed at the target home's Manager
        h.addGroups("PUMP1", "RMTHOST " + TARGET_HOST + ", MGRPORT " + tport + ", COMPRESS, TIMEOUT 10");
        h.mgrPrm(tgt, "PORT " + tport + "\nLISTENADDRESS " + TARGET_HOST + "\nDYNAMICPORTLIST " + collectorPort
                + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");
        h.mgrPrm(src, "PORT " + TwoHomes.freePort() + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");
        try {
            // spillRows 8: the pump's reader spills every transaction of 9 changes, which then crosses the link streamed
            h.startManagers("--set", "redotrail.pump.tcpErrors=" + TCPERRS, "--set", "redotrail.trail.spillRows=8");
            src.awaitRunning("EXT1", -1);
            long pump = src.awaitRunning("PUMP1", -1);
            long rep = tgt.awaitRunning("REP1", -1);
            long collector = tgt.awaitCollector("ha", -1);
            h.awaitApplied(h.lastCsn(), WAIT);
            System.out.println(java.time.LocalTime.now() + " first workload applied through the collector (pid " + collector + ")");

            long[] pids = {collector, pump};
            // 1. the collector, mid-flow: the pump reconnects, the Manager starts a new one, which recovers the trail
            phase(h, "kill -9 of the collector", 101, () -> {
                killMinus9(pids[0]);
                pids[0] = tgt.awaitCollector("ha", pids[0]);
            });
            // 2. the pump, mid-flow: AUTORESTART; it skips what the collector's READY says the trail holds
            phase(h, "kill -9 of the pump", 102, () -> {
                killMinus9(pids[1]);
                pids[1] = src.awaitRunning("PUMP1", pids[1]);
                pids[0] = tgt.awaitCollector("ha", pids[0]);
            });
            // 3. the target Manager, mid-flow, and then its collector while no Manager listens: ECONNREFUSED retries
            phase(h, "kill -9 of the target Manager", 103, () -> {
                int refused = Host.count(src.ggserr(), "OGG-01224");
                tgt.killManager();
                killMinus9(pids[0]);
                await("PUMP1 retrying after ECONNREFUSED", WAIT, () -> Host.count(src.ggserr(), "OGG-01224") > refused, h::state);
                // the remote host's state, as the operator asks for it
                String st = ggsci(src, "send extract pump1, status");
                assertTrue(st.contains("Remote host " + TARGET_HOST + ":" + tport + ", trail ./dirdat/ha: retrying since ")
                        && st.contains("OGG-01224 TCP/IP error 111 (Connection refused)"), st);
                // STOP while it retries: prompt, and a stop, not an abend; START while the target is still down
                long t0 = System.nanoTime();
                assertEquals("Request processed.", src.send("STOP PUMP1").strip());
                assertTrue(System.nanoTime() - t0 < 25_000_000_000L, "STOP waited for the TCPERRS retries");
                assertEquals("STOPPED", src.status("PUMP1").status());
                assertTrue(ggsci(src, "info pump1").contains("trail ./dirdat/ha: stopped while retrying (OGG-01224"));
                assertTrue(src.send("START PUMP1").contains("EXTRACT PUMP1 starting"));
                long stopped = pids[1];
                // the target is still down: the pump RUNS under its new pid (its control channel answers) and
                // retries its remote host in its reading loop, which STATUS shows
                long started = awaitPumpRunning(src, stopped);
                String[] retrying = {""};
                await("RUNNING PUMP1 to show its retries", WAIT, () -> {
                    retrying[0] = ggsci(src, "send extract pump1, status");
                    return retrying[0].contains("trail ./dirdat/ha: retrying since ") && retrying[0].contains("OGG-01224");
                }, () -> retrying[0]);
                assertEquals("RUNNING", src.status("PUMP1").status());
                tgt.startManager();
                pids[0] = tgt.awaitCollector("ha", pids[0]);
                pids[1] = src.awaitRunning("PUMP1", stopped);
                assertEquals(started, pids[1], "the pump started while the target was down is the one now RUNNING");
            });
            String[] info = {""};
            await("INFO PUMP1 to show the connection again", WAIT, () -> {
                info[0] = ggsci(src, "info pump1");
                boolean connected = info[0].contains("Remote host " + TARGET_HOST + ":" + tport + ", trail ./dirdat/ha: connected to "
                        + TARGET_HOST + ":" + collectorPort);
                if (!connected) ItSupport.sleep(1000); // each poll is a GGSCI JVM: leave the CPU to the pump meanwhile
                return connected;
            }, () -> info[0]);
            assertEquals(rep, tgt.status("REP1").pid(), "REP1 runs on while its Manager is killed and restarted");
            assertEquals(0, src.stopManager(), "source Manager exit after SIGTERM; see " + src.log("mgr"));
            String stopped = ggsci(src, "info pump1");
            assertTrue(stopped.contains("Remote host " + TARGET_HOST + ":" + tport + ", trail ./dirdat/ha: disconnected, last acknowledgement ")
                    && stopped.contains("(when it last ran)"), stopped);
            // REP1 was started by the killed Manager: the new one stops it on request, not at its own stop
            assertEquals("Request processed.", tgt.send("STOP REP1").strip(), "STOP REP1");
            assertEquals(0, tgt.stopManager(), "target Manager exit after SIGTERM; see " + tgt.log("mgr"));
            await("the collector to end with its pump's connection", WAIT, () -> tgt.collectorPid("ha") == -1, h::state);
            h.releaseDatabases();
            assertEquals(h.lastCsn(), h.logCsn(), "REP1's LOG_CSN = the last CSN played");
            h.assertDelivered("after the stop of both homes");
        } catch (Throwable e) {
            e.addSuppressed(new AssertionError(h.state()));
            throw e;
        } finally {
            h.cleanUp();
        }
        String log = src.ggserr() + tgt.ggserr();
        assertTrue(log.contains("RTR-01201") && log.contains("listening on " + TARGET_HOST + ":" + collectorPort) && log.contains("OGG-00963"), log);
        // each collector says how it opened the trail: OGG-01052, or OGG-01056 where it cut a torn tail
        assertTrue(log.contains("redotrail Collector, ./dirdat/ha:  No recovery is required for target file ./dirdat/ha0"), log);
    }

    /**
     * PUMP1, started while its target Manager is down, under a pid other than {@code stopped}: its trail producer
     * retries the remote host while the route starts, so INFO shows it STARTING until it is connected, then RUNNING;
     * either is accepted here. Its pid.
     */
    private static long awaitPumpRunning(Host src, long stopped) {
        long[] started = {-1};
        await("PUMP1 RUNNING under a new pid", WAIT, () -> {
            GroupStatus now = src.status("PUMP1");
            started[0] = now.pid();
            return now.running() && now.pid() > 0 && now.pid() != stopped;
        }, () -> src.status("PUMP1").toString());
        return started[0];
    }

    /** A step that may throw: the kill and the recovery of one phase. */
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Plays a workload into the source; once the remote trail grows (the pump is sending), runs {@code kill}; then
     * waits until the target has applied all of it and compares: source = target row for row, and the remote
     * trail holds the local trail's transactions, each once.
     */
    private static void phase(TwoHomes h, String what, long seed, Step kill) throws Exception {
        long before = h.remoteTrailBytes();
        CompletableFuture<Void> player = CompletableFuture.runAsync(() -> h.play(1500, seed));
        await("the remote trail to grow (" + what + " mid-flow)", WAIT, () -> h.remoteTrailBytes() > before + 20_000, h::state);
        System.out.println(java.time.LocalTime.now() + " " + what);
        kill.run();
        player.get(5, TimeUnit.MINUTES);
        h.awaitApplied(h.lastCsn(), WAIT);
        h.assertDelivered("after " + what);
    }

    /** One GGSCI command in the source host; its output (its exit code is not what these checks are about). */
    private static String ggsci(Host host, String command) {
        try {
            return host.ggsci(command).output();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
