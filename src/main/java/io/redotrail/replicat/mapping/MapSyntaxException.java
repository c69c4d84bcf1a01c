package io.redotrail.replicat.mapping;

/** A {@code map} property that does not parse; the message names the statement and the position. */
public class MapSyntaxException extends IllegalArgumentException {
    public MapSyntaxException(String message) {
        super(message);
    }
}
