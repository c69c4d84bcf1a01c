package io.redotrail.report;

import io.redotrail.checkpoint.ProcessCheckpoint;

import java.nio.file.Path;
import java.util.Optional;

/**
 * STARTING / RUNNING / STOPPED / ABENDED, whether or not the process runs. A live process holds the OS lock on
 * {@code dirchk/<GROUP>.pid} ({@link GroupLock}), whatever the file says, and a killed process's lock is gone with
 * it. Under a held lock the holder's own record says how far it is: {@code starting} (written as it takes the lock)
 * is STARTING, the record its route writes once its control channel answers is RUNNING; a record that is not the
 * holder's (the last run's, still there for the moment between taking the lock and writing) is STARTING with no pid.
 * Without the lock, a live {@link StartingMark} (a Manager spawned the group's JVM, which has not taken the lock yet)
 * newer than the file's record is STARTING. Otherwise the file tells how the last run ended: marked abended (also a
 * refused start) is ABENDED, marked stopped is STOPPED; a file that still says running was left by a killed
 * process: ABENDED, unless that run's checkpoint says it stopped gracefully (stop status G written after it
 * started, by a version that removed the file instead of marking it). No file: STOPPED. A group marked abended by
 * the process that still holds the lock (shutting down after the abend) is ABENDED. {@code pid} is -1 unless
 * starting or running under the holder's own record. A record's pid is no running process of the group when it is
 * marked stopped, or is no live process, or is a live process that started after the record was written (the OS
 * gave the pid again). Reporting it would make GGSCI show it and a STOP / KILL signal it.
 */
public record GroupStatus(String status, long pid) {

    public static GroupStatus of(Path home, String group, ProcessCheckpoint cp) {
        boolean locked = GroupLock.held(home, group);
        Optional<PidFile> pf = PidFile.read(PidFile.pathOf(home, group));
        // a Manager's start newer than the file's record: the record is the last run's
        Optional<StartingMark> mark = StartingMark.live(home, group)
                .filter(m -> pf.isEmpty() || pf.get().startedMillis() < m.sinceMillis());
        if (locked) {
            Optional<PidFile> holders = pf.filter(p -> !p.stopped() && holdersRecord(p));
            if (holders.isPresent()) {
                PidFile p = holders.get();
                if (p.abended()) return new GroupStatus("ABENDED", -1);
                return new GroupStatus(p.starting() ? "STARTING" : "RUNNING", p.pid());
            }
            if (mark.isPresent()) return new GroupStatus("STARTING", mark.get().child());
            // the holder's graceful stop under way (or a starter's moment before its record): no pid to signal
            if (pf.isPresent() && pf.get().stopped() && holdersRecord(pf.get())) return new GroupStatus("RUNNING", -1);
            return new GroupStatus("STARTING", -1);
        }
        if (mark.isPresent()) return new GroupStatus("STARTING", mark.get().child());
        if (pf.isPresent() && pf.get().abended()) return new GroupStatus("ABENDED", -1);
        if (pf.isEmpty() || pf.get().stopped()) return new GroupStatus("STOPPED", -1);
        PidFile p = pf.get();
        boolean graceful = cp != null && cp.stopStatus() == 'G' && cp.lastUpdateMillis() >= p.startedMillis();
        return new GroupStatus(graceful ? "STOPPED" : "ABENDED", -1);
    }

    /** Process start times come from the OS's boot time in whole seconds: a record is older only beyond this. */
    private static final long START_TIME_SLACK_MILLIS = 5_000;

    /** Whether a record found under a held lock is the holder's own (see the class comment). */
    private static boolean holdersRecord(PidFile p) {
        if (p.pid() <= 0) return false;
        Optional<ProcessHandle> h = ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive);
        return h.isPresent() && h.get().info().startInstant()
                .map(started -> started.toEpochMilli() <= p.startedMillis() + START_TIME_SLACK_MILLIS).orElse(true);
    }

    public boolean running() {
        return "RUNNING".equals(status);
    }

    /** STARTING or RUNNING: a process of the group is alive (or being spawned). */
    public boolean live() {
        return running() || "STARTING".equals(status);
    }
}
