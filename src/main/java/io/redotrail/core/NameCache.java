package io.redotrail.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Table and column names decoded and encoded once instead of per record: a redo or trail stream names the same
 * few tables millions of times. A fixed table of {@value #SLOTS} slots indexed by hash; a slot holds the last
 * name that hashed there (a collision replaces it, so memory stays bounded whatever the names). Names longer
 * than {@value #MAX_BYTES} bytes are not cached. {@link #decode} gives the String of UTF-8 bytes, exactly
 * {@code new String(bytes, UTF_8)}; {@link #encode} the UTF-8 bytes of a String (the caller must not modify them).
 * Not thread-safe: one per reader or writer.
 */
public final class NameCache {
    static final int SLOTS = 1024;
    static final int MAX_BYTES = 256;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] names = new String[SLOTS];
    private final String[] encodedNames = new String[SLOTS];
    private final byte[][] encoded = new byte[SLOTS][];

    /** The String of UTF-8 bytes {@code b[off, off + len)}. */
    public String decode(byte[] b, int off, int len) {
        if (len > MAX_BYTES) return new String(b, off, len, StandardCharsets.UTF_8);
        int h = 1;
        for (int i = off; i < off + len; i++) h = 31 * h + b[i];
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        byte[] k = keys[slot];
        if (k != null && Arrays.equals(k, 0, k.length, b, off, off + len)) return names[slot];
        String s = canonical(new String(b, off, len, StandardCharsets.UTF_8));
        keys[slot] = Arrays.copyOfRange(b, off, off + len);
        names[slot] = s;
        return s;
    }

    /**
     * The one instance of a table or column name that every reader and the target catalog share (the JVM's string
     * pool), so that {@link RowImage#indexOf} finds a key column by identity before comparing characters.
     */
    public static String canonical(String name) {
        return name.intern();
    }

    /** The UTF-8 bytes of {@code s}; shared, do not modify. */
    public byte[] encode(String s) {
        int h = s.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String k = encodedNames[slot];
        if (k != null && (k == s || k.equals(s))) return encoded[slot];
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_BYTES) return b;
        encodedNames[slot] = s;
        encoded[slot] = b;
        return b;
    }
}
