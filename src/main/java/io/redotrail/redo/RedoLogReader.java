package io.redotrail.redo;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RedoPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of one redo thread in order, following log switches (file layout: {@link RedoFormat},
 * docs/redo-format.md). For each sequence it opens the online group whose header shows that sequence, else
 * the archived copy {@code <archiveDir>/<thread>_<sequence>.arc}. When the writer reuses the online group
 * while this reader is behind (header or record sequence changed, file shorter), it continues from the
 * archived copy at the same RBA. Bytes that do not form a valid record at the end of the log being written
 * mean "not written yet" and {@link #poll} returns what it has — unless they lie below the size the control file
 * records for the log (its writer's write checkpoint, set at a clean close) or the writer has appended past them;
 * in a finished log (archived, or a later sequence is current) they are a {@link CorruptFileException} naming
 * file and RBA. A damaged finished online copy is read from its byte-identical archived copy (WARN). A sequence that is
 * neither online nor archived although later ones exist is a {@link MissingRedoLogException}: the reader
 * never skips ahead; its message names the read checkpoint that needs the log (the start checkpoint given to
 * {@link #neededBy}, until a record was read, then the Current checkpoint).
 * <p>
 * What the writer ({@code io.redotrail.sim.RedoLogWriter}) guarantees at a log switch from S to S+1, in this
 * order, each step durable before the next: S ends with an end-of-log record; S is archived; the control file
 * marks S finished and archived, takes the online path from the log that held the next group, and adds S+1 as
 * current with size 0; the group is truncated and S+1's header written and fsynced; the control file sets S+1's
 * size to the header size. So this reader reads the control file before a header and judges the header by it:
 * a bad header of a log recorded with size 0 is a switch still writing it (wait), one recorded with at least the
 * header size was durable (damage, unless a later control file shows the group reused), and a group whose header
 * shows an older sequence is a switch not yet at its truncation (wait).
 * <p>
 * Heartbeat records (format version 2) are not returned: they raise {@link #watermark()}, the SCN at or below
 * which this thread has nothing more to deliver, which {@link ThreadMerger} uses to merge RAC threads.
 * <p>
 * Not thread-safe: one reader per redo thread, used by one Java thread.
 */
public final class RedoLogReader implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RedoLogReader.class);
    private static final long MAX_PAYLOAD = Integer.MAX_VALUE - RedoFormat.FRAME_OVERHEAD;

    private final Path redoDir;
    private final Path archiveDir;
    private final int thread;
    private long sequence;
    private long rba;
    private LogFileCursor cursor;
    private boolean archived;
    private long watermark = -1;
    private String startCheckpoint = "Startup";
    /** Where a bad record was last seen at the end of the log being written, and the file's size then. */
    private long badAt = -1;
    private long badSize;
    private boolean readAny;

    /** Reader starting at {@code start}, or at the earliest log still available when {@code start} is null. */
    public RedoLogReader(Path redoDir, Path archiveDir, int thread, RedoPosition start) {
        if (start != null && start.thread() != thread) {
            throw new IllegalArgumentException("start position " + start + " is not on redo thread " + thread);
        }
        this.redoDir = redoDir;
        this.archiveDir = archiveDir;
        this.thread = thread;
        this.sequence = start == null ? -1 : start.sequence();
        this.rba = start == null ? RedoFormat.HEADER_SIZE : Math.max(start.rba(), RedoFormat.HEADER_SIZE);
    }

    /** Names the checkpoint the start position comes from ("Recovery", "Current", "Startup") for error messages. */
    public RedoLogReader neededBy(String checkpoint) {
        this.startCheckpoint = checkpoint;
        return this;
    }

    /**
     * Reading starts at a checkpoint taken at SCN {@code scn}: no record at or after the start position is below it
     * (a thread's records ascend), so nothing at or below {@code scn - 1} can come from this thread. Lets a merge
     * release other threads' records below it while this thread is idle after a restart. Returns this.
     */
    public RedoLogReader startedAtScn(long scn) {
        if (scn > 0) watermark = Math.max(watermark, scn - 1);
        return this;
    }

    /**
     * The highest SCN at or below which this thread has nothing left to deliver (every such record was already
     * returned by {@link #poll}), from records, heartbeats, end-of-log records and log headers read so far; -1
     * before anything was read.
     */
    public long watermark() {
        return watermark;
    }

    /** Reader positioned after the last record flushed so far (begin now). */
    public static RedoLogReader atEnd(Path redoDir, Path archiveDir, int thread) {
        long current = ControlFile.read(RedoFormat.controlFile(redoDir)).map(c -> c.currentSequence(thread)).orElse(-1L);
        RedoLogReader r = new RedoLogReader(redoDir, archiveDir, thread,
                current < 1 ? null : new RedoPosition(thread, current, RedoFormat.HEADER_SIZE));
        while (!r.poll(10_000).isEmpty()) {
            // skip what is already there
        }
        return r;
    }

    /** Up to {@code max} records available now, possibly none. Never blocks on the writer. */
    public List<RedoRecord> poll(int max) {
        List<RedoRecord> out = new ArrayList<>(Math.min(max, 1024));
        try {
            while (out.size() < max) {
                if (cursor == null && !openSequence()) break;
                int st = cursor.check(rba);
                if (st > 0) {
                    RedoFormat.Decoded d = cursor.decode(rba, st);
                    if (d.sequence != sequence || d.thread != thread) {
                        if (archived) {
                            throw new CorruptFileException(cursor.file, rba, "record of thread " + d.thread + " sequence "
                                    + d.sequence + " at RBA " + rba + " in the archived log of sequence " + sequence);
                        }
                        switchToArchive("record at RBA " + rba + " belongs to sequence " + d.sequence, false);
                        continue;
                    }
                    if (d.isHeartbeat()) {
                        watermark = Math.max(watermark, d.scn.value());
                        rba += st;
                        continue;
                    }
                    if (d.isEndOfLog()) {
                        watermark = Math.max(watermark, Math.max(d.scn.value(), d.nextScn.value() - 1));
                        if (d.nextSequence != sequence + 1) {
                            throw new CorruptFileException(cursor.file, rba, "end-of-log record at RBA " + rba
                                    + " names next sequence " + d.nextSequence + " after " + sequence);
                        }
                        closeCursor();
                        sequence = d.nextSequence;
                        rba = RedoFormat.HEADER_SIZE;
                        continue;
                    }
                    out.add(new RedoRecord(new RedoPosition(thread, sequence, rba), st, d.op, d.xid, d.scn,
                            d.timestampMillis, d.first, d.change, cursor.file.toString()));
                    watermark = Math.max(watermark, d.scn.value());
                    readAny = true;
                    rba += st;
                    continue;
                }
                if (archived) {
                    throw new CorruptFileException(cursor.file, rba, RedoFormat.describe(st) + " at RBA " + rba
                            + " of archived log sequence " + sequence + (rba >= cursor.size() ? " (ends without end-of-log record)" : ""));
                }
                // Decide "finished" before looking again: a log finished before our read cannot grow any more.
                ControlFile cf = ControlFile.read(RedoFormat.controlFile(redoDir)).orElse(null);
                boolean finished = isFinished(cf);
                st = cursor.check(rba);
                if (st > 0) continue;
                LogHeader h = cursor.headerOrNull();
                if (h == null || h.sequence() != sequence || h.thread() != thread) {
                    switchToArchive("online group now holds " + (h == null ? "no valid header" : "sequence " + h.sequence()), false);
                    continue;
                }
                if (!finished) {
                    checkUnfinished(st, cf);
                    break; // the writer has not flushed the next record yet
                }
                if (Files.exists(archivePath())) {
                    switchToArchive(RedoFormat.describe(st) + " at RBA " + rba + " of the finished online log " + cursor.file, true);
                    continue;
                }
                throw new CorruptFileException(cursor.file, rba, RedoFormat.describe(st) + " at RBA " + rba
                        + " of finished log sequence " + sequence + " (a later sequence exists)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read redo thread " + thread + " sequence " + sequence + " at RBA " + rba
                    + (cursor == null ? "" : " in " + cursor.file), e);
        }
        return out;
    }

    /**
     * True when the control file shows this thread CLOSED (its writer shut down cleanly) or does not know the
     * thread at all (never started): such a thread holds up no merge once its reader has read everything.
     */
    public boolean threadClosed() {
        return ControlFile.read(RedoFormat.controlFile(redoDir)).map(c -> {
            ControlFile.ThreadState ts = c.threads.get(thread);
            return ts == null || !ts.open;
        }).orElse(true);
    }

    private boolean isFinished(ControlFile cf) {
        if (Files.exists(archivePath())) return true;
        return cf != null && cf.currentSequence(thread) > sequence;
    }

    /**
     * No valid record at {@link #rba} of the log being written. Normally the writer has not flushed the next
     * record yet, or crashed mid-write (its recovery cuts that torn tail). But the bytes below the size its writer
     * recorded at its last clean close are durable (its write checkpoint), and a bad record the writer has since
     * appended past was no write in progress: both are damage.
     */
    private void checkUnfinished(int st, ControlFile cf) throws IOException {
        ControlFile.LogEntry e = cf == null ? null : cf.log(thread, sequence);
        long durable = e == null ? 0 : e.size;
        if (rba < durable) {
            throw new CorruptFileException(cursor.file, rba, RedoFormat.describe(st) + " at RBA " + rba + " of log sequence "
                    + sequence + ", below the " + durable + " bytes its writer recorded as written at its last close");
        }
        long size = cursor.size();
        if (st == RedoFormat.BAD_CRC || st == RedoFormat.BAD_LENGTH) {
            if (badAt == rba && size > badSize) {
                throw new CorruptFileException(cursor.file, rba, RedoFormat.describe(st) + " at RBA " + rba + " of log sequence "
                        + sequence + ", and the writer has appended past it");
            }
            if (badAt != rba) {
                badAt = rba;
                badSize = size;
                LOG.warn("Redo log {} (thread {} sequence {}) has an {} at RBA {}, the end of the log being written;"
                        + " waiting for its writer", cursor.file, thread, sequence, RedoFormat.describe(st), rba);
            }
        }
    }

    private Path archivePath() {
        return RedoFormat.archivedLog(archiveDir, thread, sequence);
    }

    /** Opens the online group holding {@link #sequence}, else its archived copy; false = not written yet. */
    private boolean openSequence() throws IOException {
        ControlFile cf = ControlFile.read(RedoFormat.controlFile(redoDir)).orElse(null);
        if (sequence < 0) {
            long earliest = cf == null ? -1 : cf.earliestSequence(thread);
            if (earliest < 0) return false;
            sequence = earliest;
            rba = RedoFormat.HEADER_SIZE;
        }
        ControlFile.ThreadState ts = cf == null ? null : cf.threads.get(thread);
        int groups = ts == null ? 0 : ts.groups;
        for (int g = 1; g <= groups; g++) {
            Path f = RedoFormat.onlineLog(redoDir, thread, g);
            if (!Files.exists(f)) continue;
            LogFileCursor c = new LogFileCursor(f, false, MAX_PAYLOAD);
            LogHeader h;
            try {
                h = headerOf(c, cf, g);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
            if (cursor != null) {
                c.close();
                return true; // this sequence's group has a damaged header: its archived copy is open
            }
            if (h != null && h.sequence() == sequence && h.thread() == thread) {
                c.maxPayload(maxPayload(h));
                cursor = c;
                archived = false;
                if (rba == RedoFormat.HEADER_SIZE) watermark = Math.max(watermark, h.firstScn().value() - 1);
                return true;
            }
            c.close();
        }
        if (Files.exists(archivePath())) {
            openArchive();
            return true;
        }
        if (ts != null && ts.currentSequence > sequence) {
            throw missing("thread " + thread + " is at sequence "
                    + ts.currentSequence + ", no online group or " + archivePath() + " holds sequence " + sequence);
        }
        ControlFile.LogEntry entry = cf == null ? null : cf.log(thread, sequence);
        if (entry != null && entry.online != null && entry.size >= RedoFormat.HEADER_SIZE
                && !Files.exists(RedoFormat.onlineLog(redoDir, thread, entry.group))) {
            // its header was durable (a log switch in progress records 0 until then): the file was there, and is gone
            throw missing("the control file records online log " + RedoFormat.onlineLog(redoDir, thread, entry.group)
                    + " (group " + entry.group + ") as holding sequence " + sequence + " with " + entry.size
                    + " bytes written, and the file does not exist; no archived copy " + archivePath() + " either");
        }
        return false;
    }

    /**
     * The header of group {@code g}, or null when it is not (yet) valid. {@code cf} was read before the header.
     * A header that fails its check while the control file names this group as holding {@link #sequence} and
     * records the header as durable (size at least the header's) is damage, not a log switch in progress (that
     * writes the header of the new current log while its recorded size is 0): the archived copy is read instead
     * (WARN), or without one it is a CorruptFileException. In the first case the archive becomes the
     * {@link #cursor} and null is returned.
     */
    private LogHeader headerOf(LogFileCursor c, ControlFile cf, int g) throws IOException {
        try {
            return c.readHeader();
        } catch (CorruptFileException e) {
            ControlFile.LogEntry entry = cf == null ? null : cf.log(thread, sequence);
            if (entry == null || entry.group != g || entry.online == null) return null;
            // recorded before we read the header: the switch that made this log current has not made it durable
            if (entry.size < RedoFormat.HEADER_SIZE) return null;
            // control files of writers that recorded 512 from the start: a short header of the current log that
            // holds no redo is a switch writing it, or one a crash interrupted (its writer's recovery redoes it)
            if (c.size() < RedoFormat.HEADER_SIZE && cf.currentSequence(thread) == sequence
                    && entry.size <= RedoFormat.HEADER_SIZE) return null;
            ControlFile now = ControlFile.read(RedoFormat.controlFile(redoDir)).orElse(null);
            ControlFile.LogEntry still = now == null ? null : now.log(thread, sequence);
            if (still == null || still.online == null) return null; // reused since: not ours any more
            if (!Files.exists(archivePath())) {
                throw new CorruptFileException(c.file, e.position(), "the header of online log group " + g + " (thread "
                        + thread + " sequence " + sequence + ") is damaged and no archived copy exists: " + e.getMessage());
            }
            LOG.warn("Redo thread {} sequence {}: damaged header of online log {} ({}); reading its archived copy {} from RBA {}",
                    thread, sequence, c.file, e.getMessage(), archivePath(), rba);
            openArchive();
            return null;
        }
    }

    private MissingRedoLogException missing(String detail) {
        return new MissingRedoLogException(thread, sequence, position(), readAny ? "Current" : startCheckpoint, detail);
    }

    /** {@code damage}: the online copy is damaged, not reused; reading the byte-identical archive loses nothing. */
    private void switchToArchive(String reason, boolean damage) throws IOException {
        closeCursor();
        if (!Files.exists(archivePath())) {
            throw missing(reason + "; " + archivePath() + " does not exist");
        }
        if (damage) {
            LOG.warn("Redo thread {} sequence {}: {}; continuing from its archived copy {} at RBA {}", thread, sequence, reason,
                    archivePath(), rba);
        } else {
            LOG.info("Redo thread {} sequence {}: {}; continuing from {} at RBA {}", thread, sequence, reason, archivePath(), rba);
        }
        openArchive();
    }

    private void openArchive() throws IOException {
        LogFileCursor c = new LogFileCursor(archivePath(), false, MAX_PAYLOAD);
        LogHeader h;
        try {
            h = c.readHeader();
        } catch (CorruptFileException e) {
            c.close();
            throw e;
        }
        if (h.sequence() != sequence || h.thread() != thread) {
            c.close();
            throw new CorruptFileException(archivePath(), 0, "archived log header shows thread " + h.thread()
                    + " sequence " + h.sequence() + ", expected thread " + thread + " sequence " + sequence);
        }
        c.maxPayload(maxPayload(h));
        cursor = c;
        archived = true;
        if (rba == RedoFormat.HEADER_SIZE) watermark = Math.max(watermark, h.firstScn().value() - 1);
    }

    private static long maxPayload(LogHeader h) {
        return Math.max(RedoFormat.FIXED_PAYLOAD, Math.min(MAX_PAYLOAD, h.maxSize() - RedoFormat.HEADER_SIZE - RedoFormat.FRAME_OVERHEAD));
    }

    private void closeCursor() throws IOException {
        if (cursor != null) cursor.close();
        cursor = null;
        archived = false;
    }

    /** Where the next record will be read, or null before the first log was found. */
    public RedoPosition position() {
        return sequence < 1 ? null : new RedoPosition(thread, sequence, rba);
    }

    public int thread() {
        return thread;
    }

    /** The file currently open (online or archived path), or null. */
    public String currentFile() {
        return cursor == null ? null : cursor.file.toString();
    }

    public boolean readingArchive() {
        return archived;
    }

    @Override
    public void close() {
        try {
            closeCursor();
        } catch (IOException e) {
            LOG.warn("closing redo reader of thread {}: {}", thread, e.toString());
        }
    }
}
