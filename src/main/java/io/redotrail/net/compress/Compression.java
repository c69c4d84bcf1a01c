package io.redotrail.net.compress;

import java.util.Arrays;
import java.util.Locale;

/**
 * How one frame payload travels: its codec flag byte on the wire ({@link #wireId()}) and the block codec that
 * reads and writes it. The ids are a wire contract between pump and collector: never renumber, only add.
 */
public enum Compression {
    /** Sent as is: COMPRESS off, a frame below COMPRESSTHRESHOLD, or a block that did not shrink. */
    NONE((byte) 0),
    /** LZ4 block (the default of {@code COMPRESS}): fast on both ends, about 2-4:1 on trail records. */
    LZ4((byte) 1),
    /** Zstandard at its default level ({@code COMPRESSALGORITHM ZSTD}): a better ratio for thin links, more CPU. */
    ZSTD((byte) 2);

    private final byte wireId;

    Compression(byte wireId) {
        this.wireId = wireId;
    }

    public byte wireId() {
        return wireId;
    }

    /** The codec of a received flag byte; an unknown one is a corrupt frame or a newer peer, never guessed. */
    public static Compression ofWireId(byte id) throws CorruptBlockException {
        for (Compression c : values()) if (c.wireId == id) return c;
        throw new CorruptBlockException("RTR-01603 unknown compression flag " + (id & 0xff) + " in a received frame (known: "
                + Arrays.toString(values()) + "): corrupt frame, or the peer is a newer version");
    }

    /** The algorithm of {@code COMPRESSALGORITHM name}, case-insensitive; an unknown name names the choices. */
    public static Compression ofAlgorithm(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.equals("LZ4")) return LZ4;
        if (n.equals("ZSTD")) return ZSTD;
        throw new IllegalArgumentException("RTR-01604 COMPRESSALGORITHM " + name + " is not known: use LZ4 (default) or ZSTD");
    }

    BlockCodec codec() {
        return switch (this) {
            case NONE -> null;
            case LZ4 -> Lz4BlockCodec.INSTANCE;
            case ZSTD -> ZstdBlockCodec.INSTANCE;
        };
    }
}
