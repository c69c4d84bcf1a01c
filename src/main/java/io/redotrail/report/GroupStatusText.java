package io.redotrail.report;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Replies of a running group to {@code STATUS} and {@code LAG}, shaped as GoldenGate's SEND ... STATUS and
 * LAG / SEND ... GETLAG:
 * <pre>
 * EXTRACT PUMHA (PID 1234)
 *   Current status: Recovery complete: At EOF
 *
 *   Current read position:
 *   Sequence #: 0 ...
 * </pre>
 * and "Last record lag: 2 seconds." / "At EOF, no more records to process.". What the group waits for
 * ({@link GroupRuntime#waiting()}, a redotrail extension) follows the status line, then the group's own line
 * ({@link GroupRuntime#statusDetail()}: a parallel Replicat's appliers). Stateless.
 */
final class GroupStatusText {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private GroupStatusText() {
    }

    static String lag(GroupStats stats) {
        long lag = stats.lastRecordLagMillis();
        StringBuilder sb = new StringBuilder();
        if (lag >= 0) sb.append("Last record lag: ").append(lag / 1000).append(" seconds.\n");
        if (stats.isAtEof()) sb.append("At EOF, no more records to process.\n");
        else if (lag < 0) sb.append("No records yet processed.\n");
        return sb.toString();
    }

    static String status(GroupRuntime runtime, String program, boolean abended) {
        GroupStats stats = runtime.stats();
        String state = abended ? "Abending" : stats.isAtEof() ? "Recovery complete: At EOF" : "Recovery complete: Processing data";
        StringBuilder sb = new StringBuilder();
        sb.append(program == null ? "EXTRACT" : program).append(' ').append(runtime.group())
                .append(" (PID ").append(ProcessHandle.current().pid()).append(")\n");
        sb.append("  Current status: ").append(state).append('\n');
        String waiting = runtime.waiting();
        if (waiting != null) sb.append("  ").append(waiting).append('\n');
        String detail = runtime.statusDetail();
        if (detail != null) sb.append("  ").append(detail).append('\n');
        Path home = runtime.home();
        Path cpe = CheckpointFile.extractFile(home, runtime.group());
        Path cpr = CheckpointFile.replicatFile(home, runtime.group());
        Optional<ProcessCheckpoint> cp;
        try {
            cp = new CheckpointFile(Files.exists(cpe) ? cpe : cpr).read();
        } catch (RuntimeException e) {
            return sb + "  Checkpoint: " + e.getMessage() + "\n";
        }
        if (cp.isEmpty()) return sb.append("\n  No checkpoint written yet.\n").toString();
        ZoneId zone = runtime.zone();
        for (RedoReadCheckpoint r : cp.get().redoReads()) {
            CheckpointPoint c = r.current();
            sb.append("\n  Current read position:\n  Redo thread #: ").append(r.thread())
                    .append("\n  Sequence #: ").append(c.position().sequence())
                    .append("\n  RBA: ").append(c.position().rba())
                    .append("\n  Timestamp: ").append(ts(c.timestampMillis(), zone))
                    .append("\n  SCN: ").append(c.scn().display()).append('\n');
        }
        if (cp.get().trailRead() != null) {
            sb.append("\n  Current read position:\n  Sequence #: ").append(cp.get().trailRead().current().seqno())
                    .append("\n  RBA: ").append(cp.get().trailRead().current().rba())
                    .append("\n  Timestamp: ").append(ts(cp.get().trailRead().currentTimestampMillis(), zone))
                    .append("\n  Extract Trail: ").append(cp.get().trailRead().trail()).append('\n');
        }
        for (WriteCheckpoint w : cp.get().writes()) {
            sb.append("\n  Current write position:\n  Sequence #: ").append(w.position().seqno())
                    .append("\n  RBA: ").append(w.position().rba())
                    .append("\n  Timestamp: ").append(ts(w.timestampMillis(), zone))
                    .append("\n  Extract Trail: ").append(w.trail()).append('\n');
        }
        return sb.toString();
    }

    private static String ts(long millis, ZoneId zone) {
        return millis <= 0 ? "Not available" : TS.format(Instant.ofEpochMilli(millis).atZone(zone));
    }
}
