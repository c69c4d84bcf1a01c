package io.redotrail.redo;

import io.redotrail.core.RedoPosition;

/**
 * The log sequence a reader needs is neither in an online group nor archived (GoldenGate OGG-00446). The
 * reader never skips ahead: restore the archived log or reposition the extract explicitly.
 */
public class MissingRedoLogException extends RuntimeException {
    private final int thread;
    private final long sequence;
    private final RedoPosition neededBy;

    public MissingRedoLogException(int thread, long sequence, RedoPosition neededBy, String detail) {
        super("OGG-00446 Could not find archived log for sequence " + sequence + " thread " + thread
                + " (needed to read from " + neededBy + "; " + detail + ")");
        this.thread = thread;
        this.sequence = sequence;
        this.neededBy = neededBy;
    }

    public int thread() {
        return thread;
    }

    public long sequence() {
        return sequence;
    }

    public RedoPosition neededBy() {
        return neededBy;
    }
}
