package io.redotrail.trail.crypto;

/**
 * A trail record or writer cannot get at its key: the key file is missing, unreadable by the owner only, or
 * malformed; the named key is not in it; or a record does not decrypt with it (wrong key, altered record). The
 * message starts with a message id (OGG-06400 for a key name missing from the key file, else RTR-0125n) and names
 * the key file, key name and, for a record, the trail file, seqno and RBA; never a key or a value. Reading stops
 * at such a record: nothing after it is delivered.
 */
public class TrailKeyException extends RuntimeException {
    public TrailKeyException(String message) {
        super(message);
    }
}
