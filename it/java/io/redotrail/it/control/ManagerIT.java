package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.control.manager.Manager;
import io.redotrail.control.manager.TestHomes;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupStatus;
import io.redotrail.report.PidFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItJvms.killMinus9;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Manager ({@code redotrail mgr}) in its own JVM, driven over its TCP port as GGSCI drives it; its groups are
 * {@link FakeGroupMain} processes (the group process itself is not under test here: it holds the group's lock and
 * stops on SIGTERM as {@code process} does).
 */
class ManagerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path home;

    private void defineGroups() {
        TestHomes.extract(home, "EXT1", "./dirdat/ex", 0);
        TestHomes.pump(home, "PUMP1", "./dirdat/ex", 0, "./dirdat/ha", 0);
        TestHomes.replicat(home, "REP1", "./dirdat/ha", 0);
    }

    /** EXT1, PUMP1, REP1 defined; {@code fake/<name>} files with their text for {@link FakeGroupMain}; mgr.prm with a free PORT. */
    private void home(String mgrPrm, String... fakeFilesAndTexts) throws IOException {
        defineGroups();
        Files.createDirectories(home.resolve("fake"));
        for (int i = 0; i < fakeFilesAndTexts.length; i += 2) {
            Files.writeString(home.resolve("fake").resolve(fakeFilesAndTexts[i]), fakeFilesAndTexts[i + 1]);
        }
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\n" + mgrPrm);
    }

    private GroupStatus status(String group) {
        Path cpr = CheckpointFile.replicatFile(home, group);
        Path f = Files.exists(cpr) ? cpr : CheckpointFile.extractFile(home, group);
        return GroupStatus.of(home, group, new CheckpointFile(f).read().orElse(null));
    }

    private void awaitRunning(ManagerJvm m, String group) {
        await(group + " RUNNING", WAIT, () -> status(group).running() && status(group).pid() > 0, () -> status(group) + "; " + m.log);
    }

    private static long pidOf(String killReply) {
        Matcher k = Pattern.compile("Killed process \\((\\d+)\\) for .*").matcher(killReply.strip());
        assertTrue(k.matches(), killReply);
        return Long.parseLong(k.group(1));
    }

    @Test
    void listensOnLoopbackOnlyAndASecondManagerOfTheHomeIsRefused() throws Exception {
        int port = ManagerJvm.freePort();
        ManagerJvm.writeMgrPrm(home, "PORT " + port + "\n");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-loopback", true)) {
            assertEquals(port, m.port());
            String info = m.send("INFO");
            assertTrue(info.matches("Manager is running \\(IP port .+\\." + port + ", Process ID " + m.process.pid() + "\\)\\.\n"), info);
            String pidText = GroupLock.read(home, Manager.PID_GROUP).orElseThrow();
            assertTrue(pidText.contains("pid=" + m.process.pid()) && pidText.contains("address=127.0.0.1")
                    && pidText.contains("stopTimeoutSeconds=60"), pidText);
            assertTrue(GroupLock.held(home, Manager.PID_GROUP), "MGR.pid locked while the Manager runs");
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                try (Socket s = new Socket()) {
                    assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(other.get(), port), 5000),
                            "the Manager must not listen on " + other.get());
                }
            }
            assertTrue(m.send("HELLO").startsWith("ERROR: MANAGER does not support command HELLO"));

            ManagerJvm second = ManagerJvm.launch(home, "ManagerIT-second", true);
            assertTrue(second.process.waitFor(60, TimeUnit.SECONDS), "second Manager did not exit");
            assertEquals(2, second.process.exitValue());
            String out = Files.readString(second.log);
            assertTrue(out.contains("Manager not started: Manager is already running on home " + home.toAbsolutePath().normalize()
                    + " (pid " + m.process.pid() + ", port " + port), out);
            assertTrue(m.send("INFO").startsWith("Manager is running"), "the first Manager is unharmed");

            assertEquals(0, m.terminate(WAIT));
        }
        String pidText = Files.readString(PidFile.pathOf(home, Manager.PID_GROUP));
        assertTrue(pidText.contains("stopped=true"), pidText);
        assertFalse(GroupLock.held(home, Manager.PID_GROUP));
        String log = Files.readString(home.resolve("ggserr.log"));
        assertTrue(log.matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  INFO    OGG-00983  redotrail Manager, mgr.prm:  Manager started \\(port " + port + "\\)\\.\n.*"), log);
        assertTrue(log.contains("RTR-01101  redotrail Manager, mgr.prm:  Manager stopped."), log);
        assertEquals(1, count(log, "Manager started"), "the refused Manager wrote no start line");
    }

    @Test
    void aBadMgrPrmIsRefusedNamingFileAndLine() throws Exception {
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\nAUTOSTART ER *\nLAGWARNINGMINUTES 5\n");
        ManagerJvm m = ManagerJvm.launch(home, "ManagerIT-badprm", true);
        assertTrue(m.process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, m.process.exitValue());
        String out = Files.readString(m.log);
        assertTrue(out.contains("Manager not started: " + home.resolve("dirprm/mgr.prm") + " line 3: LAGWARNINGMINUTES 5: unknown Manager parameter"), out);
        assertFalse(GroupLock.held(home, Manager.PID_GROUP));
    }

    @Test
    void startStopKillOverTheSocket() throws Exception {
        home("");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-startstop", true)) {
            assertEquals("REPLICAT REP1 starting\n", m.send("START REP1"));
            awaitRunning(m, "REP1");
            assertEquals("ERROR: REPLICAT REP1 is already running.\n", m.send("START rep1"));
            assertTrue(m.send("START NOPE").startsWith("ERROR: Group NOPE does not exist (no dirchk/NOPE.cpe or dirchk/NOPE.cpr)"));
            assertTrue(m.send("START REP*").startsWith("ERROR: 'REP*' is not a group name"));
            assertTrue(m.send("START REP1 ATCSN x").startsWith("ERROR: START takes a group and optionally ATCSN n or AFTERCSN n"));
            long pid = status("REP1").pid();

            assertEquals("Request processed.\n", m.send("STOP REP1"));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "REP1's process is gone when STOP replies");
            assertEquals("STOPPED", status("REP1").status());
            assertEquals("REPLICAT REP1 is already stopped.\n", m.send("STOP REP1"));

            assertEquals("REPLICAT REP1 starting\n", m.send("START REP1, AFTERCSN 12345"));
            awaitRunning(m, "REP1");
            assertTrue(Files.readString(home.resolve("dirrpt/REP1.out")).contains("REP1 --aftercsn 12345"),
                    "the start option reaches the group process");

            assertEquals("EXTRACT EXT1 starting\n", m.send("START EXT1"));
            awaitRunning(m, "EXT1");
            long ext1 = status("EXT1").pid();
            assertEquals(ext1, pidOf(m.send("KILL EXT1")));
            assertEquals("ABENDED", status("EXT1").status(), "a killed group shows ABENDED");
            assertEquals("ERROR: EXTRACT EXT1 is not running.\n", m.send("KILL EXT1"));

            // a group this Manager did not start: STOP reaches it through its pid file
            Process outside = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                    System.getProperty("java.class.path"), FakeGroupMain.class.getName(), "process", "--home", home.toString(), "PUMP1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitRunning(m, "PUMP1");
            assertEquals("ERROR: EXTRACT PUMP1 is already running.\n", m.send("START PUMP1"));
            assertEquals("Request processed.\n", m.send("STOP PUMP1"));
            assertTrue(outside.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, outside.exitValue());
            assertEquals(0, m.terminate(WAIT));
        }
        String log = Files.readString(home.resolve("ggserr.log"));
        for (String line : List.of("OGG-00963  redotrail Manager, mgr.prm:  Command received from GGSCI (START REP1).",
                "INFO    OGG-00975  redotrail Manager, mgr.prm:  REPLICAT REP1 starting.",
                "INFO    OGG-00991  redotrail Delivery, rep1.prm:  REPLICAT REP1 stopped normally.",
                "INFO    OGG-00975  redotrail Manager, mgr.prm:  EXTRACT EXT1 starting.",
                "WARNING RTR-01107  redotrail Manager, mgr.prm:  EXTRACT EXT1 killed (KILL request, pid ",
                "INFO    OGG-00991  redotrail Manager, mgr.prm:  EXTRACT PUMP1 stopped (STOP request to pid " + "")) {
            assertTrue(log.contains(line), "ggserr.log lacks '" + line + "':\n" + log);
        }
        assertEquals(2, count(log, "REPLICAT REP1 stopped normally."), "STOP, then the Manager's own stop:\n" + log);
        assertFalse(log.contains("OGG-01668"), "no abend:\n" + log);
    }

    @Test
    void aPasswordSetOnTheManagerNeverShowsOnAGroupsCommandLine() throws Exception {
        home("AUTOSTART REPLICAT REP1\n");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-secret", true, "--set", "redotrail.target.password=S3cret-IT")) {
            awaitRunning(m, "REP1");
            // what ps shows of the running child, and the arguments it echoes to dirrpt/REP1.out
            String args = String.join(" ", ProcessHandle.of(status("REP1").pid()).orElseThrow().info().arguments().orElse(new String[0]));
            String out = Files.readString(home.resolve("dirrpt/REP1.out"));
            assertFalse(args.contains("S3cret") || out.contains("S3cret"), args + "\n" + out);
            assertTrue(out.contains("--set-file " + home.resolve("dirtmp/MGR.overrides")), out);
            assertTrue(Files.readString(home.resolve("dirtmp/MGR.overrides")).contains("redotrail.target.password=S3cret-IT"));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve("dirtmp/MGR.overrides"))));
            assertEquals(0, m.terminate(WAIT));
        }
    }

    @Test
    void sigtermStopsTheGroupsGracefullyThenTheManager() throws Exception {
        home("AUTOSTART ER *\nAUTOSTART REPLICAT ZZ*\n");
        List<String> groups = List.of("EXT1", "PUMP1", "REP1");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-sigterm", true)) {
            for (String g : groups) awaitRunning(m, g);
            assertEquals(0, m.terminate(WAIT));
        }
        for (String g : groups) {
            assertEquals("STOPPED", status(g).status(), g);
            assertTrue(PidFile.read(PidFile.pathOf(home, g)).orElseThrow().stopped(), g + " stopped on its SIGTERM");
            assertTrue(Files.readString(home.resolve("dirrpt/" + g + ".out")).contains("FakeGroupMain " + g + " stopped"));
        }
        String log = Files.readString(home.resolve("ggserr.log"));
        assertTrue(log.contains("WARNING RTR-01102  redotrail Manager, mgr.prm:  AUTOSTART REPLICAT ZZ* in "), log);
        assertTrue(log.contains("EXTRACT EXT1 starting (AUTOSTART ER *)."), log);
        int stopped = log.indexOf("Manager stopped.");
        for (String g : groups) {
            int i = log.indexOf(g + " stopped normally.");
            assertTrue(i > 0 && i < stopped, g + " stopped before the Manager:\n" + log);
        }
    }

    @Test
    void autorestartAfterKillMinus9HonoursRetries() throws Exception {
        home("AUTOSTART REPLICAT REP1\nAUTORESTART ER *, RETRIES 1, WAITSECONDS 0, RESETMINUTES 60\n");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-autorestart", true)) {
            awaitRunning(m, "REP1");
            // RETRIES 1: GoldenGate does not count the first restart, so two restarts, then it stays ABENDED
            for (int restart = 1; restart <= 3; restart++) {
                long pid = status("REP1").pid();
                killMinus9(pid);
                if (restart <= 2) {
                    String line = "REPLICAT REP1 starting (AUTORESTART ER *, restart " + restart + " of 2).";
                    await("restart " + restart, WAIT, () -> ggserr(m).contains(line)
                            && status("REP1").running() && status("REP1").pid() > 0 && status("REP1").pid() != pid, () -> ggserr(m));
                }
            }
            await("AUTORESTART giving up", WAIT, () -> ggserr(m).contains("RTR-01103"), () -> ggserr(m));
            assertEquals("ABENDED", status("REP1").status());
            assertTrue(m.send("INFO").startsWith("Manager is running"), "the Manager carries on");

            // a group stopped by STOP is not restarted
            assertEquals("EXTRACT PUMP1 starting\n", m.send("START PUMP1"));
            awaitRunning(m, "PUMP1");
            assertEquals("Request processed.\n", m.send("STOP PUMP1"));
            assertEquals(0, m.terminate(WAIT));
        }
        String log = Files.readString(home.resolve("ggserr.log"));
        assertEquals(3, count(log, "ERROR   OGG-01668  redotrail Manager, mgr.prm:  REPLICAT REP1 ABENDED (pid "), log);
        assertTrue(log.contains("killed by signal 9): it wrote nothing")
                || log.contains("killed by signal 9): no error line in dirrpt/REP1.out; its last line: FakeGroupMain REP1 running"), log);
        assertTrue(log.contains("WARNING RTR-01103  redotrail Manager, mgr.prm:  REPLICAT REP1 is not restarted: AUTORESTART ER * "
                + "restarted it 2 times within 3600 s (RETRIES 1); it stays ABENDED."), log);
        assertEquals(1, count(log, "EXTRACT PUMP1 starting"), "PUMP1, stopped by STOP, was not restarted:\n" + log);
        assertEquals(3, count(log, "REPLICAT REP1 starting"), log);
    }

    @Test
    void theRetriesCountWithinResetSecondsOnlyAndStopManagerStopsIt() throws Exception {
        home("AUTOSTART REPLICAT REP1\nAUTORESTART REPLICAT *, RETRIES 0, WAITSECONDS 0, RESETSECONDS 4\n");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-reset", true)) {
            awaitRunning(m, "REP1");
            long pid = status("REP1").pid();
            killMinus9(pid);
            await("restart 1 of 1", WAIT, () -> status("REP1").running() && status("REP1").pid() > 0 && status("REP1").pid() != pid, () -> ggserr(m));
            long restarted = System.currentTimeMillis();
            // RETRIES 0 allows one restart per RESETSECONDS 4: once that window has passed, the next abend restarts again
            await("the reset window to pass", WAIT, () -> System.currentTimeMillis() - restarted > 5000, () -> "");
            long pid2 = status("REP1").pid();
            killMinus9(pid2);
            await("restart after the window", WAIT, () -> status("REP1").running() && status("REP1").pid() > 0 && status("REP1").pid() != pid2, () -> ggserr(m));
            long pid3 = status("REP1").pid();
            killMinus9(pid3); // within the window: no restart
            await("AUTORESTART giving up", WAIT, () -> ggserr(m).contains("RTR-01103"), () -> ggserr(m));
            assertEquals("Manager stopping.\n", m.send("STOPMGR"));
            assertTrue(m.process.waitFor(60, TimeUnit.SECONDS), "STOPMGR stops the Manager");
            assertEquals(0, m.process.exitValue());
        }
        String log = Files.readString(home.resolve("ggserr.log"));
        assertEquals(2, count(log, "REPLICAT REP1 starting (AUTORESTART REPLICAT *, restart 1 of 1)."), log);
        assertTrue(log.contains("restarted it 1 time within 4 s (RETRIES 0); it stays ABENDED."), log);
        assertTrue(log.contains("Command received from GGSCI (STOP MANAGER).") && log.contains("Manager stopped."), log);
    }

    /** The operator's STOP of an abended group whose AUTORESTART is pending cancels it: the group stays down. */
    @Test
    void stopCancelsAPendingAutorestart() throws Exception {
        home("AUTOSTART REPLICAT REP1\nAUTORESTART ER *, RETRIES 3, WAITSECONDS 5\n");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-stopcancels", true)) {
            awaitRunning(m, "REP1");
            long pid = status("REP1").pid();
            killMinus9(pid);
            await("REP1 abended", WAIT, () -> ggserr(m).contains("REPLICAT REP1 ABENDED (pid " + pid), () -> ggserr(m));
            assertEquals("REPLICAT REP1 is already stopped. Its pending AUTORESTART is cancelled.\n", m.send("STOP REP1"));
            long stopped = System.currentTimeMillis();
            // the restart was due 5 s after the abend: let that time pass, then it must not have happened
            await("the restart's due time to pass", WAIT, () -> System.currentTimeMillis() - stopped > 8000, () -> "");
            assertTrue(m.send("INFO").startsWith("Manager is running"));
            assertEquals(1, count(ggserr(m), "REPLICAT REP1 starting"), ggserr(m));
            assertEquals("ABENDED", status("REP1").status());
            assertEquals("REPLICAT REP1 starting\n", m.send("START REP1"), "START clears the operator's STOP");
            awaitRunning(m, "REP1");
            assertEquals(0, m.terminate(WAIT));
        }
        assertTrue(Files.readString(home.resolve("ggserr.log")).contains("REPLICAT REP1: pending AUTORESTART cancelled (STOP request)."));
    }

    /** A group hung while abending (pid file ABENDED, lock still held) is running for START and reachable by KILL. */
    @Test
    void aGroupHungWhileAbendingCanBeKilled() throws Exception {
        home("", "REP1.abending", "");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-abending", true)) {
            Process outside = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                    System.getProperty("java.class.path"), FakeGroupMain.class.getName(), "process", "--home", home.toString(), "REP1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                await("REP1 locked and marked abended", WAIT, () -> GroupLock.held(home, "REP1") && "ABENDED".equals(status("REP1").status()),
                        () -> status("REP1").toString());
                assertEquals("ERROR: REPLICAT REP1 is already running.\n", m.send("START REP1"));
                assertEquals(outside.pid(), pidOf(m.send("KILL REP1")));
                assertTrue(outside.waitFor(60, TimeUnit.SECONDS), "KILL ended the hung process");
            } finally {
                outside.destroyForcibly();
            }
        }
    }

    @Test
    void lagAboveTheThresholdsIsLogged() throws Exception {
        home("AUTOSTART ER P*\nAUTOSTART ER R*\nLAGREPORTSECONDS 1\nLAGINFOSECONDS 10\nLAGCRITICALMINUTES 1\n",
                "REP1.lag", "125", "PUMP1.lag", "20");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-lag", true)) {
            await("lag lines", WAIT, () -> ggserr(m).contains("WARNING OGG-00947  redotrail Manager, mgr.prm:  Lag for REPLICAT REP1 is 00:02:05 (checkpoint updated ")
                    && ggserr(m).contains("INFO    OGG-00948  redotrail Manager, mgr.prm:  Lag for EXTRACT PUMP1 is 00:00:20 (checkpoint updated "), () -> ggserr(m));
            assertFalse(ggserr(m).contains("Lag for EXTRACT EXT1"), "EXT1 does not run: no lag line");
        }
    }

    @Test
    void aGroupThatRefusesToStartIsAbendedAndRestartedPerRule() throws Exception {
        home("AUTORESTART EXTRACT EXT*, RETRIES 0, WAITSECONDS 1\n", "EXT1.refuse", "");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-refused", true)) {
            assertEquals("EXTRACT EXT1 starting\n", m.send("START EXT1"));
            await("EXT1 given up", WAIT, () -> ggserr(m).contains("RTR-01103"), () -> ggserr(m));
        }
        String log = Files.readString(home.resolve("ggserr.log"));
        // exit 2: the group logged its refusal itself, the Manager does not log it again
        assertEquals(2, count(log, "ERROR   OGG-01668  redotrail Capture, ext1.prm:  EXTRACT EXT1 PROCESS ABENDING: refused by"), log);
        assertEquals(0, count(log, "EXTRACT EXT1 ABENDED (pid "), log);
        assertEquals("ABENDED", status("EXT1").status());
    }

    @Test
    void aGroupThatDoesNotStopIsKilledAfterTheTimeoutAndTheListenerStaysResponsive() throws Exception {
        home("AUTOSTART ER *\n", "REP1.ignoreterm", "");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerIT-hang", true, "--stop-timeout", "8")) {
            for (String g : List.of("EXT1", "PUMP1", "REP1")) awaitRunning(m, g);
            java.util.concurrent.CompletableFuture<String> stop = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return m.send("STOP REP1");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await("STOP REP1 received", WAIT, () -> ggserr(m).contains("(STOP REP1)"), () -> ggserr(m));
            assertFalse(stop.isDone(), "STOP waits for the group");
            assertTrue(m.send("INFO").startsWith("Manager is running"), "INFO is answered while a STOP waits");
            assertEquals("ERROR: REPLICAT REP1 did not stop within 8 s of SIGTERM (pid " + status("REP1").pid()
                    + "); KILL REPLICAT REP1 ends it.\n", stop.get(60, TimeUnit.SECONDS));
            assertTrue(status("REP1").running(), "STOP does not kill");
            assertEquals(0, m.terminate(WAIT));
        }
        assertEquals("STOPPED", status("EXT1").status());
        assertEquals("ABENDED", status("REP1").status(), "killed at the Manager's stop");
        String log = Files.readString(home.resolve("ggserr.log"));
        assertTrue(log.contains("WARNING RTR-01105  redotrail Manager, mgr.prm:  REPLICAT REP1 did not stop within 8 s of SIGTERM; killed (pid "), log);
        assertTrue(log.indexOf("RTR-01105") < log.indexOf("Manager stopped."), log);
    }

    private static String ggserr(ManagerJvm m) {
        try {
            return m.ggserr();
        } catch (IOException e) {
            return "";
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address) return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
