package io.redotrail.net.compress;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 raw blocks (no LZ4 frame header: our frame carries length and CRC already). Decompression uses the
 * bounds-checked "safe" decompressor: the input comes off the network.
 */
final class Lz4BlockCodec implements BlockCodec {
    static final Lz4BlockCodec INSTANCE = new Lz4BlockCodec();

    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;

    private Lz4BlockCodec() {
        LZ4Factory f = LZ4Factory.fastestInstance();
        compressor = f.fastCompressor();
        decompressor = f.safeDecompressor();
    }

    @Override
    public int maxCompressedLength(int rawLength) {
        return compressor.maxCompressedLength(rawLength);
    }

    @Override
    public int compress(byte[] src, int off, int len, byte[] dst, int dstOff) {
        return compressor.compress(src, off, len, dst, dstOff, dst.length - dstOff);
    }

    @Override
    public void decompress(byte[] src, int off, int len, byte[] dst, int rawLength) throws CorruptBlockException {
        int n;
        try {
            n = decompressor.decompress(src, off, len, dst, 0, rawLength);
        } catch (LZ4Exception e) {
            throw new CorruptBlockException("RTR-01601 corrupt LZ4 block of " + len + " bytes (declared raw length "
                    + rawLength + "): " + e.getMessage(), e);
        }
        if (n != rawLength) {
            throw new CorruptBlockException("RTR-01601 corrupt LZ4 block of " + len + " bytes: it decodes to " + n
                    + " bytes, the frame declares " + rawLength);
        }
    }
}
