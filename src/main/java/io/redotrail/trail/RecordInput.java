package io.redotrail.trail;

import io.redotrail.core.BinaryReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Buffered, framing-level reader of one trail file (framing: {@link TrailFormat}). {@link #read(long, long)}
 * tries to read the record at an RBA using only bytes below a size the caller sampled, so bytes the writer is
 * still appending are never interpreted. The read-ahead buffer is dropped by {@link #invalidate()} whenever the
 * caller waits or the file shrank. Not thread-safe: owned by one reader.
 */
final class RecordInput implements AutoCloseable {
    enum Status {
        /** A whole record with a valid CRC: see {@link #type()}, {@link #body(long)}, {@link #length()}. */
        OK,
        /** The record runs past the sampled size (still being written, or torn). */
        INCOMPLETE,
        /** The length field is outside 1 .. MAX_RECORD_LENGTH (zeros from a torn write, or corruption). */
        BAD_LENGTH,
        /** The record fits in the file but its CRC does not match. */
        BAD_CRC;

        /** As a reader names it in a message: "... at RBA r: " + describe(). */
        String describe() {
            return switch (this) {
                case INCOMPLETE -> "a record that runs past the end of the file";
                case BAD_LENGTH -> "an invalid record length";
                case BAD_CRC -> "a record CRC mismatch";
                case OK -> "a valid record";
            };
        }
    }

    private final Path file;
    private final FileChannel ch;
    private byte[] buf = new byte[1 << 20];
    private long bufStart;
    private int bufLen;
    private int recOff;
    private int recLen;
    private final CRC32C crc = new CRC32C();

    RecordInput(Path file, FileChannel ch) {
        this.file = file;
        this.ch = ch;
    }

    Path file() {
        return file;
    }

    long size() {
        try {
            return ch.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read size of trail file " + file, e);
        }
    }

    void invalidate() {
        bufLen = 0;
    }

    Status read(long pos, long size) {
        if (pos + 4 > size) return Status.INCOMPLETE;
        fill(pos, 4, size);
        int off = (int) (pos - bufStart);
        int len = ((buf[off] & 0xFF) << 24) | ((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8)
                | (buf[off + 3] & 0xFF);
        if (len < 1 || len > TrailFormat.MAX_RECORD_LENGTH) return Status.BAD_LENGTH;
        long total = (long) len + TrailFormat.FRAME;
        if (pos + total > size) return Status.INCOMPLETE;
        fill(pos, (int) total, size);
        off = (int) (pos - bufStart);
        crc.reset();
        crc.update(buf, off, 4 + len);
        int e = off + 4 + len;
        int stored = ((buf[e] & 0xFF) << 24) | ((buf[e + 1] & 0xFF) << 16) | ((buf[e + 2] & 0xFF) << 8) | (buf[e + 3] & 0xFF);
        if ((int) crc.getValue() != stored) return Status.BAD_CRC;
        recOff = off;
        recLen = len;
        return Status.OK;
    }

    /** Length field of the record last read (or attempted): 0 if unknown. */
    long totalLength() {
        return (long) recLen + TrailFormat.FRAME;
    }

    /** Length of the record at {@code pos} as its (CRC-unchecked) length field states; -1 if unavailable. */
    long claimedTotalLength(long pos) {
        if (pos < bufStart || pos + 4 > bufStart + bufLen) return -1;
        int off = (int) (pos - bufStart);
        int len = ((buf[off] & 0xFF) << 24) | ((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
        return (long) len + TrailFormat.FRAME;
    }

    /** The byte at {@code pos} (below {@code size}), unchecked: a scan's cheap test before a whole frame is read. */
    int byteAt(long pos, long size) {
        fill(pos, 1, size);
        return buf[(int) (pos - bufStart)] & 0xFF;
    }

    int type() {
        return buf[recOff + 4] & 0xFF;
    }

    /** Reader over the body of the record last read OK at {@code rba} (after the type byte). */
    BinaryReader body(long rba) {
        return new BinaryReader(buf, recOff + 5, recLen - 1, file, rba + 5);
    }

    private void fill(long pos, int n, long size) {
        if (pos >= bufStart && pos + n <= bufStart + bufLen) return;
        if (n > buf.length) buf = new byte[Math.max(n, buf.length * 2)];
        int want = (int) Math.min(buf.length, size - pos);
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, want);
        try {
            long at = pos;
            while (bb.hasRemaining()) {
                int r = ch.read(bb, at);
                if (r < 0) break;
                at += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trail file " + file + " at RBA " + pos, e);
        }
        bufStart = pos;
        bufLen = bb.position();
        if (bufLen < n) {
            bufLen = 0;
            // the file shrank between the size sample and the read: the caller sees it on its next size check
            throw new TruncatedException(file, pos);
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close trail file " + file, e);
        }
    }

    /** The file became shorter than a size sampled a moment ago (writer recovery truncated it). */
    static final class TruncatedException extends RuntimeException {
        TruncatedException(Path file, long pos) {
            super("trail file " + file + " shrank while reading at RBA " + pos);
        }
    }
}
