package io.redotrail.scenario;

/** A scenario step failed or a script line is malformed; the message starts with {@code file:line:}. */
public final class ScenarioException extends RuntimeException {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
