package io.redotrail.net.compress;

/**
 * One compression algorithm over a whole block (no streaming state between blocks, so a frame lost with a dropped
 * connection costs nothing to the next one). Implementations are stateless and thread-safe.
 */
interface BlockCodec {
    /** The largest output {@link #compress} can produce for {@code rawLength} input bytes. */
    int maxCompressedLength(int rawLength);

    /** Compresses {@code src[off, off+len)} into {@code dst} from {@code dstOff}; returns the bytes written. */
    int compress(byte[] src, int off, int len, byte[] dst, int dstOff);

    /**
     * Decompresses exactly {@code rawLength} bytes from {@code src[off, off+len)} into {@code dst} (length at
     * least rawLength). Throws when the block is not valid or does not decode to exactly rawLength bytes; never
     * writes past {@code rawLength}.
     */
    void decompress(byte[] src, int off, int len, byte[] dst, int rawLength) throws CorruptBlockException;
}
