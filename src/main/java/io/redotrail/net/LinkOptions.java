package io.redotrail.net;

import io.redotrail.net.compress.CompressionCounters;
import io.redotrail.net.compress.CompressionOptions;
import io.redotrail.net.tls.TlsLink;

/**
 * How a link is made: {@code compression} of the frames this side sends (COMPRESS; the receiver follows each
 * frame's flag) for payloads of at least {@code compressThreshold} bytes (COMPRESSTHRESHOLD), {@code counters}
 * adding the bytes before and after it (null: not counted), {@code tls} layering TLS over every socket this side
 * connects or accepts (null: plain TCP), {@code connectTimeoutMillis} for a TCP connect, {@code timeoutMillis}
 * (0 = none; RMTHOST ..., TIMEOUT n) for a stalled peer: no byte received while waiting for a frame, or a send that
 * makes no progress (the peer stopped reading), that long. Immutable.
 */
public record LinkOptions(FrameCompression compression, int compressThreshold, CompressionCounters counters, TlsLink tls,
                          int connectTimeoutMillis, int timeoutMillis) {
    public static final LinkOptions DEFAULT = new LinkOptions(FrameCompression.NONE, 10_000, 0);

    public LinkOptions {
        if (compression == null) throw new IllegalArgumentException("compression is null (FrameCompression.NONE for none)");
        if (compressThreshold < 0) throw new IllegalArgumentException("negative compress threshold");
        if (connectTimeoutMillis < 0 || timeoutMillis < 0) throw new IllegalArgumentException("negative timeout");
    }

    /** Plain TCP, every frame that shrinks compressed, nothing counted. */
    public LinkOptions(FrameCompression compression, int connectTimeoutMillis, int timeoutMillis) {
        this(compression, 0, null, null, connectTimeoutMillis, timeoutMillis);
    }

    public LinkOptions withTimeout(int millis) {
        return new LinkOptions(compression, compressThreshold, counters, tls, connectTimeoutMillis, millis);
    }

    /** COMPRESS as the pump's parameters say it, its bytes added to {@code counters}. */
    public LinkOptions withCompression(CompressionOptions options, CompressionCounters counters) {
        return new LinkOptions(FrameCompression.of(options), options.threshold(), counters, tls, connectTimeoutMillis, timeoutMillis);
    }

    public LinkOptions withTls(TlsLink tls) {
        return new LinkOptions(compression, compressThreshold, counters, tls, connectTimeoutMillis, timeoutMillis);
    }
}
