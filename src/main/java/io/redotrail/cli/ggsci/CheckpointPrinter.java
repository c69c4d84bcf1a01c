package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointLag;
import io.redotrail.report.GroupStatus;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailFormat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a {@link ProcessCheckpoint} the way GGSCI's {@code INFO EXTRACT|REPLICAT group [, SHOWCH]} does
 * (field names and block order as in the GoldenGate documentation, appendix "About checkpoints"):
 * the status block, then with SHOWCH "Current Checkpoint Detail:", one Read Checkpoint per redo thread
 * (Startup / Recovery / Current, BR blocks) or the trail read checkpoint, the write checkpoints, and the
 * Header / File Information / Configuration / Status footer. Pure formatting: no I/O.
 */
final class CheckpointPrinter {
    static final DateTimeFormatter MINUTE = fmt("yyyy-MM-dd HH:mm");
    static final DateTimeFormatter SECOND = fmt("yyyy-MM-dd HH:mm:ss");
    static final DateTimeFormatter MICROS = fmt("yyyy-MM-dd HH:mm:ss.SSSSSS");
    static final String INDENT = "                     "; // 21 columns, under the values of the status block

    /** Replicat's database checkpoint line values (null when the replicat has no checkpoint table). */
    record DatabaseCheckpoint(String table, long key, String createTime) {
    }

    private final List<String> lines = new ArrayList<>();

    private static DateTimeFormatter fmt(String p) {
        return DateTimeFormatter.ofPattern(p).withZone(ZoneId.systemDefault());
    }

    static String ts(DateTimeFormatter f, long millis) {
        return millis <= 0 ? "Not Available" : f.format(Instant.ofEpochMilli(millis));
    }



    static List<String> print(String program, ProcessCheckpoint cp, GroupStatus status, long now, boolean showch,
                              DatabaseCheckpoint db) {
        CheckpointPrinter p = new CheckpointPrinter();
        p.status(program, cp, status, now);
        if (showch) {
            p.detail("Current Checkpoint Detail:", program, cp, db, true);
        }
        return p.lines;
    }

    /**
     * SHOWCH n: the {@code number}th checkpoint before the current one, as its detail (read and write checkpoints,
     * then when it was written and the process's start and stop status); the constant header blocks are not repeated.
     */
    static List<String> previous(String program, int number, ProcessCheckpoint cp) {
        CheckpointPrinter p = new CheckpointPrinter();
        p.detail("Previous Checkpoint #" + number + " Detail (Last Update Time = " + ts(SECOND, cp.lastUpdateMillis()) + "):",
                program, cp, null, false);
        return p.lines;
    }

    private void add(String s) {
        lines.add(s);
    }

    private void status(String program, ProcessCheckpoint cp, GroupStatus st, long now) {
        // a group ADD defined and never started shows when it was added, as GGSCI does
        add(cp.startTimeMillis() == 0 && !st.live()
                ? String.format("%-10s %-9s Initialized   %s   Status %s", program, cp.group(), ts(MINUTE, cp.lastUpdateMillis()), st.status())
                : String.format("%-10s %-9s Last Started %s   Status %s", program, cp.group(), ts(MINUTE, cp.startTimeMillis()),
                st.status()));
        add(String.format("%-21s%s (updated %s ago)", "Checkpoint Lag", CheckpointLag.hms(CheckpointLag.lagMillis(cp)), CheckpointLag.hms(now - cp.lastUpdateMillis())));
        if (st.live() && st.pid() > 0) add(String.format("%-21s%d", "Process ID", st.pid())); // unknown a moment while it starts
        if (!cp.redoReads().isEmpty()) {
            boolean rac = cp.redoReads().size() > 1;
            add(String.format("%-21s%s", "Log Read Checkpoint", "Oracle Redo Logs"));
            for (RedoReadCheckpoint r : cp.redoReads()) {
                CheckpointPoint c = r.current();
                add(INDENT + ts(SECOND, c.timestampMillis()) + "  " + (rac ? "Thread " + r.thread() + ", " : "")
                        + "Seqno " + c.position().sequence() + ", RBA " + c.position().rba());
                add(INDENT + "SCN " + c.scn().display());
            }
        } else if (cp.trailRead() != null) {
            TrailReadCheckpoint t = cp.trailRead();
            add(String.format("%-21s%s", "Log Read Checkpoint", "File " + trailFile(t.trail(), t.current())));
            // nothing read yet (a reader ADD defined): GGSCI says "First Record"
            add(INDENT + (t.currentTimestampMillis() <= 0 ? "First Record" : ts(MICROS, t.currentTimestampMillis()))
                    + "  RBA " + t.current().rba());
        }
    }

    private static String trailFile(String trail, TrailPosition p) {
        return TrailFormat.fileOf(Path.of(trail), p.seqno()).toString();
    }

