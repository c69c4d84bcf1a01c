package io.redotrail.replicat;

/**
 * The Replicat cannot apply an exchange (REPERROR ABEND): the database transaction was rolled back, so neither
 * the target data nor the checkpoint moved. The message names the group, the table, the key and the trail
 * position, the way GoldenGate's report file does.
 */
public class ReplicatException extends RuntimeException {
    public ReplicatException(String message) {
        super(message);
    }

    public ReplicatException(String message, Throwable cause) {
        super(message, cause);
    }
}
