package io.redotrail.net.compress;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes before and after the frame codec, for STATS and the report: {@code raw} is payload bytes as the trail holds
 * them, {@code wire} the payload bytes sent (compressed block with its 4-byte length, or the raw payload of an
 * uncompressed frame; the link's own frame headers are not counted). One per pump run, across its reconnections.
 * Thread-safe: the connection's thread adds, STATS reads.
 */
public final class CompressionCounters {
    private final LongAdder raw = new LongAdder();
    private final LongAdder wire = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder compressedFrames = new LongAdder();

    /** One frame: its payload before and after the codec, and whether it went compressed. */
    public void add(int rawBytes, int wireBytes, boolean compressed) {
        raw.add(rawBytes);
        wire.add(wireBytes);
        frames.increment();
        if (compressed) compressedFrames.increment();
    }

    public long rawBytes() {
        return raw.sum();
    }

    public long wireBytes() {
        return wire.sum();
    }

    public long frames() {
        return frames.sum();
    }

    public long compressedFrames() {
        return compressedFrames.sum();
    }

    /** raw / wire, 1.0 before the first frame. */
    public double ratio() {
        long w = wireBytes();
        return w == 0 ? 1.0 : (double) rawBytes() / w;
    }

    /** One line for STATS and the report, e.g. {@code raw 10485760 bytes, wire 2621440 bytes, ratio 4.00:1, 812 of 820 frames compressed}. */
    public String summary() {
        return String.format(Locale.ROOT, "raw %d bytes, wire %d bytes, ratio %.2f:1, %d of %d frames compressed",
                rawBytes(), wireBytes(), ratio(), compressedFrames(), frames());
    }
}
