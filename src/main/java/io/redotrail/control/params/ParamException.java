package io.redotrail.control.params;

import java.nio.file.Path;

/** A parameter file (dirprm/*.prm) holds a statement that cannot be used. Names the file and the line. */
public class ParamException extends RuntimeException {
    private final Path file;
    private final int line;

    public ParamException(Path file, int line, String message) {
        super(file + (line > 0 ? " line " + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based; 0 when the problem is the file as a whole (missing, no EXTRACT/REPLICAT statement). */
    public int line() {
        return line;
    }
}
