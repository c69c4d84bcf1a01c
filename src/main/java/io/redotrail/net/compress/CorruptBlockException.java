package io.redotrail.net.compress;

import java.io.IOException;

/**
 * A received block that cannot be what the sender compressed: a bad codec flag, a declared length over the limit,
 * a codec error or a length that does not match. The frame is refused whole; nothing of it reaches the trail.
 */
public final class CorruptBlockException extends IOException {
    public CorruptBlockException(String message) {
        super(message);
    }

    public CorruptBlockException(String message, Throwable cause) {
        super(message, cause);
    }
}
