package io.redotrail.net;

/**
 * How a link is made: {@code compression} of the frames this side sends (COMPRESS; the receiver follows each
 * frame's flag), {@code connectTimeoutMillis} for a TCP connect, {@code timeoutMillis} (0 = none; RMTHOST ...,
 * TIMEOUT n) for a stalled peer: no byte received while waiting for a frame, or a send that makes no progress
 * (the peer stopped reading), that long. TLS settings join here. Immutable.
 */
public record LinkOptions(FrameCompression compression, int connectTimeoutMillis, int timeoutMillis) {
    public static final LinkOptions DEFAULT = new LinkOptions(FrameCompression.NONE, 10_000, 0);

    public LinkOptions {
        if (compression == null) throw new IllegalArgumentException("compression is null (FrameCompression.NONE for none)");
        if (connectTimeoutMillis < 0 || timeoutMillis < 0) throw new IllegalArgumentException("negative timeout");
    }

    public LinkOptions withTimeout(int millis) {
        return new LinkOptions(compression, connectTimeoutMillis, millis);
    }
}
