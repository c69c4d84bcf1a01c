package io.redotrail.net;

import io.redotrail.net.compress.Compression;
import io.redotrail.net.compress.CompressionOptions;

import java.io.IOException;

/**
 * The codec hook of a frame's payload (COMPRESS): the id travels in the frame's flags (bits 0-3), so a receiver
 * decompresses whatever the sender chose, frame by frame, and a sender may leave a frame uncompressed when
 * compressing does not make it smaller. Id 0 is {@link #NONE}; other codecs take ids 1-15 and are listed in
 * {@link #of} (by id, receiving) and {@link #named} (by name, COMPRESS): 1 LZ4, 2 zstd, both {@link Block}s of
 * {@link Compression}. Implementations are stateless and thread-safe.
 */
public interface FrameCompression {
    /** 1-15 (0 only for NONE). */
    int id();

    String name();

    byte[] compress(byte[] data, int off, int len);

    /** The raw payload; an IOException (e.g. a corrupt block) is the frame's error. */
    byte[] decompress(byte[] data) throws IOException;

    /** An algorithm of {@link Compression} (its block layout, with the raw length, is documented there). */
    record Block(Compression algorithm) implements FrameCompression {
        @Override
        public int id() {
            return algorithm.wireId();
        }

        @Override
        public String name() {
            return algorithm.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public byte[] compress(byte[] data, int off, int len) {
            return algorithm.compress(data, off, len);
        }

        @Override
        public byte[] decompress(byte[] data) throws IOException {
            return algorithm.decompress(data, 0, data.length, FrameCodec.MAX_FRAME);
        }
    }

    FrameCompression LZ4 = new Block(Compression.LZ4);
    FrameCompression ZSTD = new Block(Compression.ZSTD);

    FrameCompression NONE = new FrameCompression() {
        @Override
        public int id() {
            return 0;
        }

        @Override
        public String name() {
            return "none";
        }

        @Override
        public byte[] compress(byte[] data, int off, int len) {
            byte[] b = new byte[len];
            System.arraycopy(data, off, b, 0, len);
            return b;
        }

        @Override
        public byte[] decompress(byte[] data) {
            return data;
        }
    };

    /** The codec with frame id {@code id}; null when there is none (COMPRESS codecs are added here, e.g. 1 LZ4). */
    static FrameCompression of(int id) {
        return switch (id) {
            case 0 -> NONE;
            case 1 -> LZ4;
            case 2 -> ZSTD;
            default -> null;
        };
    }

    /** The codec called {@code name} (case-insensitive, "none" included); null when there is none. */
    static FrameCompression named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> NONE;
            case "lz4" -> LZ4;
            case "zstd" -> ZSTD;
            default -> null;
        };
    }

    /** What COMPRESS (RMTHOST ..., COMPRESS) sends with unless COMPRESSALGORITHM says otherwise: LZ4. */
    static FrameCompression forCompress() {
        return LZ4;
    }

    /** The codec of a COMPRESS choice (NONE when COMPRESS is off). */
    static FrameCompression of(CompressionOptions options) {
        return of(options.algorithm().wireId());
    }
}
