package io.redotrail.net.compress;

import java.util.Arrays;

/**
 * The payload codec of one link frame. A compressed payload is laid out as
 * <pre>
 *   u32 big-endian  raw length (bytes the block decodes to)
 *   ...             the codec's block (LZ4 raw block or one zstd frame)
 * </pre>
 * and travels with the codec's flag byte ({@link Compression#wireId()}); an uncompressed one is the raw bytes with
 * flag {@link Compression#NONE}. A payload below the threshold, or one that does not shrink, goes uncompressed,
 * so the wire never carries more than raw + frame header. The receiver refuses a declared length above its limit
 * before allocating anything, and a block that does not decode to exactly that length.
 * <p>
 * Not thread-safe (one per connection): {@link #encode} reuses one output buffer.
 */
public final class PayloadCompression {
    private static final int LENGTH_BYTES = 4;

    private final CompressionOptions options;
    private final int maxRawLength;
    private final CompressionCounters counters;
    private byte[] out = new byte[0];

    /**
     * @param options      what the sender does; {@link CompressionOptions#OFF} on a receiving side
     * @param maxRawLength the largest payload this side accepts (the link's frame limit)
     * @param counters     where raw and wire bytes are added
     */
    public PayloadCompression(CompressionOptions options, int maxRawLength, CompressionCounters counters) {
        if (maxRawLength <= 0) throw new IllegalArgumentException("maxRawLength must be positive: " + maxRawLength);
        this.options = options;
        this.maxRawLength = maxRawLength;
        this.counters = counters;
    }

    /** One encoded payload: its flag and {@code bytes[offset, offset+length)}, valid until the next {@link #encode}. */
    public record Encoded(Compression flag, byte[] bytes, int offset, int length) {
        public byte flagByte() {
            return flag.wireId();
        }
    }

    public Encoded encode(byte[] raw, int off, int len) {
        if (len > maxRawLength) {
            throw new IllegalArgumentException("payload of " + len + " bytes is over the link's frame limit " + maxRawLength);
        }
        BlockCodec codec = options.algorithm().codec();
        if (codec != null && len >= options.threshold() && len > 0) {
            int need = LENGTH_BYTES + codec.maxCompressedLength(len);
            if (out.length < need) out = new byte[need];
            int n = codec.compress(raw, off, len, out, LENGTH_BYTES);
            if (LENGTH_BYTES + n < len) {
                out[0] = (byte) (len >>> 24);
                out[1] = (byte) (len >>> 16);
                out[2] = (byte) (len >>> 8);
                out[3] = (byte) len;
                counters.add(len, LENGTH_BYTES + n, true);
                return new Encoded(options.algorithm(), out, 0, LENGTH_BYTES + n);
            }
        }
        counters.add(len, len, false);
        return new Encoded(Compression.NONE, raw, off, len);
    }

    /** The raw payload of a received frame with codec flag {@code flag}. */
    public byte[] decode(byte flag, byte[] wire, int off, int len) throws CorruptBlockException {
        Compression c = Compression.ofWireId(flag);
        BlockCodec codec = c.codec();
        if (codec == null) {
            if (len > maxRawLength) throw oversized(c, len);
            counters.add(len, len, false);
            return Arrays.copyOfRange(wire, off, off + len);
        }
        if (len < LENGTH_BYTES) {
            throw new CorruptBlockException("RTR-01601 corrupt " + c + " block: " + len + " bytes, shorter than its length field");
        }
        int raw = ((wire[off] & 0xff) << 24) | ((wire[off + 1] & 0xff) << 16) | ((wire[off + 2] & 0xff) << 8) | (wire[off + 3] & 0xff);
        if (raw < 0 || raw > maxRawLength) throw oversized(c, raw);
        byte[] dst = new byte[raw];
        codec.decompress(wire, off + LENGTH_BYTES, len - LENGTH_BYTES, dst, raw);
        counters.add(raw, len, true);
        return dst;
    }

    private CorruptBlockException oversized(Compression c, long declared) {
        return new CorruptBlockException("RTR-01602 " + c + " block declares " + (declared & 0xffffffffL)
                + " raw bytes, over the link's frame limit of " + maxRawLength + ": refused before decoding");
    }
}