    private void detail(String title, String program, ProcessCheckpoint cp, DatabaseCheckpoint db, boolean header) {
        add("");
        add("");
        add(title);
        int n = 0;
        boolean redo = !cp.redoReads().isEmpty();
        if (redo) {
            String kind = cp.redoReads().size() > 1 ? "Oracle RAC Redo Log" : "Oracle Redo Log";
            for (RedoReadCheckpoint r : cp.redoReads()) {
                add("");
                add("Read Checkpoint #" + (++n));
                add("");
                add("  " + kind);
                point("Startup Checkpoint (starting position in the data source):", r.startup(), r.thread());
                point("Recovery Checkpoint (position of oldest unprocessed transaction in the data source):", r.recovery(), r.thread());
                point("Current Checkpoint (position of last record read in the data source):", r.current(), r.thread());
            }
            point("BR Previous Recovery Checkpoint:", cp.brPrevious(), 0);
            point("BR Begin Recovery Checkpoint:", cp.brBegin(), 0);
            point("BR End Recovery Checkpoint:", cp.brEnd(), 0);
        } else if (cp.trailRead() != null) {
            TrailReadCheckpoint t = cp.trailRead();
            add("");
            add("Read Checkpoint #" + (++n));
            add("");
            add("  GGS Log Trail");
            trailPoint("Startup Checkpoint (starting position in the data source):", t.startup(), t.startupTimestampMillis(), t.trail(), null);
            trailPoint("Current Checkpoint (position of last record read in the data source):", t.current(), t.currentTimestampMillis(), t.trail(), null);
        }
        int w = 0;
        for (WriteCheckpoint wc : cp.writes()) {
            add("");
            add("Write Checkpoint #" + (++w));
            add("");
            add("  GGS Log Trail");
            trailPoint("Current Checkpoint (current write position):", wc.position(), wc.timestampMillis(), wc.trail(), wc.trailType());
        }
        if (header) header(program, cp, db, redo, n);
        add("");
        add("Status:");
        add("  Start Time = " + ts(SECOND, cp.startTimeMillis()));
        add("  Last Update Time = " + ts(SECOND, cp.lastUpdateMillis()));
        add("  Stop Status = " + cp.stopStatus());
        add("  Last Result = 400");
    }

    private void header(String program, ProcessCheckpoint cp, DatabaseCheckpoint db, boolean redo, int n) {
        boolean replicat = "REPLICAT".equals(program);
        add("");
        add("Header:");
        add("  Version = 2");
        add("  Record Source = A");
        add("  Type = " + (replicat ? 1 : redo ? 10 : 2));
        add("  # Input Checkpoints = " + Math.max(1, n));
        add("  # Output Checkpoints = " + cp.writes().size());
        add("");
        add("File Information:");
        add("  Block Size = 2048");
        add("  Max Blocks = 100");
        add("  Record Length = 2048");
        add("  Current Offset = 0");
        add("");
        add("Configuration:");
        add("  Data Source = " + (redo ? 3 : 0));
        add("  Transaction Integrity = " + (replicat ? -1 : 1));
        add("  Task Type = 0");
        if (db != null) {
            add("");
            add("Database Checkpoint:");
            add("  Checkpoint table = " + db.table());
            add("  Key = " + db.key() + " (0x" + Long.toHexString(db.key()) + ")");
            add("  Create Time = " + db.createTime());
        }
    }

    /** A redo checkpoint block; an absent point (BR before any BR checkpoint) prints zeros and "Not available". */
    private void point(String title, CheckpointPoint p, int thread) {
        add("");
        add("  " + title);
        if (p == null) {
            add("    Thread #: 0");
            add("    Sequence #: 0");
            add("    RBA: 0");
            add("    Timestamp: Not available");
            add("    SCN: Not available");
            add("    Redo File: ");
            return;
        }
        add("    Thread #: " + p.position().thread());
        add("    Sequence #: " + p.position().sequence());
        add("    RBA: " + p.position().rba());
        add("    Timestamp: " + (p.timestampMillis() <= 0 ? "Not available" : ts(MICROS, p.timestampMillis())));
        add("    SCN: " + (p.scn().value() == 0 && p.timestampMillis() <= 0 ? "Not available" : p.scn().display()));
        add("    Redo File: " + (p.redoFile() == null ? "" : p.redoFile()));
    }

    private void trailPoint(String title, TrailPosition p, long millis, String trail, String trailType) {
        add("");
        add("  " + title);
        add("    Sequence #: " + p.seqno());
        add("    RBA: " + p.rba());
        add("    Timestamp: " + (millis <= 0 ? "Not Available" : ts(MICROS, millis)));
        add("    Extract Trail: " + trail);
        add("    Seqno Length: 9");
        add("    Flip Seqno Length: No");
        if (trailType != null) add("    Trail Type: " + trailType);
    }
}
