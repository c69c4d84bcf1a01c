package io.redotrail.trail.crypto;

import java.util.Locale;

/**
 * The algorithms of ENCRYPTTRAIL: AES-GCM with a 128, 192 or 256-bit data key. {@link #code()} is the byte an
 * encrypted record stores (docs/trail-format.md, "Encrypted ROW records").
 */
public enum TrailCipher {
    AES128(1, 16), AES192(2, 24), AES256(3, 32);

    /** GoldenGate's default when ENCRYPTTRAIL names no algorithm. */
    public static final TrailCipher DEFAULT = AES256;

    private final int code;
    private final int keyBytes;

    TrailCipher(int code, int keyBytes) {
        this.code = code;
        this.keyBytes = keyBytes;
    }

    public int code() {
        return code;
    }

    public int keyBytes() {
        return keyBytes;
    }

    public static TrailCipher ofCode(int code) {
        for (TrailCipher c : values()) {
            if (c.code == code) return c;
        }
        return null;
    }

    /** {@code AES128}, {@code AES192}, {@code AES256}, or {@code AES} (= AES256), any case. */
    public static TrailCipher parse(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.equals("AES")) return DEFAULT;
        for (TrailCipher c : values()) {
            if (c.name().equals(n)) return c;
        }
        throw new IllegalArgumentException("unknown trail encryption algorithm '" + name.strip() + "' (AES128, AES192, AES256)");
    }
}
