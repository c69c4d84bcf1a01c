package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.report.PidFile;

import java.nio.file.Path;
import java.util.Optional;

/**
 * RUNNING / STOPPED / ABENDED, whether or not the process runs: a live pid in {@code dirchk/<GROUP>.pid} is
 * RUNNING; a pid file marked abended, or a stale one (process gone) with stop status A (killed while running)
 * or with a checkpoint older than that run (killed before its first checkpoint), is ABENDED; no pid file, or a
 * stale one whose run wrote stop status G, is STOPPED. {@code pid} is -1 unless
 * running.
 */
record GroupStatus(String status, long pid) {

    static GroupStatus of(Path home, String group, ProcessCheckpoint cp) {
        Optional<PidFile> pf = PidFile.read(PidFile.pathOf(home, group));
        if (pf.isEmpty()) return new GroupStatus("STOPPED", -1);
        PidFile p = pf.get();
        boolean alive = p.alive();
        if (p.abended()) return new GroupStatus("ABENDED", -1);
        if (alive) return new GroupStatus("RUNNING", p.pid());
        // stale: a graceful stop written by that very run (after it started) is STOPPED; anything else was killed
        boolean graceful = cp != null && cp.stopStatus() == 'G' && cp.lastUpdateMillis() >= p.startedMillis();
        return new GroupStatus(graceful ? "STOPPED" : "ABENDED", -1);
    }

    boolean running() {
        return "RUNNING".equals(status);
    }
}
