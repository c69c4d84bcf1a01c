package io.redotrail.core.spill;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RowChange;
import io.redotrail.core.ValueCodec;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * Append-only file of one transaction's row changes, used for cache spill files ({@code dirtmp/<GROUP>/}) and
 * Bounded Recovery object files ({@code BR/<GROUP>/}). Layout (docs/br-format.md): a sequence of frames
 * {@code i32 length, i32 CRC-32C of the payload, payload = u16 IOType + ValueCodec change body}. There is no
 * header: the owner records how many bytes and changes are valid (a crash may leave a torn frame after that).
 * <p>
 * Not thread-safe; one writer. Reading ({@link #read}) is independent of any writer and stops at the length the
 * caller says is valid; a short or bad frame before that length is a {@link CorruptFileException} naming the
 * file and offset.
 */
public final class ChangeFile implements Closeable {
    private static final int FLUSH_AT = 1 << 20;

    private final Path path;
    private final FileChannel ch;
    private final BinaryWriter w = new BinaryWriter(64 * 1024);
    private long length;
    private long count;

    private ChangeFile(Path path, FileChannel ch, long length, long count) {
        this.path = path;
        this.ch = ch;
        this.length = length;
        this.count = count;
    }

    /** Opens for appending after {@code validLength} bytes holding {@code validCount} changes; truncates the rest. */
    public static ChangeFile open(Path path, long validLength, long validCount) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (ch.size() < validLength) {
                ch.close();
                throw new CorruptFileException(path, ch.size(), "file is shorter than its recorded length " + validLength);
            }
            ch.truncate(validLength);
            return new ChangeFile(path, ch, validLength, validCount);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open change file " + path, e);
        }
    }

    public void append(RowChange c) {
        int start = w.position();
        w.i32(0).i32(0).i16(c.op().ioType());
        ValueCodec.writeChangeBody(w, c);
        int payload = w.position() - start - 8;
        CRC32C crc = new CRC32C();
        crc.update(w.array(), start + 8, payload);
        w.putI32At(start, payload);
        w.putI32At(start + 4, (int) crc.getValue());
        count++;
        if (w.position() >= FLUSH_AT) flush(false);
    }

    /** Writes buffered frames; with {@code fsync} they are durable when this returns. Returns the file length. */
    public long flush(boolean fsync) {
        try {
            var b = w.view();
            while (b.hasRemaining()) length += ch.write(b, length);
            w.clear();
            if (fsync) ch.force(false);
            return length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write change file " + path + " at byte " + length, e);
        }
    }

    /** Bytes written so far, including buffered ones. */
    public long length() {
        return length + w.position();
    }

    public long count() {
        return count;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            flush(false);
            ch.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close change file " + path, e);
        }
    }

    /**
     * Streams the {@code validCount} changes stored in the first {@code validLength} bytes; a frame that is short,
     * fails its CRC or does not end exactly at {@code validLength}, or another number of changes, is a
     * {@link CorruptFileException} naming file and offset.
     */
    public static Iterator<RowChange> read(Path path, long validLength, long validCount) {
        return new Iterator<>() {
            private final DataInputStream in = open();
            private long pos;
            private long read;

            private DataInputStream open() {
                try {
                    InputStream s = Files.newInputStream(path);
                    return new DataInputStream(new BufferedInputStream(s, 1 << 16));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read change file " + path, e);
                }
            }

            @Override
            public boolean hasNext() {
                if (pos < validLength) return true;
                close();
                if (read != validCount) {
                    throw new CorruptFileException(path, pos, "change file holds " + read + " changes in its valid "
                            + validLength + " bytes, its owner recorded " + validCount);
                }
                return false;
            }

            @Override
            public RowChange next() {
                if (!hasNext()) throw new NoSuchElementException();
                long at = pos;
                try {
                    int len = in.readInt();
                    int crc = in.readInt();
                    if (len < 3 || at + 8 + len > validLength) {
                        throw new CorruptFileException(path, at, "bad change frame length " + len);
                    }
                    byte[] b = new byte[len];
                    in.readFully(b);
                    CRC32C c = new CRC32C();
                    c.update(b);
                    if ((int) c.getValue() != crc) throw new CorruptFileException(path, at, "change frame CRC mismatch");
                    pos = at + 8 + len;
                    read++;
                    BinaryReader r = new BinaryReader(b, 0, len, path, at + 8);
                    ChangeOp op;
                    int io = r.u16("IOType");
                    try {
                        op = ChangeOp.ofIoType(io);
                    } catch (IllegalArgumentException e) {
                        throw r.corrupt("unknown IOType " + io);
                    }
                    return ValueCodec.readChangeBody(r, op);
                } catch (EOFException e) {
                    close();
                    throw new CorruptFileException(path, at, "file ends inside a change frame (valid length " + validLength + ")");
                } catch (IOException e) {
                    close();
                    throw new UncheckedIOException("cannot read change file " + path + " at byte " + at, e);
                } catch (RuntimeException e) {
                    close();
                    throw e;
                }
            }

            private void close() {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read-only stream; nothing to lose
                }
            }
        };
    }
}
