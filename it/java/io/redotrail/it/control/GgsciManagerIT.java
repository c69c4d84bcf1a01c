package io.redotrail.it.control;

import io.redotrail.it.ItJvms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGSCI against the real Manager ({@code bin/redotrail mgr}) in its own JVM, on a free ephemeral port set in
 * {@code dirprm/mgr.prm}: INFO MGR and INFO ALL see it running, and after the Manager is killed (SIGKILL: its lock
 * goes with it) INFO ALL says STOPPED, INFO MGR "Manager is DOWN!", and START is contract 4's error naming the port
 * its pid file recorded, exit status 1.
 */
class GgsciManagerIT {
    @TempDir
    Path home;

    private ItJvms.Cli ggsci(String command) throws Exception {
        return ItJvms.ggsci(home, Duration.ofSeconds(120), command);
    }

    @Test
    void ggsciSeesTheManagerAndItsAbsence() throws Exception {
        int port = ManagerJvm.freePort();
        ManagerJvm.writeMgrPrm(home, "PORT " + port + "\n");
        assertEquals(0, ggsci("add extract pumha, exttrailsource ./dirdat/ex").exitCode());
        ManagerJvm m = ManagerJvm.start(home, "GgsciManagerIT", false);
        try {
            assertTrue(ggsci("info mgr").output().contains("Manager is running"));
            assertTrue(ggsci("info all").output().contains("\nMANAGER     RUNNING\n"));
            ItJvms.Cli stop = ggsci("stop extract pumha");
            assertEquals(0, stop.exitCode(), stop.output());
            assertTrue(stop.output().contains("EXTRACT PUMHA is already stopped."), stop.output());
        } finally {
            m.process.destroyForcibly();
            assertTrue(m.process.waitFor(60, TimeUnit.SECONDS));
        }
        assertTrue(ggsci("info all").output().contains("\nMANAGER     STOPPED\n"));
        assertTrue(ggsci("info mgr").output().contains("Manager is DOWN!"));
        ItJvms.Cli start = ggsci("start extract pumha");
        assertEquals(1, start.exitCode(), start.output());
        assertTrue(start.output().contains("ERROR: Manager is not running on port " + port + " ("), start.output());
        assertTrue(start.output().contains("start it with bin/redotrail mgr --home " + home + "."), start.output());
    }
}
