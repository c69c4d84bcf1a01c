package io.redotrail.core;

import java.util.Arrays;

/**
 * The before/after images of a row change as an encrypted trail stores them (ENCRYPTTRAIL; layout in
 * docs/trail-format.md, "Encrypted ROW records", and {@code io.redotrail.trail.crypto.RecordSealer}): bytes only a
 * reader with the key can open. A reader that does not decrypt (a PASSTHRU pump without DECRYPTTRAIL) carries
 * them in a {@link RowChange} so its writer puts them back byte for byte. Immutable; the array is owned by the
 * instance and must not be modified by callers. {@link #toString()} never shows the bytes.
 */
public final class SealedImages {
    private final byte[] bytes;

    public SealedImages(byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new IllegalArgumentException("sealed images need bytes");
        this.bytes = bytes;
    }

    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedImages s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SealedImages[" + bytes.length + " bytes]";
    }
}
