package io.redotrail.net.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;

/**
 * Zstandard frames at zstd's default level, one per block. The native decoder checks the frame itself and never
 * writes past the destination size it is given.
 */
final class ZstdBlockCodec implements BlockCodec {
    static final ZstdBlockCodec INSTANCE = new ZstdBlockCodec();

    private final int level = Zstd.defaultCompressionLevel();

    private ZstdBlockCodec() {
    }

    @Override
    public int maxCompressedLength(int rawLength) {
        return Math.toIntExact(Zstd.compressBound(rawLength));
    }

    @Override
    public int compress(byte[] src, int off, int len, byte[] dst, int dstOff) {
        long n = Zstd.compressByteArray(dst, dstOff, dst.length - dstOff, src, off, len, level);
        if (Zstd.isError(n)) throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(n));
        return (int) n;
    }

    @Override
    public void decompress(byte[] src, int off, int len, byte[] dst, int rawLength) throws CorruptBlockException {
        long n;
        try {
            n = Zstd.decompressByteArray(dst, 0, rawLength, src, off, len);
        } catch (ZstdException e) {
            throw new CorruptBlockException("RTR-01601 corrupt zstd block of " + len + " bytes (declared raw length "
                    + rawLength + "): " + e.getMessage(), e);
        }
        if (Zstd.isError(n)) {
            throw new CorruptBlockException("RTR-01601 corrupt zstd block of " + len + " bytes (declared raw length "
                    + rawLength + "): " + Zstd.getErrorName(n));
        }
        if (n != rawLength) {
            throw new CorruptBlockException("RTR-01601 corrupt zstd block of " + len + " bytes: it decodes to " + n
                    + " bytes, the frame declares " + rawLength);
        }
    }
}
