package io.redotrail.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Bounds-checked big-endian reader over one record's bytes. Every failure is a {@link CorruptFileException}
 * naming the file and the absolute byte offset ({@code base} + index) where decoding failed.
 */
public final class BinaryReader {
    private final ByteBuffer buf;
    private final Path file;
    private final long base;

    public BinaryReader(byte[] data, int offset, int length, Path file, long base) {
        this.buf = ByteBuffer.wrap(data, offset, length).slice().order(ByteOrder.BIG_ENDIAN);
        this.file = file;
        this.base = base;
    }

    public long absolutePosition() {
        return base + buf.position();
    }

    public int remaining() {
        return buf.remaining();
    }

    private void need(int n, String what) {
        if (n < 0 || buf.remaining() < n) {
            throw new CorruptFileException(file, absolutePosition(),
                    "record too short reading " + what + " (" + n + " bytes needed, " + buf.remaining() + " left)");
        }
    }

    public int u8(String what) {
        need(1, what);
        return buf.get() & 0xFF;
    }

    public int i16(String what) {
        need(2, what);
        return buf.getShort();
    }

    /** The u16 length of {@code what}; the message is built only when the record is too short (a string per row otherwise). */
    private int u16Length(String what) {
        if (buf.remaining() < 2) need(2, what + " length");
        return buf.getShort() & 0xFFFF;
    }

    private int i32Length(String what) {
        if (buf.remaining() < 4) need(4, what + " length");
        return buf.getInt();
    }

    public int u16(String what) {
        need(2, what);
        return buf.getShort() & 0xFFFF;
    }

    public int i32(String what) {
        need(4, what);
        return buf.getInt();
    }

    public long i64(String what) {
        need(8, what);
        return buf.getLong();
    }

    public byte[] bytes(int n, String what) {
        need(n, what);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    public byte[] blob(String what) {
        int n = i32Length(what);
        return bytes(n, what);
    }

    public String shortString(String what) {
        int n = u16Length(what);
        need(n, what);
        String s = new String(buf.array(), buf.arrayOffset() + buf.position(), n, StandardCharsets.UTF_8);
        buf.position(buf.position() + n);
        return s;
    }

    /** A u16-length UTF-8 string as {@link #shortString(String)}, the same String for the same bytes from {@code names}. */
    public String shortString(String what, NameCache names) {
        int n = u16Length(what);
        need(n, what);
        String s = names.decode(buf.array(), buf.arrayOffset() + buf.position(), n);
        buf.position(buf.position() + n);
        return s;
    }

    /** Steps over {@code n} bytes, which must be there. */
    public void skip(int n, String what) {
        need(n, what);
        buf.position(buf.position() + n);
    }

    /** The array this reader reads (do not modify); {@link #arrayIndex()} and {@link #arrayEnd()} index it. */
    byte[] array() {
        return buf.array();
    }

    /** Index in {@link #array()} of the next byte to read. */
    int arrayIndex() {
        return buf.arrayOffset() + buf.position();
    }

    /** Index in {@link #array()} just after this reader's last byte. */
    int arrayEnd() {
        return buf.arrayOffset() + buf.limit();
    }

    public String string(String what) {
        int n = i32Length(what);
        need(n, what);
        String s = new String(buf.array(), buf.arrayOffset() + buf.position(), n, StandardCharsets.UTF_8);
        buf.position(buf.position() + n);
        return s;
    }

    public CorruptFileException corrupt(String message) {
        return new CorruptFileException(file, absolutePosition(), message);
    }

    public Path file() {
        return file;
    }
}
