package io.redotrail.report;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GroupStatus} while a group starts: a new process holds the lock on {@code dirchk/<G>.pid} a moment (on a
 * busy machine hundreds of milliseconds) before it writes its own record there. Until then the file is the last
 * run's: its pid must not be reported as the running process (GGSCI would show it, the Manager's STOP / KILL of a
 * group it did not start would signal it, a test would kill it). Real files, real OS locks, real processes.
 */
class GroupStatusTest {
    private static final String G = "EXT1";

    @TempDir
    Path home;

    @AfterEach
    void release() {
        while (GroupLock.heldHere(home, G)) GroupLock.release(home, G);
    }

    private GroupStatus status() {
        return GroupStatus.of(home, G, null);
    }

    /** A real process, ended with kill -9 and reaped: its pid is no process now. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.pid();
    }

    @Test
    void aStarterThatHasNotWrittenItsRecordIsRunningWithAnUnknownPidNotTheLastRunsGracefulStop() {
        long lastRun = ProcessHandle.current().pid(); // alive, so only the stopped mark can tell the record is old
        assertTrue(new PidFile(lastRun, "EXTRACT", System.currentTimeMillis(), false, null).asStopped().write(PidFile.pathOf(home, G)));
        assertEquals(new GroupStatus("STOPPED", -1), status());

        GroupLock.acquire(home, G); // the new process has the lock, not yet its record
        assertEquals(new GroupStatus("RUNNING", -1), status());

        new PidFile(ProcessHandle.current().pid(), "EXTRACT", System.currentTimeMillis(), false, null).write(PidFile.pathOf(home, G));
        assertEquals(new GroupStatus("RUNNING", ProcessHandle.current().pid()), status());
    }

    @Test
    void aStarterAfterAKillMinus9IsRunningWithAnUnknownPidNotTheKilledOne() throws Exception {
        long killed = deadPid();
        assertTrue(new PidFile(killed, "EXTRACT", System.currentTimeMillis() - 1000, false, null).write(PidFile.pathOf(home, G)));
        assertEquals(new GroupStatus("ABENDED", -1), status());

        GroupLock.acquire(home, G);
        assertEquals(new GroupStatus("RUNNING", -1), status());
    }

    @Test
    void aRecordWhosePidTheOsGaveToANewerProcessNamesNoRunningProcess() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            // the record was written an hour before this pid's process started: that was another process
            long anHourAgo = System.currentTimeMillis() - 3_600_000;
            assertTrue(new PidFile(other.pid(), "EXTRACT", anHourAgo, false, null).write(PidFile.pathOf(home, G)));
            GroupLock.acquire(home, G);
            assertEquals(new GroupStatus("RUNNING", -1), status());
        } finally {
            other.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRecordOfALiveProcessWrittenAfterItStartedNamesIt() throws Exception {
        Process holder = new ProcessBuilder("sleep", "60").start();
        try {
            assertTrue(new PidFile(holder.pid(), "EXTRACT", System.currentTimeMillis(), false, null).write(PidFile.pathOf(home, G)));
            GroupLock.acquire(home, G); // stands in for the holder's lock (this JVM's)
            assertEquals(new GroupStatus("RUNNING", holder.pid()), status());
        } finally {
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
