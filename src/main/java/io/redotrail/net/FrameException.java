package io.redotrail.net;

import java.io.IOException;

/**
 * A damaged frame on the link: its message names the peer and the byte offset of the frame in the stream. The
 * connection is dropped; nothing of the frame is used.
 */
public final class FrameException extends IOException {
    private final String peer;
    private final long offset;

    public FrameException(String peer, long offset, String message) {
        super("bad frame from " + peer + " at byte " + offset + ": " + message);
        this.peer = peer;
        this.offset = offset;
    }

    public String peer() {
        return peer;
    }

    public long offset() {
        return offset;
    }
}
