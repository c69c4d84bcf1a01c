package io.redotrail.cli.ggsci;

/** A command the user must correct (unknown command, group that does not exist ...): printed as {@code ERROR: ...}. */
public final class GgsciException extends RuntimeException {
    public GgsciException(String message) {
        super(message);
    }
}
