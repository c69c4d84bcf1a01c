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
    void aStarterThatHasNotWrittenItsRecordIsStartingNotTheLastRunsGracefulStop() {
        long lastRun = ProcessHandle.current().pid(); // alive, so only the stopped mark can tell the record is old
        assertTrue(new PidFile(lastRun, "EXTRACT", System.currentTimeMillis(), false, null).asStopped().write(PidFile.pathOf(home, G)));
        assertEquals(new GroupStatus("STOPPED", -1), status());

        GroupLock.acquire(home, G); // the new process has the lock, not yet its record: the last run's graceful stop
        assertEquals(new GroupStatus("RUNNING", -1), status(), "a holder's graceful stop and a starter's first moment look alike");

        long me = ProcessHandle.current().pid();
        PidFile.starting(me, "EXTRACT", System.currentTimeMillis()).write(PidFile.pathOf(home, G));
        assertEquals(new GroupStatus("STARTING", me), status(), "locked, route not up yet");

        new PidFile(me, "EXTRACT", System.currentTimeMillis(), false, null).write(PidFile.pathOf(home, G));
        assertEquals(new GroupStatus("RUNNING", me), status(), "the route's own record");
    }

    @Test
    void aStarterAfterAKillMinus9IsStartingWithAnUnknownPidNotTheKilledOne() throws Exception {
        long killed = deadPid();
        assertTrue(new PidFile(killed, "EXTRACT", System.currentTimeMillis() - 1000, false, null).write(PidFile.pathOf(home, G)));
        assertEquals(new GroupStatus("ABENDED", -1), status());

        GroupLock.acquire(home, G);
        assertEquals(new GroupStatus("STARTING", -1), status());
    }

    @Test
    void aRecordWhosePidTheOsGaveToANewerProcessNamesNoRunningProcess() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            // the record was written an hour before this pid's process started: that was another process
            long anHourAgo = System.currentTimeMillis() - 3_600_000;
            assertTrue(new PidFile(other.pid(), "EXTRACT", anHourAgo, false, null).write(PidFile.pathOf(home, G)));
            GroupLock.acquire(home, G);
            assertEquals(new GroupStatus("STARTING", -1), status());
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

    @Test
    void aManagersStartIsStartingFromBeforeTheSpawnUntilTheChildLocksAndNotAfterTheChildDies() throws Exception {
        long killed = deadPid();
        assertTrue(new PidFile(killed, "EXTRACT", System.currentTimeMillis() - 1000, true, "last run").write(PidFile.pathOf(home, G)));
        assertEquals(new GroupStatus("ABENDED", -1), status());

        StartingMark mark = StartingMark.begin(home, G); // this JVM stands in for the Manager
        assertEquals(new GroupStatus("STARTING", -1), status(), "before the spawn: the Manager is alive");
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            mark.spawned(home, G, child.pid());
            assertEquals(new GroupStatus("STARTING", child.pid()), status(), "spawned, no lock yet");
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertEquals(new GroupStatus("ABENDED", -1), status(), "a dead child's mark says nothing");
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMarkOfAKilledManagerBeforeTheSpawnSaysNothing() throws Exception {
        StartingMark.begin(home, G);
        java.nio.file.Files.writeString(StartingMark.pathOf(home, G), "manager=" + deadPid() + "\nchild=-1\nsince="
                + System.currentTimeMillis() + "\nspawned=0\n");
        assertEquals(new GroupStatus("STOPPED", -1), status());
    }

    @Test
    void theChildsOwnRecordOverridesTheMark() throws Exception {
        long me = ProcessHandle.current().pid();
        StartingMark.begin(home, G).spawned(home, G, me); // a child that is alive: this JVM
        assertEquals(new GroupStatus("STARTING", me), status());
        GroupLock.acquire(home, G);
        PidFile.starting(me, "EXTRACT", System.currentTimeMillis()).write(PidFile.pathOf(home, G));
        assertEquals(new GroupStatus("STARTING", me), status());
        new PidFile(me, "EXTRACT", System.currentTimeMillis(), false, null).write(PidFile.pathOf(home, G));
        assertEquals(new GroupStatus("RUNNING", me), status());
        new PidFile(me, "EXTRACT", System.currentTimeMillis(), true, "route failed").write(PidFile.pathOf(home, G));
        GroupLock.release(home, G);
        assertEquals(new GroupStatus("ABENDED", -1), status(), "its abend, written after the mark, is not hidden by it");
    }
}
