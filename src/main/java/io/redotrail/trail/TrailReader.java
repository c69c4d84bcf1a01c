package io.redotrail.trail;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.spill.ChangeBuffer;
import io.redotrail.trail.crypto.RecordOpener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads whole transactions from a trail (layout: docs/trail-format.md) starting at a transaction boundary,
 * following FILE_END records to the next file, and waiting (returning an empty list) while the writer has not
 * yet appended more. Records of a transaction are buffered until its end record arrives with a valid CRC; a
 * partial transaction is never returned.
 * <p>
 * Only the writer's own recovery may cut a torn tail ({@link TrailWriter}), only in the newest file, and it
 * rolls over after the cut; so a file that has a successor must end with FILE_END, or exactly at a transaction
 * end that the successor's header names as its predecessor. Anything else there (a torn record, a transaction
 * without its end record, a file cut short) is a {@link CorruptFileException} naming file, seqno and RBA, and
 * nothing after it is delivered. At the end of the newest file an incomplete record is a write in progress
 * (or the torn tail of a crashed writer, which its recovery cuts): the reader waits; an invalid length or CRC
 * there that the writer has since appended past is corruption. If the file became shorter than the read
 * position (the writer's recovery truncated it), reading restarts at the beginning of the buffered partial
 * transaction; shorter than a delivered position is corruption.
 * <p>
 * This class positions: which file, which RBA, whether what is there is complete, a write in progress or
 * corruption; the records' sequence is checked by {@link TrailRecords} (the same checks as the writer's recovery
 * scan); a transaction's ROW records become a {@link Transaction} in {@link TransactionAssembly} (buffering,
 * spilling, decryption).
 * <p>
 * Thread-safety: none; one thread polls. Any number of readers may read a trail while its writer appends.
 */
