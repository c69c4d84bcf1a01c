package io.redotrail.net.compress;

import java.util.Arrays;
import java.util.Locale;

/**
 * How one frame payload travels: its codec id in the frame's flags ({@link #wireId()}) and the block codec that
 * reads and writes it. A compressed payload ({@link #compress}) is laid out as
 * <pre>
 *   u32 big-endian  raw length (bytes the block decodes to)
 *   ...             the codec's block (an LZ4 raw block, or one zstd frame)
 * </pre>
 * {@link #decompress} refuses a declared length above the caller's limit before allocating anything, and a block
 * that does not decode to exactly that length. The ids are a wire contract between pump and collector: never
 * renumber, only add. Thread-safe.
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

    private static final int LENGTH_BYTES = 4;

    /** {@code raw[off, off+len)} as a length-prefixed block of this codec (may be larger than len: see the caller). */
    public byte[] compress(byte[] raw, int off, int len) {
        BlockCodec codec = codec();
        if (codec == null) return java.util.Arrays.copyOfRange(raw, off, off + len);
        byte[] out = new byte[LENGTH_BYTES + codec.maxCompressedLength(len)];
        out[0] = (byte) (len >>> 24);
        out[1] = (byte) (len >>> 16);
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
        int n = codec.compress(raw, off, len, out, LENGTH_BYTES);
        return java.util.Arrays.copyOf(out, LENGTH_BYTES + n);
    }

    /** The raw bytes of a block {@link #compress} made, at most {@code maxRawLength} of them. */
    public byte[] decompress(byte[] block, int off, int len, int maxRawLength) throws CorruptBlockException {
        BlockCodec codec = codec();
        if (codec == null) {
            if (len > maxRawLength) throw oversized(len, maxRawLength);
            return java.util.Arrays.copyOfRange(block, off, off + len);
        }
        if (len < LENGTH_BYTES) {
            throw new CorruptBlockException("RTR-01601 corrupt " + this + " block: " + len + " bytes, shorter than its length field");
        }
        int raw = ((block[off] & 0xff) << 24) | ((block[off + 1] & 0xff) << 16) | ((block[off + 2] & 0xff) << 8) | (block[off + 3] & 0xff);
        if (raw < 0 || raw > maxRawLength) throw oversized(raw & 0xffffffffL, maxRawLength);
        byte[] dst = new byte[raw];
        codec.decompress(block, off + LENGTH_BYTES, len - LENGTH_BYTES, dst, raw);
        return dst;
    }

    private CorruptBlockException oversized(long declared, int max) {
        return new CorruptBlockException("RTR-01602 " + this + " block declares " + declared
                + " raw bytes, over the link's frame limit of " + max + ": refused before decoding");
    }

    BlockCodec codec() {
        return switch (this) {
            case NONE -> null;
            case LZ4 -> Lz4BlockCodec.INSTANCE;
            case ZSTD -> ZstdBlockCodec.INSTANCE;
        };
    }
}
