package io.redotrail.report;

import io.redotrail.checkpoint.ProcessCheckpoint;

import java.nio.file.Path;
import java.util.Optional;

/**
 * RUNNING / STOPPED / ABENDED, whether or not the process runs. RUNNING comes from the lock alone: a live
 * process holds the OS lock on {@code dirchk/<GROUP>.pid} ({@link GroupLock}), whatever the file says, and a
 * killed process's lock is gone with it. Otherwise the file tells how the last run ended: marked abended
 * (also a refused start) is ABENDED, marked stopped is STOPPED; a file that still says running was left by a
 * killed process: ABENDED, unless that run's checkpoint says it stopped gracefully (stop status G written after
 * it started, by a version that removed the file instead of marking it). No file: STOPPED. A group marked
 * abended whose process still holds the lock (shutting down after the abend) is ABENDED. {@code pid} is -1
 * unless running, and -1 while the holder has not written its own record yet: a starting process takes the lock a
 * moment (on a busy machine hundreds of milliseconds) before it rewrites the file, which until then is the last
 * run's. That record's pid is no running process of the group: a record marked stopped, or whose pid is no live
 * process, or a live process that started after the record was written (the OS gave the pid again) is not the
 * holder's. Reporting it would make GGSCI show it and a STOP / KILL signal it.
 */
public record GroupStatus(String status, long pid) {

    public static GroupStatus of(Path home, String group, ProcessCheckpoint cp) {
        boolean locked = GroupLock.held(home, group);
        Optional<PidFile> pf = PidFile.read(PidFile.pathOf(home, group));
        if (pf.isPresent() && pf.get().abended()) return new GroupStatus("ABENDED", -1);
        if (locked) return new GroupStatus("RUNNING", pf.filter(GroupStatus::holdersRecord).map(PidFile::pid).orElse(-1L));
        if (pf.isEmpty() || pf.get().stopped()) return new GroupStatus("STOPPED", -1);
        PidFile p = pf.get();
        boolean graceful = cp != null && cp.stopStatus() == 'G' && cp.lastUpdateMillis() >= p.startedMillis();
        return new GroupStatus(graceful ? "STOPPED" : "ABENDED", -1);
    }

    /** Process start times come from the OS's boot time in whole seconds: a record is older only beyond this. */
    private static final long START_TIME_SLACK_MILLIS = 5_000;

    /** Whether a record found under a held lock is the holder's own (see the class comment). */
    private static boolean holdersRecord(PidFile p) {
        if (p.stopped() || p.pid() <= 0) return false;
        Optional<ProcessHandle> h = ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive);
        return h.isPresent() && h.get().info().startInstant()
                .map(started -> started.toEpochMilli() <= p.startedMillis() + START_TIME_SLACK_MILLIS).orElse(true);
    }

    public boolean running() {
        return "RUNNING".equals(status);
    }
}
