package io.redotrail.net.compress;

/**
 * The pump's COMPRESS choice: GoldenGate's {@code RMTHOST ..., COMPRESS [, COMPRESSTHRESHOLD n]} plus our
 * {@code COMPRESSALGORITHM LZ4|ZSTD} (GoldenGate has one algorithm and no such option). Frames whose payload is
 * shorter than {@code threshold} bytes go uncompressed, as GoldenGate's COMPRESSTHRESHOLD (0 to 28000, default 1000).
 */
public record CompressionOptions(Compression algorithm, int threshold) {
    public static final int DEFAULT_THRESHOLD = 1000;
    public static final int MAX_THRESHOLD = 28000;
    /** No COMPRESS: every frame travels as is. */
    public static final CompressionOptions OFF = new CompressionOptions(Compression.NONE, DEFAULT_THRESHOLD);

    public CompressionOptions {
        if (algorithm == null) throw new IllegalArgumentException("RTR-01604 no compression algorithm given");
        if (threshold < 0 || threshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException("RTR-01604 COMPRESSTHRESHOLD " + threshold + " is out of range 0 to "
                    + MAX_THRESHOLD);
        }
    }

    /** {@code COMPRESS} alone: LZ4 above the default threshold. */
    public static CompressionOptions lz4() {
        return new CompressionOptions(Compression.LZ4, DEFAULT_THRESHOLD);
    }

    public boolean enabled() {
        return algorithm != Compression.NONE;
    }

    /** As a parameter file would say it, for the report: {@code COMPRESS LZ4 COMPRESSTHRESHOLD 1000} or {@code NOCOMPRESS}. */
    @Override
    public String toString() {
        return enabled() ? "COMPRESS " + algorithm + " COMPRESSTHRESHOLD " + threshold : "NOCOMPRESS";
    }
}
