package io.redotrail.it.control;

import io.redotrail.it.ItJvms;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGSCI's START MANAGER and STOP MANAGER with the real Manager, every GGSCI a JVM of its own: the Manager started in
 * the background outlives the GGSCI that started it, a second START says "MGR is already running.", STOP MGR
 * without a terminal does not ask and returns once the Manager's process has exited; a Manager that cannot start
 * (a bad mgr.prm) is an error naming the file and line, with nothing left running. And GGSCI sees a Manager and
 * its absence: INFO MGR and INFO ALL see it running; after it is killed (SIGKILL: its lock goes with it) INFO ALL
 * says STOPPED, INFO MGR "Manager is DOWN!", and START is contract 4's error naming the port its pid file
 * recorded, exit status 1.
 */
class GgsciManagerLifecycleIT {
    @TempDir
    Path home;

    private ItJvms.Cli ggsci(String command) throws Exception {
        return ItJvms.ggsci(home, Duration.ofSeconds(300), command);
    }

    @Test
    void startsInTheBackgroundAndStops() throws Exception {
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\n");
        ItJvms.Cli start = ggsci("start mgr");
        assertEquals(0, start.exitCode(), start.output());
        assertEquals("Manager started.", start.output().strip());
        long pid = GroupLock.read(home, "MGR").flatMap(PidFile::parse).map(PidFile::pid).orElseThrow();
        try {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the Manager runs on after GGSCI exited");
            assertTrue(ggsci("info mgr").output().contains("Manager is running"));
            ItJvms.Cli again = ggsci("START MANAGER");
            assertEquals(0, again.exitCode());
            assertEquals("MGR is already running.", again.output().strip());
            assertTrue(Files.readString(home.resolve("dirrpt/MGR.rpt")).contains("Manager running with home " + home));

            ItJvms.Cli stop = ggsci("stop mgr"); // no terminal: no question
            assertEquals(0, stop.exitCode(), stop.output());
            assertEquals("Sending STOP request to MANAGER ...\nRequest processed.\nManager stopped.", stop.output().strip());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the Manager's process has exited");
            assertTrue(ggsci("info all").output().contains("MANAGER     STOPPED"));
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aManagerThatCannotStartIsAnErrorNamingTheLine() throws Exception {
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\nLAGWARNINGMINUTES 5\n");
        ItJvms.Cli start = ggsci("start mgr");
        assertEquals(1, start.exitCode(), start.output());
        assertTrue(start.output().contains("ERROR: Manager did not start (exit code 2)"), start.output());
        assertTrue(start.output().contains("mgr.prm line 2") && start.output().contains("LAGWARNINGMINUTES"), start.output());
        assertFalse(GroupLock.held(home, "MGR"));
    }

    @Test
    void ggsciSeesTheManagerAndItsAbsence() throws Exception {
        int port = ManagerJvm.freePort();
        ManagerJvm.writeMgrPrm(home, "PORT " + port + "\n");
        assertEquals(0, ggsci("add extract pumha, exttrailsource ./dirdat/ex").exitCode());
        ManagerJvm m = ManagerJvm.start(home, "GgsciManagerLifecycleIT", false);
        try {
            assertTrue(ggsci("info mgr").output().contains("Manager is running"));
            assertTrue(ggsci("info all").output().contains("\nMANAGER     RUNNING\n"));
            ItJvms.Cli stop = ggsci("stop extract pumha");
            assertEquals(0, stop.exitCode(), stop.output());
            assertTrue(stop.output().contains("EXTRACT PUMHA is already stopped."), stop.output());
        } finally {
            m.process.destroyForcibly();
            assertTrue(m.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertTrue(ggsci("info all").output().contains("\nMANAGER     STOPPED\n"));
        assertTrue(ggsci("info mgr").output().contains("Manager is DOWN!"));
        ItJvms.Cli start = ggsci("start extract pumha");
        assertEquals(1, start.exitCode(), start.output());
        assertTrue(start.output().contains("ERROR: Manager is not running on port " + port + " ("), start.output());
        assertTrue(start.output().contains("start it with bin/redotrail mgr --home " + home + "."), start.output());
    }
}
