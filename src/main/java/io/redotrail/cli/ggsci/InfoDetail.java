package io.redotrail.cli.ggsci;

import io.redotrail.report.ControlClient;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.control.params.GroupParams;
import io.redotrail.report.ReportFile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The extra lines of {@code INFO EXTRACT|REPLICAT g, DETAIL} in GoldenGate's shape: the output trails (name, seqno,
 * RBA, Max MB, type), the read source (redo thread positions or the trail read, begin and end), and the group's
 * files; and what a running group waits for ({@link #waiting}: asked over its control channel, as STATUS does).
 * Stateless.
 */
final class InfoDetail {
    private InfoDetail() {
    }

    static List<String> lines(GgsciContext ctx, String program, ProcessCheckpoint cp) {
        List<String> out = new ArrayList<>();
        if (!cp.writes().isEmpty()) {
            out.add("  Target Extract Trails:");
            out.add("");
            out.add(String.format("  %-40s %10s %12s %10s %s", "Trail Name", "Seqno", "RBA", "Max MB", "Trail Type"));
            out.add("");
            for (WriteCheckpoint w : cp.writes()) {
                out.add(String.format("  %-40s %10d %12d %10d %s", w.trail(), w.position().seqno(), w.position().rba(),
                        w.megabytes(), w.trailType()));
            }
            out.add("");
        }
        out.add(String.format("  %-40s %-26s %s", program.equals("REPLICAT") || cp.trailRead() != null ? "Trail Source" : "Extract Source",
                "Begin", "End"));
        out.add("");
        for (RedoReadCheckpoint r : cp.redoReads()) {
            out.add(String.format("  %-40s %-26s %s", "Redo thread " + r.thread() + " " + point(r.current()),
                    time(r.startup()), time(r.current())));
        }
        TrailReadCheckpoint t = cp.trailRead();
        if (t != null) {
            out.add(String.format("  %-40s %-26s %s", t.trail() + " " + EtRollover.at(t.current()),
                    stamp(t.startupTimestampMillis()), stamp(t.currentTimestampMillis())));
        }
        out.add("");
        out.add("Current directory    " + ctx.home().toAbsolutePath());
        out.add("");
        out.add("Report file          " + ReportFile.pathOf(ctx.home(), cp.group()));
        out.add("Parameter file       " + GroupParams.fileOf(ctx.home(), cp.group()));
        out.add("Checkpoint file      " + (program.equals("REPLICAT") ? CheckpointFile.replicatFile(ctx.home(), cp.group())
                : CheckpointFile.extractFile(ctx.home(), cp.group())));
        out.add("Process file         " + io.redotrail.report.PidFile.pathOf(ctx.home(), cp.group()));
        return out;
    }

    /** What a running group says it waits for (a trail file that does not exist yet ...), if anything. */
    static Optional<String> waiting(GgsciContext ctx, String group) {
        try {
            return ControlClient.send(ctx.home(), group, "WAITING", 5_000).map(String::strip)
                    .filter(s -> !s.isEmpty() && !s.startsWith("ERROR:"));
        } catch (IOException e) {
            return Optional.empty(); // INFO shows the checkpoints; the channel is for the extra line only
        }
    }

    private static String point(CheckpointPoint p) {
        return p == null ? "" : "Seqno " + p.position().sequence() + ", RBA " + p.position().rba();
    }

    private static String time(CheckpointPoint p) {
        return p == null ? "*Initialized*" : stamp(p.timestampMillis());
    }

    private static String stamp(long millis) {
        return millis <= 0 ? "*Initialized*" : CheckpointPrinter.ts(CheckpointPrinter.SECOND, millis);
    }
}