public final class TrailReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrailReader.class);

    private final Path trail;
    private long seqno;
    private RecordInput in;
    /** The checks on the current file's records, shared with the writer's recovery scan. */
    private TrailRecords records;
    private long startRba;
    private long pos;
    private long txStart;
    /** The transaction being read: this class finds and checks the records, the assembly makes them a transaction. */
    private final TransactionAssembly partial;
    /** Table and column names, one String each for all records (the apply compares and hashes them per row). */
    private final io.redotrail.core.NameCache names = new io.redotrail.core.NameCache();
    /** Where an invalid length was last seen at the end of the newest file, and the file's size then. */
    private long badLengthAt = -1;
    private long badLengthSize;
    /** Where reading last stopped inside a record at the end of the newest file, that file's size then and since when. */
    private long stallAt = -1;
    private long stallSize;
    private long stallClaimed;
    private boolean stallInvalid;
    private long stallSince;
    private long stallNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    /** Size of the current file as last sampled; bytes below it are complete as the writer wrote them. */
    private long size;
    /** Whether the last poll stopped because nothing complete was left (not because it reached maxOps). */
    private boolean atEnd;
    /** Whether a file was opened: a missing file before that is waited for, a gap after it is an error. */
    private boolean opened;
    /** The first existing seqno after the start file, while the start file is missing; else -1. */
    private long missingAtStart = -1;
    /** Whether row images stay as their checked bytes until read ({@link #keepImagesEncoded()}). */
    private boolean imagesEncoded;

    /** {@code start} must be RBA 0 or the end of a transaction (a trailEnd / read checkpoint). Keeps every transaction in memory. */
    public TrailReader(Path trail, TrailPosition start) {
        this(trail, start, null, 0);
    }

    /**
     * As {@link #TrailReader(Path, TrailPosition)}, but a transaction of more than {@code spillRows} rows is
     * spilled to {@code spillDir} as it is read ({@code trail-<seqno>-<rba>-<reader>-<n>.spill}) and delivered as
     * {@link io.redotrail.core.StreamedChanges}: heap use does not grow with transaction size. The spill file of an
     * incomplete transaction is deleted by the reader (at the latest in {@link #close()}); that of a delivered one
     * on the JDK's Cleaner thread once its transaction is no longer reachable, which may be after this reader was
     * closed (see {@link #close()}); {@link #clearSpill} removes leftovers at start.
     */
    public TrailReader(Path trail, TrailPosition start, Path spillDir, int spillRows) {
        this(trail, start, spillDir, spillRows, null);
    }

    /**
     * As {@link #TrailReader(Path, TrailPosition, Path, int)}; with {@code decrypt} encrypted records are decrypted
     * (a missing or wrong key stops reading at that record: {@link io.redotrail.trail.crypto.TrailKeyException}),
     * without they are delivered sealed ({@link io.redotrail.core.RowChange#sealed()}), as a PASSTHRU pump copies them.
     */
    public TrailReader(Path trail, TrailPosition start, Path spillDir, int spillRows, RecordOpener decrypt) {
        TrailFormat.checkPrefix(trail);
        this.partial = new TransactionAssembly(spillDir, spillRows, decrypt);
        this.trail = trail.toAbsolutePath();
        this.seqno = start.seqno();
        this.startRba = start.rba();
        this.txStart = start.rba();
    }

    /**
     * Row images in the clear are checked as they are read but kept as their bytes, and decoded only if something
     * reads a column or value ({@link io.redotrail.core.RowImage}): for a reader that copies them to another trail
     * (a pump), which then writes those bytes back instead of decoding and encoding every value. Returns this.
     */
    public TrailReader keepImagesEncoded() {
        imagesEncoded = true;
        return this;
    }

    /** How long the newest file may end inside a record, not growing, before {@link #incompleteTail()} says so (30 s). Returns this. */
    public TrailReader incompleteTailAfter(java.time.Duration d) {
        stallNanos = d.toNanos();
        return this;
    }

    /**
     * Whole transactions available now, up to about {@code maxOps} row changes (a larger transaction comes
     * alone); empty when the writer has not appended a complete transaction since the last call.
     */
    public List<Transaction> poll(int maxOps) {
        List<Transaction> out = new ArrayList<>();
        int ops = 0;
        atEnd = false;
        while (partialSize() == 0 ? ops < maxOps : true) {
            if (in == null && !openFile()) {
                atEnd = true;
                break;
            }
            RecordInput.Status st;
            boolean finished = false;
            try {
                st = pos < size ? in.read(pos, size) : RecordInput.Status.INCOMPLETE;
                if (st != RecordInput.Status.OK) {
                    // sample again: successor first, so a size read afterwards is final if it exists
                    finished = Files.exists(TrailFormat.fileOf(trail, seqno + 1));
                    size = in.size();
                    if (size < pos) {
                        truncated(size);
                        continue;
                    }
                    st = in.read(pos, size);
                    if (st == RecordInput.Status.BAD_CRC && (finished || pos + in.claimedTotalLength(pos) < size)) {
                        in.invalidate(); // rule out a read racing the writer before calling it corruption
                        st = in.read(pos, size);
                        if (st == RecordInput.Status.BAD_CRC) throw corrupt(pos, "record CRC mismatch");
                    }
                }
            } catch (RecordInput.TruncatedException e) {
                size = 0;
                continue;
            }
            if (st == RecordInput.Status.OK) {
                long end = pos + in.totalLength();
                Transaction tx = record(end);
                if (tx != null) {
                    out.add(tx);
                    ops += tx.size();
                }
                continue;
            }
            long claimed = st == RecordInput.Status.INCOMPLETE || st == RecordInput.Status.BAD_LENGTH ? in.claimedTotalLength(pos) : -1;
            in.invalidate();
            if (finished) {
                // only the writer's recovery ends a file without FILE_END, and it cuts exactly at a transaction end
                boolean atFileEnd = st == RecordInput.Status.INCOMPLETE && pos == size;
                if (atFileEnd && partialSize() == 0) {
                    if (!successorContinuesHere()) {
                        atEnd = true; // its header is still being written
                        break;
                    }
                    nextFile();
                    continue;
                }
                throw corrupt(pos, (partialSize() > 0 ? partial.describe() + " (from RBA " + txStart + ") has no end record, " : "")
                        + (atFileEnd ? "the file ends without a FILE_END record" : st.describe())
                        + ", and the trail continues in seqno " + (seqno + 1));
            }
            if (st == RecordInput.Status.BAD_LENGTH) {
                if (badLengthAt == pos && size > badLengthSize) {
                    throw corrupt(pos, "invalid record length, and the writer has appended past it");
                }
                if (badLengthAt != pos) {
                    badLengthAt = pos;
                    badLengthSize = size;
                    LOG.warn("Trail file {} (seqno {}) has an invalid record length at RBA {}, the end of the newest file;"
                            + " waiting for its writer to recover it", in.file(), seqno, pos);
                }
            }
            noteStall((st == RecordInput.Status.INCOMPLETE && pos < size) || st == RecordInput.Status.BAD_LENGTH, claimed,
                    st == RecordInput.Status.BAD_LENGTH);
            atEnd = true;
            break;
        }
        return out;
    }

    /**
     * A record begun but not whole at the end of the newest file is a write in progress, or a torn or damaged
     * record no writer is going to finish (its length field names more bytes than will come): the reader cannot
     * tell which and waits, but not silently once the file has stopped growing ({@link #incompleteTail()}).
     */
    private void noteStall(boolean insideRecord, long claimed, boolean invalidLength) {
        if (!insideRecord) {
            stallAt = -1;
        } else if (stallAt != pos || stallSize != size) {
            stallAt = pos;
            stallSize = size;
            stallClaimed = claimed;
            stallInvalid = invalidLength;
            stallSince = System.nanoTime();
        }
    }

    /**
     * While reading has waited at least {@link #incompleteTailAfter} at a record the newest file ends inside,
     * the file not growing meanwhile: where; else null.
     */
    public IncompleteTail incompleteTail() {
        if (stallAt < 0 || stallAt != pos || in == null) return null;
        long waited = System.nanoTime() - stallSince;
        if (waited < stallNanos) return null;
        return new IncompleteTail(in.file(), seqno, stallAt, stallClaimed, stallInvalid, stallSize - stallAt,
                java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(waited));
    }

    /**
     * A record at {@code rba} of {@code file} that the file ends inside: {@code claimed} bytes by its length field
     * (-1: unread); {@code invalidLength}: that field is no valid record length (zeros of a torn write, damage).
     */
    public record IncompleteTail(Path file, long seqno, long rba, long claimed, boolean invalidLength, long present,
                                 long waitedSeconds) {
        /** {@code fileName}: the file as the operator knows it (relative to the home). */
        public String describe(String fileName) {
            return "trail file " + fileName + " (Sequence # " + seqno + ") ends inside the record at RBA " + rba + ": "
                    + (invalidLength ? "its length field (" + (claimed - TrailFormat.FRAME) + ") is not a valid record length, "
                    : claimed > 0 ? "its length field gives " + claimed + " bytes, " : "")
                    + present + " bytes are present, and the file has not grown for " + waitedSeconds + " s";
        }
    }

    /** Names file, seqno and RBA: an operator repositions a reader by seqno and RBA (ALTER ... EXTSEQNO, EXTRBA). */
    private CorruptFileException corrupt(long rba, String why) {
        return records.corrupt(rba, why);
    }

    /**
     * This file ends at {@link #pos}, a transaction end, without FILE_END, and its successor exists. Legitimate
     * only where the writer's recovery cut a torn tail: then the successor's header names this file's last
     * transaction as the one before it. A file cut anywhere else (by hand, by a failing disk) lost transactions
     * that the successor's header still counts, and is refused. False while the successor's header is unwritten.
     */
    private boolean successorContinuesHere() {
        TrailScan scan = TrailScan.scan(in.file(), seqno);
        if (scan.boundary() != pos || scan.size() != pos) {
            throw corrupt(pos, "the file ends without a FILE_END record but does not end at a transaction ("
                    + scan.tailReason() + ")");
        }
        Path next = TrailFormat.fileOf(trail, seqno + 1);
        TrailFormat.FileHeader h;
        try (RecordInput hin = new RecordInput(next, FileChannel.open(next, StandardOpenOption.READ))) {
            long hsize = hin.size();
            if (hin.read(0, hsize) != RecordInput.Status.OK) return false;
            TrailRecords successor = new TrailRecords(next, seqno + 1, true);
            successor.next(hin, 0);
            h = successor.header();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the header of trail file " + next, e);
        }
        if (h.prevLastCsn() != scan.lastCsn() || !Set.copyOf(h.prevLastXids()).equals(scan.lastXids())) {
            throw corrupt(pos, "the file ends without a FILE_END record after CSN " + scan.lastCsn() + " " + scan.lastXids()
                    + ", but seqno " + (seqno + 1) + " follows CSN " + h.prevLastCsn() + " " + h.prevLastXids()
                    + ": transactions between them are missing (file cut short)");
        }
        return true;
    }

    private Transaction record(long end) {
        TrailRecords.Kind kind = records.next(in, pos);
        if (kind == TrailRecords.Kind.HEADER) {
            if (startRba > 0 && startRba < end) {
                throw corrupt(startRba, "start position is inside the file header record");
            }
            if (startRba > end) records.startedInside();
            pos = Math.max(end, startRba);
            txStart = pos;
            startRba = 0;
            return null;
        }
        if (kind == TrailRecords.Kind.FILE_END) {
            nextFile();
            return null;
        }
        partial.add(RowRecords.read(in.body(pos), null, names, imagesEncoded), in.file(), seqno, txStart, pos);
        pos = end;
        if (records.inTransaction()) return null;
        Transaction tx = partial.complete(in.file(), seqno, txStart, end);
        txStart = end;
        return tx;
    }

    private void truncated(long size) {
        if (size < txStart) {
            throw corrupt(size, "trail file is shorter than the read position "
                    + new TrailPosition(seqno, txStart) + " (data was lost after it was read)");
        }
        LOG.warn("Trail file {} was truncated to {} bytes below read RBA {} (writer recovery); restarting at RBA {}"
                + " and dropping {} buffered records of an incomplete transaction", in.file(), size, pos, txStart, partialSize());
        pos = txStart;
        partial.drop();
        records.restartTransaction();
        in.invalidate();
    }

    private boolean openFile() {
        Path file = TrailFormat.fileOf(trail, seqno);
        FileChannel ch = tryOpen(file);
        if (ch == null) {
            long later = laterSeqno();
            if (later < 0) return false;
            // The writer creates files in order and may have created this one and its successors since the
            // failed open: only a second miss after seeing a later file is a gap.
            ch = tryOpen(file);
            if (ch == null && !opened) {
                // the start position's file is missing but later ones exist (purged, or a pump added later, seed
                // 000): wait for it, as GoldenGate does, never skip ahead on our own; the caller says so
                missingAtStart = later;
                return false;
            }
            if (ch == null) {
                throw new CorruptFileException(file, 0, "trail seqno " + seqno + " RBA 0: the file does not exist but later file "
                        + TrailFormat.fileOf(trail, later) + " does (purged, or wrong start position)");
            }
        }
        opened = true;
        missingAtStart = -1;
        in = new RecordInput(file, ch);
        records = new TrailRecords(file, seqno, true);
        size = 0;
        pos = 0;
        stallAt = -1;
        return true;
    }

    /**
     * While the file of the start position does not exist but later files do: the first existing later seqno
     * (where {@code ALTER ... EXTSEQNO} would reposition); else -1. The reader waits for the file meanwhile.
     */
    public long missingStartFile() {
        return missingAtStart;
    }

    /** Whether no file has been opened yet and the trail has none at all (a writer not yet started, or a wrong trail name). */
    public boolean noFileYet() {
        return !opened && in == null && missingAtStart < 0 && TrailFormat.seqnos(trail).length == 0;
    }

    /** The seqno of the file read (or waited for) now. */
    public long seqno() {
        return seqno;
    }

    private static FileChannel tryOpen(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open trail file " + file, e);
        }
    }

    private long laterSeqno() {
        for (long s : TrailFormat.seqnos(trail)) {
            if (s > seqno) return s;
        }
        return -1;
    }

    private void nextFile() {
        in.close();
        in = null;
        seqno++;
        pos = 0;
        txStart = 0;
        startRba = 0;
        partial.drop();
    }

    private long partialSize() {
        return partial.size();
    }

    /** Deletes spill files a reader left in {@code spillDir} (a crash): call before the first reader starts. */
    public static void clearSpill(Path spillDir) {
        if (spillDir == null || !Files.isDirectory(spillDir)) return;
        try (var files = Files.list(spillDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("trail-")).toList()) Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear trail spill files in " + spillDir, e);
        }
    }

    /**
     * Whether the last {@link #poll} read everything the writer had completed: true when it stopped for lack of
     * data, false when it stopped at {@code maxOps} (more may be waiting). Exact, not a guess from the batch size.
     */
    public boolean atEnd() {
        return atEnd;
    }

    /** Where the next undelivered transaction starts: a valid restart position. */
    public TrailPosition position() {
        return new TrailPosition(seqno, txStart);
    }

    public Path trail() {
        return trail;
    }

    /**
     * Closes the current file and deletes the spill file of the incomplete transaction, on the calling thread.
     * The spill files of transactions already delivered are not this reader's any more: whoever holds such a
     * transaction may iterate it after the reader is closed (a Replicat commits, and may replay, its open group
     * when it is stopped, after its trail consumer closed the reader), so each is deleted asynchronously, on the
     * JDK's Cleaner thread, once its transaction is unreachable ({@link ChangeBuffer#seal()}). A caller removing
     * {@code spillDir} must therefore tolerate files vanishing meanwhile ({@link io.redotrail.core.FileTrees#delete}).
     */
    @Override
    public void close() {
        if (in != null) {
            in.close();
            in = null;
        }
        partial.drop();
    }
}
