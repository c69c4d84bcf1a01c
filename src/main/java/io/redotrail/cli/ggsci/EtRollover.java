package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.control.params.BrFiles;
import io.redotrail.control.params.ParamException;
import io.redotrail.extract.br.BrStore;
import io.redotrail.redo.ControlFile;
import io.redotrail.redo.RedoFormat;
import io.redotrail.report.RemoteStatusFile;
import io.redotrail.trail.TrailFiles;
import io.redotrail.trail.TrailFormat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ALTER EXTRACT g, ETROLLOVER}: the write checkpoint moves to RBA 0 of a new trail file (one past both the
 * checkpoint's file and the newest existing one), which the writer creates at its next start instead of refusing
 * to cut below its checkpoint. The new checkpoint's last CSN is what the trail really holds, so the writer's
 * skip ({@code TrailWriter.alreadyWritten}) and the extract's check of commits whose beginning it never read both
 * judge against the data that survived. When transactions are missing from the trail, the read checkpoint moves
 * back so they are captured again: a primary extract re-reads from the oldest redo log still on disk (Bounded
 * Recovery reset, as GoldenGate does for an altered start point), a pump from the newest file of its source trail
 * that precedes every missing CSN. Anything that cannot be re-read is printed with its CSN range.
 */
final class EtRollover {
    private final GgsciContext ctx;
    private final ProcessCheckpoint cp;
    private final List<String> lines = new ArrayList<>();
    private BrFiles brFiles;

    EtRollover(GgsciContext ctx, ProcessCheckpoint cp) {
        this.ctx = ctx;
        this.cp = cp;
    }

    private void say(String line) {
        ctx.out().println(line);
        lines.add(line);
    }

    List<String> run() {
        if (!cp.redoReads().isEmpty()) brFiles = boundedRecovery(ctx, cp);
        WriteCheckpoint w = cp.write(0);
        String g = cp.group();
        if (w == null) throw new GgsciException("EXTRACT " + g + " has no write checkpoint (it never wrote a trail): nothing to roll over.");
        if ("RMTTRAIL".equals(w.trailType()) && sendsToCollector(g)) return remote(w);
        Path trail = Groups.trailPath(ctx.home(), w.trail());
        TrailFiles.LastComplete kept = TrailFiles.lastComplete(trail);
        long newest = kept == null ? -1 : kept.end().seqno();
        // a rollover still pending (its file not created yet) is not rolled over again: that would leave a gap
        boolean pending = w.position().rba() == 0 && w.position().seqno() > newest;
        long next = pending ? w.position().seqno() : Math.max(w.position().seqno(), newest) + 1;
        Scn keptCsn = kept == null ? Scn.ZERO : kept.csn();
        say("Write checkpoint: " + at(w.position()) + " (CSN " + w.lastCsn().value() + ") -> " + at(new TrailPosition(next, 0))
                + ", new file " + TrailFormat.fileOf(trail, next) + " (created at the next start)");
        say(kept == null ? "Trail " + trail + " has no files."
                : "Trail " + trail + " holds complete transactions up to CSN " + keptCsn.value() + ", ending at " + at(kept.end()) + ".");
        List<RedoReadCheckpoint> redo = cp.redoReads();
        TrailReadCheckpoint trailRead = cp.trailRead();
        if (keptCsn.compareTo(w.lastCsn()) < 0) {
            say("Transactions with CSN " + (keptCsn.value() + 1) + " to " + w.lastCsn().value()
                    + " are missing from the trail; they are captured again at the next start:");
            if (!redo.isEmpty()) redo = rewindRedo(redo, keptCsn);
            if (trailRead != null) trailRead = rewindTrail(trailRead, keptCsn);
        } else {
            say("Nothing is missing from the trail (checkpoint CSN " + w.lastCsn().value() + "); the read checkpoint stays.");
        }
        long now = ctx.nowMillis();
        WriteCheckpoint moved = w.movedTo(new TrailPosition(next, 0), now, keptCsn);
        new CheckpointFile(CheckpointFile.extractFile(ctx.home(), g)).write(new ProcessCheckpoint(g, cp.processType(), redo,
                trailRead, List.of(moved), cp.brPrevious(), cp.brBegin(), cp.brEnd(), cp.startTimeMillis(), now, cp.stopStatus()));
        readersToReposition(trail, kept, next);
        return lines;
    }

    /**
     * A pump that sends its RMTTRAIL to a collector: RMTHOST in its parameter file; without a readable one, the
     * {@code dirchk/<g>.rmt} its runs with a remote host leave (a pump writing its RMTTRAIL here removes it).
     */
    private boolean sendsToCollector(String g) {
        Path prm = io.redotrail.control.params.GroupParams.fileOf(ctx.home(), g);
        if (java.nio.file.Files.exists(prm)) {
            try {
                return io.redotrail.control.params.ParamFile.read(prm).params().stream().anyMatch(p -> p.is("RMTHOST"));
            } catch (RuntimeException e) {
                // an unreadable file: the last run's state says it
            }
        }
        return RemoteStatusFile.read(ctx.home(), g).isPresent();
    }

    /**
     * A pump's RMTTRAIL sent to a collector: its files are on the remote host, so what they hold is not judged from
     * this home (a local directory of the same name is another trail). The write checkpoint moves to RBA 0 of the
     * next file, which the collector creates at the pump's next start. Since the remote trail may have lost
     * transactions (the usual reason for this command), the read checkpoint moves back to the oldest file of the
     * source trail: at the next start the collector says what the remote trail holds and the pump skips it, so
     * whatever it lost is sent again and nothing twice.
     */
    private List<String> remote(WriteCheckpoint w) {
        // RBA 0: a rollover still pending (no record written since); rolling over again would leave a gap
        long next = w.position().rba() == 0 ? w.position().seqno() : w.position().seqno() + 1;
        say("Write checkpoint: " + at(w.position()) + " (CSN " + w.lastCsn().value() + ") -> " + at(new TrailPosition(next, 0))
                + ", new file " + w.trail() + String.format(Locale.ROOT, "%09d", next) + " on the remote host (created by its"
                + " collector at the next start)");
        say("Trail " + w.trail() + " is written by a collector on the remote host: what it holds is not visible here.");
        TrailReadCheckpoint r = cp.trailRead();
        if (r != null) {
            Path source = Groups.trailPath(ctx.home(), r.trail());
            TrailPosition from = TrailFiles.rereadFrom(source, Scn.ZERO, r.current().seqno());
            if (from == null) {
                say("  Source trail " + source + " has no files: the read checkpoint stays.");
            } else {
                if (from.compareTo(r.current()) > 0) from = r.current();
                say("  Read checkpoint: " + at(r.current()) + " -> " + at(from) + " of " + source + ": at the next start the"
                        + " collector says what the remote trail holds and the pump skips it, so whatever that trail lost is"
                        + " sent again, nothing twice.");
                long before = TrailFiles.previousLastCsn(source, from.seqno());
                if (before > 0) {
                    say("  Transactions with CSN up to " + before + " were in files of " + source + " before seqno " + from.seqno()
                            + ", which no longer exist: if the remote trail lost any of them, they cannot be sent again.");
                }
                r = new TrailReadCheckpoint(r.trail(), r.startup(), r.startupTimestampMillis(), from, 0);
            }
        }
        say("Readers of " + w.trail() + " on the remote host read on into file " + next + " once it exists.");
        long now = ctx.nowMillis();
        WriteCheckpoint moved = w.movedTo(new TrailPosition(next, 0), now, w.lastCsn());
        new CheckpointFile(CheckpointFile.extractFile(ctx.home(), cp.group())).write(new ProcessCheckpoint(cp.group(), cp.processType(),
                cp.redoReads(), r, List.of(moved), cp.brPrevious(), cp.brBegin(), cp.brEnd(), cp.startTimeMillis(), now,
                cp.stopStatus()));
        return lines;
    }

    /** Each redo thread re-reads from its oldest log still online or archived (never forward of where it was). */
    private List<RedoReadCheckpoint> rewindRedo(List<RedoReadCheckpoint> reads, Scn keptCsn) {
        Path redoDir = ctx.home().resolve("redo");
        ControlFile cf = ControlFile.read(RedoFormat.controlFile(redoDir))
                .orElseThrow(() -> new GgsciException("no redo control file " + RedoFormat.controlFile(redoDir) + ": cannot re-read redo"));
        List<RedoReadCheckpoint> out = new ArrayList<>();
        for (RedoReadCheckpoint r : reads) {
            int t = r.thread();
            long seq = cf.earliestSequence(t);
            ControlFile.LogEntry log = seq < 0 ? null : cf.log(t, seq);
            if (log == null) {
                say("  WARNING thread " + t + ": no redo log is available; nothing of this thread can be captured again.");
                out.add(r);
                continue;
            }
            CheckpointPoint from = new CheckpointPoint(new RedoPosition(t, seq, RedoFormat.HEADER_SIZE), Scn.of(log.firstScn), 0,
                    String.valueOf(log.online != null ? log.online : log.availableArchive()));
            if (r.recovery() != null && r.recovery().position().compareTo(from.position()) < 0) from = r.recovery();
            say("  Read checkpoint thread " + t + ": Recovery " + redoAt(r.recovery()) + " -> " + redoAt(from)
                    + " (" + from.redoFile() + ", SCN " + from.scn().value() + ")");
            if (from.scn().value() > keptCsn.value() + 1) {
                say("  WARNING thread " + t + ": redo below SCN " + from.scn().value() + " is no longer available; transactions "
                        + "that committed between SCN " + (keptCsn.value() + 1) + " and " + (from.scn().value() - 1)
                        + " are NOT captured again unless archived logs of thread " + t + " before sequence " + seq
                        + " are restored to " + ctx.home().resolve("arch") + " and, with " + cp.group() + " stopped, dirchk/"
                        + cp.group() + ".cpe is deleted (the Recovery checkpoint now lies after them); a transaction that "
                        + "began there and committed later stops the extract (OGG-01668) rather than be written half"
                        + " (docs/recovery.md).");
            }
            out.add(new RedoReadCheckpoint(t, r.startup(), from, from));
        }
        say(resetBoundedRecovery(brFiles));
        return out;
    }

    /**
     * The extract's start point was altered: its Bounded Recovery checkpoint (positions before the alteration) is
     * retired, so the next start recovers from the altered checkpoint (GoldenGate's OGG-01635 "reset to initial or
     * altered checkpoint"), in the directory its process uses ({@link #boundedRecovery}). Returns the line to show.
     */
    static String resetBoundedRecovery(BrFiles br) {
        new BrStore(br.dir(), br.group(), br.keepStaleFiles()).reset();
        return "  BOUNDED RECOVERY: reset to altered checkpoint (BR files in " + br.dir() + " retired).";
    }

    /**
     * The extract's BR files as its process resolves them: BR BRDIR / BRKEEPSTALEFILES of {@code dirprm/<g>.prm}
     * over the configuration. Resolved before anything is changed: a parameter file that cannot be read stops
     * the ALTER naming file and line.
     */
    static BrFiles boundedRecovery(GgsciContext ctx, ProcessCheckpoint cp) {
        try {
            return BrFiles.of(ctx.home(), cp.group(), cp, k -> ctx.config(k, null));
        } catch (ParamException e) {
            throw new GgsciException("cannot tell where " + cp.group() + "'s Bounded Recovery files are: " + e.getMessage());
        }
    }

    /** A pump re-reads its source trail from the newest file that precedes every missing CSN. */
    private TrailReadCheckpoint rewindTrail(TrailReadCheckpoint r, Scn keptCsn) {
        Path source = Groups.trailPath(ctx.home(), r.trail());
        TrailPosition from = TrailFiles.rereadFrom(source, keptCsn, r.current().seqno());
        if (from == null) {
            say("  WARNING source trail " + source + " has no files: nothing can be read again.");
            return r;
        }
        if (from.compareTo(r.current()) > 0) from = r.current();
        say("  Read checkpoint: " + at(r.current()) + " -> " + at(from) + " of " + source);
        long before = TrailFiles.previousLastCsn(source, from.seqno());
        if (before > keptCsn.value()) {
            say("  WARNING transactions with CSN " + (keptCsn.value() + 1) + " to " + before + " were in files of " + source
                    + " before seqno " + from.seqno() + ", which no longer exist: they are NOT written again.");
        }
        return new TrailReadCheckpoint(r.trail(), r.startup(), r.startupTimestampMillis(), from, 0);
    }

    /** Readers of this trail that the rollover leaves at a position it no longer has, or before a gap. */
    private void readersToReposition(Path trail, TrailFiles.LastComplete kept, long next) {
        for (String program : new String[]{"EXTRACT", "REPLICAT"}) {
            for (String g : Groups.find(ctx.home(), program, "*")) {
                Optional<ProcessCheckpoint> rc;
                try {
                    rc = Groups.checkpoint(ctx.home(), program, g);
                } catch (RuntimeException e) { // the rollover is done; a reader we cannot judge is only named
                    say("Reader " + program + " " + g + ": cannot read its checkpoint (" + e.getMessage() + ")");
                    continue;
                }
                TrailReadCheckpoint r = rc.map(ProcessCheckpoint::trailRead).orElse(null);
                if (r == null || !Groups.sameTrail(Groups.readTrail(ctx, r), trail)) continue;
                boolean beyond = kept == null || r.current().compareTo(kept.end()) > 0;
                boolean gap = kept == null || next > kept.end().seqno() + 1;
                if (!beyond && !gap) continue;
                say("Reader " + program + " " + g + " is at " + at(r.current()) + (beyond ? ", beyond the data the trail keeps"
                        : ", before a gap in the file numbers") + ": before starting it, " + (beyond ? "" : "once it has read the "
                        + "files that remain, ") + "ALTER " + program + " " + g + ", EXTSEQNO " + next + ", EXTRBA 0");
            }
        }
    }

    static String at(TrailPosition p) {
        return "Sequence # " + p.seqno() + ", RBA " + p.rba();
    }

    private static String redoAt(CheckpointPoint p) {
        return p == null ? "none" : String.format(Locale.ROOT, "Sequence # %d, RBA %d", p.position().sequence(), p.position().rba());
    }
}
