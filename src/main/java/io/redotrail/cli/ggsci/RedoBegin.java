package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.redo.ControlFile;
import io.redotrail.redo.MissingRedoLogException;
import io.redotrail.redo.RedoFormat;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The begin point of {@code ADD EXTRACT g, TRANLOG, BEGIN NOW | BEGIN yyyy-mm-dd hh:mi[:ss[.cccccc]] | SCN n}, per
 * redo thread, as a real position in the home's redo ({@code redo/} online logs, {@code arch/} archived copies,
 * found through {@code redo/control}), read with {@link RedoLogReader}: NOW = after the last record each thread
 * has flushed; a timestamp or SCN = the first record at or after it. A begin before the oldest log still
 * available (online or archived) is refused naming that log, unless that log is sequence 1 (nothing older ever
 * existed). A thread with no record at or after the begin begins at its end when the database is past the begin
 * (another thread has such a record, or for an SCN, any thread's redo reaches it): what it writes later is later.
 * Otherwise the begin lies in the future and is refused, so a begin never captures a record older than asked
 * for. Reads only; one instance per command.
 */
final class RedoBegin {
    private final Path redoDir;
    private final Path archDir;
    private final ControlFile cf;

    RedoBegin(Path home) {
        this.redoDir = home.resolve("redo");
        this.archDir = home.resolve("arch");
        this.cf = ControlFile.read(RedoFormat.controlFile(redoDir)).orElseThrow(() -> new GgsciException("No redo "
                + "control file " + RedoFormat.controlFile(redoDir) + ": the database has written no redo yet, so there"
                + " is no position to begin at."));
    }

    /** THREADS default: every thread the database knows (GoldenGate's default is 1; a thread left out is never read). */
    int threadCount() {
        return Math.max(1, cf.threads.isEmpty() ? 1 : cf.threads.lastKey());
    }

    List<RedoReadCheckpoint> now(int threads, long nowMillis) {
        List<RedoReadCheckpoint> out = new ArrayList<>();
        for (int t = 1; t <= threads; t++) {
            requireThread(t);
            try (RedoLogReader r = RedoLogReader.atEnd(redoDir, archDir, t)) {
                if (r.position() == null) throw new GgsciException("Redo thread " + t + " has no log yet: nothing to begin at.");
                out.add(at(new CheckpointPoint(r.position(), Scn.of(Math.max(0, r.watermark())), nowMillis, r.currentFile())));
            } catch (CorruptFileException | MissingRedoLogException e) {
                throw new GgsciException("cannot read redo thread " + t + ": " + e.getMessage());
            }
        }
        return out;
    }

    List<RedoReadCheckpoint> atScn(int threads, long scn) {
        List<Found> found = new ArrayList<>();
        for (int t = 1; t <= threads; t++) {
            requireThread(t);
            ControlFile.LogEntry oldest = oldest(t);
            if (scn < oldest.firstScn && oldest.sequence > 1) throw beforeOldest(t, oldest, "SCN " + scn, "first SCN " + oldest.firstScn);
            // the newest available log that begins at or before the SCN: nothing before it can be at or after it
            long from = oldest.sequence;
            for (ControlFile.LogEntry e : cf.logs) {
                if (e.thread == t && e.sequence > from && e.firstScn <= scn && available(e)) from = e.sequence;
            }
            found.add(first(t, from, r -> r.scn().value() >= scn));
        }
        // SCNs are database-wide: once any thread is past SCN n - 1, every record still to come is at or after n
        long reached = found.stream().mapToLong(f -> f.watermark).max().orElse(-1);
        return points(found, reached >= scn - 1, "SCN " + scn);
    }

    List<RedoReadCheckpoint> atTime(int threads, long millis, String shown) {
        List<Found> found = new ArrayList<>();
        for (int t = 1; t <= threads; t++) {
            requireThread(t);
            ControlFile.LogEntry oldest = oldest(t);
            Found f = first(t, oldest.sequence, r -> r.timestampMillis() >= millis);
            CheckpointPoint p = f.point;
            // the oldest log's first record is already later: older logs (gone) may have held records at or after it
            if (!f.atEnd && f.last == null && oldest.sequence > 1 && p.timestampMillis() > millis) {
                throw beforeOldest(t, oldest, shown, "first record at " + CheckpointPrinter.ts(CheckpointPrinter.MICROS, p.timestampMillis()));
            }
            found.add(f);
        }
        // a record at or after the time in some thread: the database is past it, what any thread writes later is too
        return points(found, found.stream().anyMatch(f -> !f.atEnd), shown);
    }

    /**
     * ALTER EXTRACT g, EXTSEQNO n, EXTRBA m [, THREAD t]: the first record of thread {@code thread} at or after RBA
     * {@code rba} of log sequence {@code sequence} (RBA 0: the log's first record), or the thread's end when none
     * was written yet. The sequence must be online or archived.
     */
    RedoReadCheckpoint atPosition(int thread, long sequence, long rba) {
        requireThread(thread);
        ControlFile.LogEntry e = cf.log(thread, sequence);
        if (e == null || !available(e)) {
            ControlFile.LogEntry oldest = oldest(thread);
            throw new GgsciException("Redo log sequence " + sequence + " of thread " + thread + " is " + (e == null
                    ? "unknown to " + RedoFormat.controlFile(redoDir) : "neither online nor archived") + " (oldest available: sequence "
                    + oldest.sequence + ", current: " + cf.currentSequence(thread) + ").");
        }
        Found f = first(thread, sequence, r -> r.position().sequence() > sequence || r.position().rba() >= rba);
        return at(f.point);
    }

    /** A thread's begin point; {@code atEnd}: no record at or after the begin yet, the point is the thread's end. */
    private record Found(CheckpointPoint point, boolean atEnd, long watermark, RedoRecord last) {
    }

    private List<RedoReadCheckpoint> points(List<Found> found, boolean reached, String what) {
        List<RedoReadCheckpoint> out = new ArrayList<>();
        for (Found f : found) {
            if (f.atEnd && !reached) {
                RedoRecord last = f.last;
                throw new GgsciException("No redo record at or after " + what + " in thread " + f.point.position().thread()
                        + " yet (last record: " + (last == null ? "none" : "SCN " + last.scn().value() + " at "
                        + CheckpointPrinter.ts(CheckpointPrinter.MICROS, last.timestampMillis())) + "): use BEGIN NOW, or add"
                        + " the extract once the database has reached that point.");
            }
            out.add(at(f.point));
        }
        return out;
    }

    /** The first record of {@code thread} from {@code sequence} on that {@code wanted} accepts, else the thread's end. */
    private Found first(int thread, long sequence, Predicate<RedoRecord> wanted) {
        try (RedoLogReader r = new RedoLogReader(redoDir, archDir, thread, new RedoPosition(thread, sequence, RedoFormat.HEADER_SIZE))
                .neededBy("Startup")) {
            RedoRecord last = null;
            for (List<RedoRecord> batch = r.poll(4096); !batch.isEmpty(); batch = r.poll(4096)) {
                for (RedoRecord rec : batch) {
                    if (wanted.test(rec)) {
                        return new Found(new CheckpointPoint(rec.position(), rec.scn(), rec.timestampMillis(), rec.redoFile()),
                                false, r.watermark(), last);
                    }
                    last = rec;
                }
            }
            return new Found(new CheckpointPoint(r.position(), Scn.of(Math.max(0, r.watermark())),
                    last == null ? 0 : last.timestampMillis(), r.currentFile()), true, r.watermark(), last);
        } catch (CorruptFileException | MissingRedoLogException e) {
            throw new GgsciException("cannot read redo thread " + thread + ": " + e.getMessage());
        }
    }

    private void requireThread(int t) {
        if (!cf.threads.containsKey(t)) {
            throw new GgsciException("Redo thread " + t + " is unknown to " + RedoFormat.controlFile(redoDir) + " (threads: "
                    + cf.threads.keySet() + ").");
        }
    }

    private ControlFile.LogEntry oldest(int t) {
        long seq = cf.earliestSequence(t);
        if (seq < 0) throw new GgsciException("Redo thread " + t + " has no log online or archived: nothing to begin at.");
        return cf.log(t, seq);
    }

    private static boolean available(ControlFile.LogEntry e) {
        return e.online != null || e.availableArchive() != null;
    }

    private GgsciException beforeOldest(int t, ControlFile.LogEntry oldest, String what, String detail) {
        return new GgsciException("BEGIN " + what + " is before the oldest redo log available for thread " + t + ": sequence "
                + oldest.sequence + " (" + (oldest.online != null ? oldest.online : oldest.availableArchive()) + ", " + detail
                + "). Restore the archived logs before it to " + archDir + " or choose a later begin.");
    }

    private static RedoReadCheckpoint at(CheckpointPoint p) {
        return new RedoReadCheckpoint(p.position().thread(), p, p, p);
    }
}
