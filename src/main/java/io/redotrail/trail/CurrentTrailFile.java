package io.redotrail.trail;

import io.redotrail.checkpoint.AtomicFiles;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;

/**
 * The file of a trail its {@link TrailWriter} appends to: the channel, the seqno, the size (the RBA the next record
 * gets) and where the FILE_HEADER ends. A new file gets its header forced to disk, and its directory entry, before
 * any record; {@link #end} writes FILE_END naming the next seqno and closes the file. Records are written at
 * {@link #size()} with positional writes, so the size is the file's length as far as this process wrote it.
 * <p>
 * Not thread-safe: owned by its writer, whose {@link TrailForcer} may force {@link #channel()} on another thread
 * between the writer's calls (the writer waits for that force before {@link #end} or {@link #close}).
 */
final class CurrentTrailFile {
    private final Path trail;
    private final long seqno;
    /** The file's path, made once: the writer names it to its forcer with every append. */
    private final Path path;
    private FileChannel ch;
    private long size;
    private long headerEnd;

    private CurrentTrailFile(Path trail, long seqno, FileChannel ch, long size, long headerEnd) {
        this.trail = trail;
        this.seqno = seqno;
        this.path = TrailFormat.fileOf(trail, seqno);
        this.ch = ch;
        this.size = size;
        this.headerEnd = headerEnd;
    }

    /** A new file {@code seqno} holding its header (the trail's last CSN and XIDs so far), forced, directory too. */
    static CurrentTrailFile create(Path trail, String group, long seqno, Scn lastCsn, Collection<Xid> lastXids) throws IOException {
        FileChannel ch = FileChannel.open(TrailFormat.fileOf(trail, seqno), StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW);
        CurrentTrailFile f = new CurrentTrailFile(trail, seqno, ch, 0, 0);
        try {
            f.writeHeader(group, lastCsn, lastXids);
        } catch (IOException | RuntimeException e) {
            f.closeQuietly();
            throw e;
        }
        AtomicFiles.fsyncDirectory(trail.getParent());
        return f;
    }

    /** The existing file {@code seqno}, appended to from {@code size} (recovery cut it there). */
    static CurrentTrailFile reopen(Path trail, long seqno, long size, long headerEnd) throws IOException {
        FileChannel ch = FileChannel.open(TrailFormat.fileOf(trail, seqno), StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new CurrentTrailFile(trail, seqno, ch, size, headerEnd);
    }

    /** The existing file {@code seqno}, emptied and given a new header (recovery found only a torn header). */
    static CurrentTrailFile rewrite(Path trail, String group, long seqno, Scn lastCsn, Collection<Xid> lastXids) throws IOException {
        FileChannel ch = FileChannel.open(TrailFormat.fileOf(trail, seqno), StandardOpenOption.READ, StandardOpenOption.WRITE);
        CurrentTrailFile f = new CurrentTrailFile(trail, seqno, ch, 0, 0);
        try {
            ch.truncate(0);
            f.writeHeader(group, lastCsn, lastXids);
        } catch (IOException | RuntimeException e) {
            f.closeQuietly();
            throw e;
        }
        return f;
    }

    private void writeHeader(String group, Scn lastCsn, Collection<Xid> lastXids) throws IOException {
        BinaryWriter hw = new BinaryWriter(256);
        TrailFormat.writeHeader(hw, new TrailFormat.FileHeader(TrailFormat.FORMAT_VERSION, trail.getFileName().toString(),
                seqno, System.currentTimeMillis(), group, lastCsn.value(), List.copyOf(lastXids)));
        write(hw.view());
        ch.force(true);
        headerEnd = size;
    }

    /** Writes all of {@code b} at the end of what this file holds. */
    void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            size += ch.write(b, size);
        }
    }

    void force() throws IOException {
        ch.force(false);
    }

    /** FILE_END naming {@code next} (and the trail's last CSN), forced; then the file is closed. */
    void end(long next, Scn lastCsn) throws IOException {
        BinaryWriter ew = new BinaryWriter(64);
        TrailFormat.writeFileEnd(ew, next, lastCsn.value());
        write(ew.view());
        ch.force(false);
        close();
    }

    /** True when the file, with {@code pending} bytes more, holds records after its header. */
    boolean holdsRecords(long pending) {
        return size + pending > headerEnd;
    }

    long seqno() {
        return seqno;
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    /** For the {@link TrailForcer}; null once closed. */
    FileChannel channel() {
        return ch;
    }

    boolean isOpen() {
        return ch != null;
    }

    void close() throws IOException {
        if (ch == null) return;
        try {
            ch.close();
        } finally {
            ch = null;
        }
    }

    void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
