package io.redotrail.core;

import java.nio.file.Path;

/** A redo, trail, checkpoint or BR file holds bytes that cannot be what they claim to be. Names file and offset. */
public class CorruptFileException extends RuntimeException {
    private final Path file;
    private final long position;
    private final String reason;

    public CorruptFileException(Path file, long position, String message) {
        super(file + " at byte " + position + ": " + message);
        this.file = file;
        this.position = position;
        this.reason = message;
    }

    public CorruptFileException(Path file, long position, String message, Throwable cause) {
        super(file + " at byte " + position + ": " + message, cause);
        this.file = file;
        this.position = position;
        this.reason = message;
    }

    /** What is wrong, without the file and position (a caller that names them its own way). */
    public String reason() {
        return reason;
    }

    public Path file() {
        return file;
    }

    public long position() {
        return position;
    }
}
