package io.redotrail.cli.ggsci;

import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.PidFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGSCI's client side of the Manager (contracts 3 and 4) and of a group's control channel (contract 5) over real
 * TCP on loopback: START / STOP / KILL with wildcards, ER and ATCSN send exactly one request line per group to the
 * port dirchk/MGR.pid names; a Manager that is down is contract 4's error with exit status 1; INFO MGR / INFO ALL;
 * STATS and LAG reach a group's real control channel (GroupProcess), "not currently running" otherwise. The
 * Manager here is a loopback peer speaking contract 3 (one line in, reply, close) that records what it got:
 * helper B's Manager is tested end to end once merged.
 */
class ManagerCommandsTest {
    @TempDir
    Path home;

    private ServerSocket mgr;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopManager() throws Exception {
        if (mgr != null) mgr.close();
        GroupLock.release(home, "MGR");
    }

    private GgsciOut ggsci(String command) throws Exception {
        return GgsciOut.run(home, k -> null, command);
    }

    /** A Manager on an ephemeral port: holds MGR's lock, writes pid and port to dirchk/MGR.pid, answers with {@code reply}. */
    private int manager(Function<String, String> reply) throws Exception {
        return manager(InetAddress.getLoopbackAddress(), reply);
    }

    /** The same, listening on {@code address} (its LISTENADDRESS), which MGR.pid records. */
    private int manager(InetAddress address, Function<String, String> reply) throws Exception {
        mgr = new ServerSocket(0, 10, address);
        GroupLock.acquire(home, "MGR");
        GroupLock.write(home, "MGR", "pid=" + ProcessHandle.current().pid() + "\nport=" + mgr.getLocalPort()
                + "\naddress=" + address.getHostAddress() + "\n");
        Thread t = new Thread(() -> {
            while (!mgr.isClosed()) {
                try (Socket s = mgr.accept()) {
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    requests.add(line);
                    s.getOutputStream().write(reply.apply(line).getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    // closed at the end of the test
                }
            }
        }, "test-manager");
        t.setDaemon(true);
        t.start();
        return mgr.getLocalPort();
    }

    private void groups() throws Exception {
        for (String g : new String[]{"EXT1", "PUMP1", "PUMHA"}) {
            assertEquals(0, ggsci("add extract " + g + ", exttrailsource ./dirdat/ex").rc());
        }
        assertEquals(0, ggsci("add replicat REP1, exttrail ./dirdat/ha").rc());
    }

    @Test
    void managerDownIsContract4sErrorWithExitStatus1() throws Exception {
        groups();
        GgsciOut o = ggsci("start extract pumha");
        assertEquals(1, o.rc());
        assertEquals("ERROR: Manager is not running on port 7809 (default port): start it with bin/redotrail mgr --home "
                + home + ".\n", o.text());
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/mgr.prm"), "-- manager\nPORT 7999\n");
        assertTrue(ggsci("kill pumha").text().contains("Manager is not running on port 7999 (dirprm/mgr.prm)"));
        Files.writeString(home.resolve("dirprm/mgr.prm"), "PORT x\n");
        assertTrue(ggsci("start er *").text().contains("mgr.prm line 1: PORT x: 'x' is not a number"), ggsci("start er *").text());
        assertEquals("\nManager is DOWN!\n\n", ggsci("info mgr").text());
        assertTrue(ggsci("info all").text().startsWith("Program     Status      Group       Lag at Chkpt  Time Since Chkpt\n\n"
                + "MANAGER     STOPPED\nEXTRACT     STOPPED     EXT1"), ggsci("info all").text());
    }

    @Test
    void theManagersListenAddressIsWhereGgsciConnects() throws Exception {
        groups();
        manager(InetAddress.getByName("127.0.0.2"), line -> "EXTRACT " + line.substring(6) + " starting\n"); // LISTENADDRESS 127.0.0.2
        GgsciOut o = ggsci("start pumha");
        assertEquals(0, o.rc(), o.text());
        assertEquals(List.of("START PUMHA"), requests);
    }

    @Test
    void ggsciWaitsLongerForAReplyThanTheManagerWaitsForAStop() throws Exception {
        GroupLock.acquire(home, "MGR");
        GroupLock.write(home, "MGR", "pid=1\nport=7999\naddress=127.0.0.1\nstopTimeoutSeconds=300\n");
        ManagerClient.Endpoint e = ManagerClient.endpoint(home);
        assertTrue(e.replyMillis() > 300_000, "reply timeout " + e.replyMillis());
        GroupLock.write(home, "MGR", "pid=1\nport=7999\naddress=127.0.0.1\nstopTimeoutSeconds=1000\n");
        assertTrue(ManagerClient.endpoint(home).replyMillis() > 1_000_000, "follows the Manager's --stop-timeout");
    }

    @Test
    void aManagerHoldingItsLockButNotListeningIsDownToo() throws Exception {
        groups();
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        GroupLock.acquire(home, "MGR"); // a Manager still starting, or hung: its port answers nobody
        GroupLock.write(home, "MGR", "pid=1\nport=" + dead + "\n");
        GgsciOut o = ggsci("start pumha");
        assertEquals(1, o.rc());
        assertTrue(o.text().endsWith("ERROR: Manager is not running on port " + dead + " (dirchk/MGR.pid): start it with"
                + " bin/redotrail mgr --home " + home + ".\n"), o.text());
        assertEquals("\nManager is DOWN!\n\n", ggsci("info mgr").text());
    }

    @Test
    void startStopKillSendOneRequestLinePerGroup() throws Exception {
        groups();
        int port = manager(line -> line.startsWith("START ") ? "EXTRACT " + line.substring(6) + " starting\n"
                : line.startsWith("STOP ") ? "Request processed.\n"
                : line.equals("INFO") ? "Manager is running (IP port localhost.7809, Process ID 42).\n"
                : "ERROR: no such group\n");
        GgsciOut start = ggsci("START EXTRACT P*");
        assertEquals(0, start.rc(), start.text());
        assertEquals("\nSending START request to MANAGER ...\nEXTRACT PUMHA starting\n"
                + "\nSending START request to MANAGER ...\nEXTRACT PUMP1 starting\n\n", start.text());
        assertEquals(List.of("START PUMHA", "START PUMP1"), requests);
        requests.clear();
        assertEquals(0, ggsci("start er *").rc());
        assertEquals(List.of("START EXT1", "START PUMHA", "START PUMP1", "START REP1"), requests);
        requests.clear();
        // ? is one character, as in mgr.prm's AUTOSTART: the same wildcards everywhere
        assertEquals(0, ggsci("start rep?").rc());
        assertEquals(0, ggsci("start extract pump?").rc());
        assertEquals(List.of("START REP1", "START PUMP1"), requests);
        requests.clear();
        assertEquals(0, ggsci("start replicat rep1, atcsn 6488359").rc());
        assertEquals(0, ggsci("START REP1, AFTERCSN 77").rc());
        assertEquals(List.of("START REP1 ATCSN 6488359", "START REP1 AFTERCSN 77"), requests);
        assertTrue(ggsci("start extract ext1, atcsn 5").text().contains("ATCSN applies to a Replicat"));
        requests.clear();

        // STOP: a running Manager gets it even for a stopped group (it cancels a pending AUTORESTART, the
        // Manager's reply says "already stopped"); a running one (its lock held) too
        assertEquals("\nSending STOP request to EXTRACT PUMHA ...\nRequest processed.\n\n", ggsci("stop pumha").text());
        assertEquals(List.of("STOP PUMHA"), requests);
        requests.clear();
        GroupLock.acquire(home, "PUMHA");
        try {
            GgsciOut stop = ggsci("stop extract pumha");
            assertEquals("\nSending STOP request to EXTRACT PUMHA ...\nRequest processed.\n\n", stop.text());
            assertEquals("\nEXTRACT PUMHA is already running.\n\n", ggsci("start pumha").text());
        } finally {
            GroupLock.release(home, "PUMHA");
        }
        assertEquals(List.of("STOP PUMHA"), requests);
        requests.clear();

        // the Manager's ERROR reply is a failure
        GgsciOut kill = ggsci("kill extract ext1");
        assertEquals(1, kill.rc());
        assertEquals("\nSending KILL request to MANAGER ...\nERROR: no such group\n\n", kill.text());
        assertEquals(List.of("KILL EXT1"), requests);

        assertTrue(ggsci("start extract NOPE").text().contains("ERROR: EXTRACT NOPE does not exist."));
        assertTrue(ggsci("start extract Z*").text().contains("ERROR: No EXTRACT groups match Z*."));
        assertEquals("\nManager is running (IP port localhost.7809, Process ID 42).\n\n", ggsci("info manager").text());
        assertTrue(ggsci("info all").text().contains("\nMANAGER     RUNNING\n"));
        assertTrue(port > 0);
    }

    @Test
    void statsAndLagGoToTheRunningGroupsControlChannel() throws Exception {
        groups();
        GgsciOut down = ggsci("stats pumha");
        assertEquals(1, down.rc());
        assertEquals("ERROR: EXTRACT PUMHA not currently running.\n", down.text());
        assertEquals("ERROR: REPLICAT REP1 not currently running.\n", ggsci("lag replicat rep1").text());
        List<String> got = new CopyOnWriteArrayList<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            var process = GroupRuntimes.of(camel, home, "PUMHA").process();
            process.register("STATS", (verb, args) -> {
                got.add(verb + " " + String.join(" ", args));
                return "No active extraction maps.";
            });
            process.register("LAG", (verb, args) -> "Last record lag 2 seconds.\nAt EOF, no more records to process.");
            process.started("EXTRACT");
            try {
                GgsciOut stats = ggsci("stats pumha");
                assertEquals(0, stats.rc(), stats.text());
                assertEquals("\nSending STATS request to EXTRACT PUMHA ...\n\nNo active extraction maps.\n\n", stats.text());
                assertEquals(0, ggsci("STATS EXTRACT PUMHA, TOTAL, TABLE hr.*, REPORTRATE min, RESET").rc());
                assertEquals(List.of("STATS ", "STATS TOTAL TABLE hr.* REPORTRATE MIN RESET"), got);
                assertTrue(ggsci("stats pumha, hourly, weekly").text().startsWith("ERROR: Invalid STATS option 'weekly'"));
                assertEquals("\nSending GETLAG request to EXTRACT PUMHA ...\n\nLast record lag 2 seconds.\n"
                        + "At EOF, no more records to process.\n\n", ggsci("lag extract pumha").text());
                GgsciOut all = ggsci("lag extract *");
                assertEquals(1, all.rc(), "EXT1 and PUMP1 are not running");
                assertEquals("\nERROR: EXTRACT EXT1 not currently running.\n\nSending GETLAG request to EXTRACT PUMHA ...\n\n"
                        + "Last record lag 2 seconds.\nAt EOF, no more records to process.\n\n\nERROR: EXTRACT PUMP1 not currently"
                        + " running.\n", all.text());
                assertEquals(0, ggsci("lag extract PUMH*").rc());
                // (FORCESTOP halts the group's JVM: GroupProcessIT sends it to a group process of its own)
                GgsciOut unsupported = ggsci("send pumha, showtrans");
                assertEquals(1, unsupported.rc(), "an ERROR reply fails the command");
                assertTrue(unsupported.text().contains("ERROR: EXTRACT PUMHA does not support command SHOWTRANS."), unsupported.text());
            } finally {
                process.stopped();
            }
        }
        assertTrue(PidFile.read(PidFile.pathOf(home, "PUMHA")).orElseThrow().stopped());
        assertEquals(1, ggsci("stats extract pumha").rc());
    }
}
