package io.redotrail.redo;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.NameCache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Buffered, positioned access to the frames of one redo log file (online or archived), shared by the reader and
 * the recovery scan of the simulator's writer ({@code io.redotrail.sim.RedoLogWriter}, hence public). Reads in 1 MB chunks; whenever the buffered bytes do not hold a valid frame it
 * re-reads from disk, because a chunk read while the writer was mid-write may hold a half-written record.
 * Not thread-safe.
 */
public final class LogFileCursor implements Closeable {
    private static final int CHUNK = 1 << 20;

    final Path file;
    final FileChannel channel;
    private long maxPayload;
    private byte[] buf = new byte[CHUNK];
    private long bufStart;
    private int bufLen;
    /** Table names of this log's records, decoded once each. */
    private final NameCache names = new NameCache();

    public LogFileCursor(Path file, boolean writable, long maxPayload) throws IOException {
        this.file = file;
        this.channel = writable
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ);
        this.maxPayload = maxPayload;
    }

    /** The header at RBA 0 as it is on disk now. */
    LogHeader readHeader() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RedoFormat.HEADER_SIZE);
        while (b.hasRemaining()) {
            if (channel.read(b, b.position()) < 0) break;
        }
        return RedoFormat.decodeHeader(b.array(), b.position(), file);
    }

    /** Header, or null when the file is too short or its header is not (yet) valid. */
    public LogHeader headerOrNull() throws IOException {
        try {
            return readHeader();
        } catch (CorruptFileException e) {
            return null;
        }
    }

    /** Frame size at {@code rba}, or a negative {@link RedoFormat} status after one fresh read from disk. */
    public int check(long rba) throws IOException {
        int st = buffered(rba) ? RedoFormat.checkFrame(buf, (int) (rba - bufStart), (int) (bufStart + bufLen - rba), maxPayload)
                : RedoFormat.INCOMPLETE;
        if (st > 0) return st;
        refill(rba);
        st = RedoFormat.checkFrame(buf, 0, bufLen, maxPayload);
        if (st == RedoFormat.INCOMPLETE && bufLen >= RedoFormat.FRAME_OVERHEAD) {
            long need = RedoFormat.FRAME_OVERHEAD + (long) ByteBuffer.wrap(buf).getInt(0);
            // grow only for a frame that is plausible and fully on disk: a garbage length must not allocate 2 GB
            if (need > buf.length && need <= maxPayload + RedoFormat.FRAME_OVERHEAD && rba + need <= channel.size()) {
                buf = new byte[(int) need];
                refill(rba);
                st = RedoFormat.checkFrame(buf, 0, bufLen, maxPayload);
            }
        }
        return st;
    }

    /** Frames longer than this are {@link RedoFormat#BAD_LENGTH}; set from the header's max size once known. */
    void maxPayload(long max) {
        maxPayload = max;
    }

    public RedoFormat.Decoded decode(long rba, int frameSize) {
        return RedoFormat.decode(buf, (int) (rba - bufStart), frameSize, file, rba, names);
    }

    private boolean buffered(long rba) {
        return rba >= bufStart && rba < bufStart + bufLen;
    }

    private void refill(long rba) throws IOException {
        if (buf.length > CHUNK && bufLen > 0 && !buffered(rba)) buf = new byte[CHUNK]; // give back a grown buffer
        ByteBuffer b = ByteBuffer.wrap(buf);
        bufStart = rba;
        while (b.hasRemaining()) {
            int n = channel.read(b, rba + b.position());
            if (n <= 0) break;
        }
        bufLen = b.position();
    }

    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
