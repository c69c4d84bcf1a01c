package io.redotrail.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Bounds-checked big-endian reader over one record's bytes. Every failure is a {@link CorruptFileException}
 * naming the file and the absolute byte offset ({@code base} + index) where decoding failed. Reads the array
 * directly (no ByteBuffer per record: one is made for every redo and trail record read) and builds a failure's
 * message only when there is a failure.
 */
public final class BinaryReader {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] a;
    private final int start;
    private final int end;
    private int pos;
    private final Path file;
    private final long base;

    public BinaryReader(byte[] data, int offset, int length, Path file, long base) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.a = data;
        this.start = offset;
        this.pos = offset;
        this.end = offset + length;
        this.file = file;
        this.base = base;
    }

    public long absolutePosition() {
        return base + (pos - start);
    }

    public int remaining() {
        return end - pos;
    }

    private void need(int n, String what) {
        if (n < 0 || end - pos < n) throw tooShort(n, what, "");
    }

    /** As {@link #need(int, String)} for the length field of {@code what}, its name made only on failure. */
    private void needLength(int n, String what) {
        if (end - pos < n) throw tooShort(n, what, " length");
    }

    private CorruptFileException tooShort(int n, String what, String suffix) {
        return new CorruptFileException(file, absolutePosition(),
                "record too short reading " + what + suffix + " (" + n + " bytes needed, " + (end - pos) + " left)");
    }

    public int u8(String what) {
        need(1, what);
        return a[pos++] & 0xFF;
    }

    public int i16(String what) {
        need(2, what);
        short v = (short) I16.get(a, pos);
        pos += 2;
        return v;
    }

    public int u16(String what) {
        return i16(what) & 0xFFFF;
    }

    public int i32(String what) {
        need(4, what);
        int v = (int) I32.get(a, pos);
        pos += 4;
        return v;
    }

    public long i64(String what) {
        need(8, what);
        long v = (long) I64.get(a, pos);
        pos += 8;
        return v;
    }

    public byte[] bytes(int n, String what) {
        need(n, what);
        byte[] b = Arrays.copyOfRange(a, pos, pos + n);
        pos += n;
        return b;
    }

    public byte[] blob(String what) {
        return bytes(lengthI32(what), what);
    }

    private int lengthU16(String what) {
        needLength(2, what);
        int n = ((short) I16.get(a, pos)) & 0xFFFF;
        pos += 2;
        return n;
    }

    private int lengthI32(String what) {
        needLength(4, what);
        int n = (int) I32.get(a, pos);
        pos += 4;
        return n;
    }

    public String shortString(String what) {
        int n = lengthU16(what);
        need(n, what);
        String s = new String(a, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A u16-length UTF-8 string as {@link #shortString(String)}, the same String for the same bytes from {@code names}. */
    public String shortString(String what, NameCache names) {
        int n = lengthU16(what);
        need(n, what);
        String s = names.decode(a, pos, n);
        pos += n;
        return s;
    }

    /** Steps over {@code n} bytes, which must be there. */
    public void skip(int n, String what) {
        need(n, what);
        pos += n;
    }

    /** The array this reader reads (do not modify); {@link #arrayIndex()} and {@link #arrayEnd()} index it. */
    byte[] array() {
        return a;
    }

    /** Index in {@link #array()} of the next byte to read. */
    int arrayIndex() {
        return pos;
    }

    /** Index in {@link #array()} just after this reader's last byte. */
    int arrayEnd() {
        return end;
    }

    public String string(String what) {
        int n = lengthI32(what);
        need(n, what);
        String s = new String(a, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public CorruptFileException corrupt(String message) {
        return new CorruptFileException(file, absolutePosition(), message);
    }

    public Path file() {
        return file;
    }
}
