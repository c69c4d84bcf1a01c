package io.redotrail.net;

/**
 * The codec hook of a frame's payload (COMPRESS): the id travels in the frame's flags (bits 0-3), so a receiver
 * decompresses whatever the sender chose, frame by frame, and a sender may leave a frame uncompressed when
 * compressing does not make it smaller. Id 0 is {@link #NONE}; other codecs take ids 1-15 and are listed in
 * {@link #of} (by id, receiving) and {@link #named} (by name, COMPRESS). Implementations are stateless and
 * thread-safe.
 */
public interface FrameCompression {
    /** 1-15 (0 only for NONE). */
    int id();

    String name();

    byte[] compress(byte[] data, int off, int len);

    byte[] decompress(byte[] data);

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
            default -> null;
        };
    }

    /** The codec called {@code name} (case-insensitive, "none" included); null when there is none. */
    static FrameCompression named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> NONE;
            default -> null;
        };
    }

    /** What COMPRESS (RMTHOST ..., COMPRESS) sends with: NONE until a codec is added. */
    static FrameCompression forCompress() {
        return NONE;
    }
}
