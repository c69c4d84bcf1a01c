package io.redotrail.extract.br;

/** Bounded Recovery state cannot be used (corrupt or missing files); the extract falls back to normal recovery. */
public class BrException extends RuntimeException {
    public BrException(String message, Throwable cause) {
        super(message, cause);
    }
}
