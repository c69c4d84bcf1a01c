package io.redotrail.control.manager;

import io.redotrail.report.EventLog;
import io.redotrail.checkpoint.CheckpointLag;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.report.GroupStatus;

import java.nio.file.Path;

/**
 * LAGREPORTMINUTES / LAGINFO / LAGCRITICAL: every report interval, the checkpoint lag of each running group
 * ({@link CheckpointLag} over its checkpoint file): above LAGCRITICAL a WARNING OGG-00947, else above LAGINFO
 * (or always, with LAGINFO 0) an INFO OGG-00948, as GoldenGate's Manager writes them:
 * {@code Lag for EXTRACT EXT1 is 00:00:12 (checkpoint updated 00:00:01 ago).} Not thread-safe: runs on the
 * Manager's scheduler thread.
 */
final class LagMonitor {
    private final Path home;
    private final EventLog log;
    private final long infoMillis;
    private final long criticalMillis;

    /** {@code infoMillis}/{@code criticalMillis}: -1 when not set. */
    LagMonitor(Path home, EventLog log, long infoMillis, long criticalMillis) {
        this.home = home;
        this.log = log;
        this.infoMillis = infoMillis;
        this.criticalMillis = criticalMillis;
    }

    void check(long now) {
        for (GroupDefs.Def d : GroupDefs.all(home)) {
            if (d.checkpoint().isEmpty()) continue;
            ProcessCheckpoint cp = d.checkpoint().get();
            if (!GroupStatus.of(home, d.group(), cp).running()) continue;
            long lag = CheckpointLag.lagMillis(cp);
            String text = "Lag for " + d.processType() + " " + d.group() + " is " + CheckpointLag.hms(lag) + " (checkpoint updated "
                     + CheckpointLag.hms(now - cp.lastUpdateMillis()) + " ago).";
            if (criticalMillis >= 0 && lag > criticalMillis) log.warning("OGG-00947", text);
            else if (infoMillis == 0 || (infoMillis > 0 && lag > infoMillis)) log.info("OGG-00948", text);
        }
    }

}
