package io.redotrail.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Growable big-endian byte buffer used to encode redo and trail records. Not thread-safe; reuse one per writer.
 */
public final class BinaryWriter {
    // a plain array and VarHandles: a ByteBuffer's bounds and state checks cost more than the writes themselves
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] a;
    private int pos;

    public BinaryWriter(int initialCapacity) {
        a = new byte[initialCapacity];
    }

    public BinaryWriter() {
        this(4096);
    }

    public void clear() {
        pos = 0;
    }

    public int position() {
        return pos;
    }

    private void ensure(int more) {
        if (a.length - pos < more) grow(more);
    }

    private void grow(int more) {
        long cap = Math.max(2L * a.length, (long) pos + more);
        if (cap > Integer.MAX_VALUE - 8) {
            if ((long) pos + more > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("encoded data would exceed " + (Integer.MAX_VALUE - 8) + " bytes");
            }
            cap = Integer.MAX_VALUE - 8;
        }
        a = Arrays.copyOf(a, (int) cap);
    }

    public BinaryWriter u8(int v) {
        ensure(1);
        a[pos++] = (byte) v;
        return this;
    }

    public BinaryWriter i16(int v) {
        ensure(2);
        I16.set(a, pos, (short) v);
        pos += 2;
        return this;
    }

    public BinaryWriter i32(int v) {
        ensure(4);
        I32.set(a, pos, v);
        pos += 4;
        return this;
    }

    public BinaryWriter i64(long v) {
        ensure(8);
        I64.set(a, pos, v);
        pos += 8;
        return this;
    }

    public BinaryWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public BinaryWriter bytes(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensure(len);
        System.arraycopy(b, off, a, pos, len);
        pos += len;
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
        Objects.checkFromIndexSize(index, 4, pos);
        I32.set(a, index, v);
    }

    public void putI64At(int index, long v) {
        Objects.checkFromIndexSize(index, 8, pos);
        I64.set(a, index, v);
    }

    /** CRC-32C of bytes [from, position). */
    public int crc(int from) {
        CRC32C c = new CRC32C();
        c.update(a, from, pos - from);
        return (int) c.getValue();
    }

    /** The encoded bytes [0, position) as a buffer view ready to write; valid until the next write. */
    public ByteBuffer view() {
        return ByteBuffer.wrap(a, 0, pos);
    }

    public byte[] array() {
        return a;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(a, pos);
    }
}
