package io.redotrail.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Growable big-endian byte buffer used to encode redo and trail records. Not thread-safe; reuse one per writer.
 */
public final class BinaryWriter {
    private ByteBuffer buf;

    public BinaryWriter(int initialCapacity) {
        buf = ByteBuffer.allocate(initialCapacity).order(ByteOrder.BIG_ENDIAN);
    }

    public BinaryWriter() {
        this(4096);
    }

    public void clear() {
        buf.clear();
    }

    public int position() {
        return buf.position();
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            int cap = Math.max(buf.capacity() * 2, buf.position() + more);
            ByteBuffer n = ByteBuffer.allocate(cap).order(ByteOrder.BIG_ENDIAN);
            buf.flip();
            n.put(buf);
            buf = n;
        }
    }

    public BinaryWriter u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public BinaryWriter i16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public BinaryWriter i32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public BinaryWriter i64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    public BinaryWriter bytes(byte[] b) {
        ensure(b.length);
        buf.put(b);
        return this;
    }

    public BinaryWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        buf.put(b, off, len);
        return this;
    }

    /** int length + bytes. */
    public BinaryWriter blob(byte[] b) {
        i32(b.length);
        return bytes(b);
    }

    /** unsigned short length + UTF-8; for identifiers. */
    public BinaryWriter shortString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) throw new IllegalArgumentException("identifier longer than 65535 bytes: " + s.substring(0, 40));
        i16(b.length);
        return bytes(b);
    }

    /** {@link #shortString(String)} with the bytes of {@code names} (a name written once per record). */
    public BinaryWriter shortString(String s, NameCache names) {
        byte[] b = names.encode(s);
        if (b.length > 0xFFFF) throw new IllegalArgumentException("identifier longer than 65535 bytes: " + s.substring(0, 40));
        i16(b.length);
        return bytes(b);
    }

    /** int length + UTF-8; for values. */
    public BinaryWriter string(String s) {
        return blob(s.getBytes(StandardCharsets.UTF_8));
    }

    public void putI32At(int index, int v) {
        buf.putInt(index, v);
    }

    public void putI64At(int index, long v) {
        buf.putLong(index, v);
    }

    /** CRC-32C of bytes [from, position). */
    public int crc(int from) {
        CRC32C c = new CRC32C();
        c.update(buf.array(), from, buf.position() - from);
        return (int) c.getValue();
    }

    /** The encoded bytes [0, position) as a buffer view ready to write; valid until the next write. */
    public ByteBuffer view() {
        return ByteBuffer.wrap(buf.array(), 0, buf.position());
    }

    public byte[] array() {
        return buf.array();
    }

    public byte[] toByteArray() {
        byte[] b = new byte[buf.position()];
        System.arraycopy(buf.array(), 0, b, 0, b.length);
        return b;
    }
}
