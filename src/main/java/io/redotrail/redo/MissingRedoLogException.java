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
    private final String checkpoint;

    /**
     * @param checkpoint which read checkpoint needs the log: "Recovery" (the oldest open transaction starts
     *                   there), "Current" (the last record read), or "Startup" (no checkpoint yet)
     */
    public MissingRedoLogException(int thread, long sequence, RedoPosition neededBy, String checkpoint, String detail) {
        super("OGG-00446 Could not find archived log for sequence " + sequence + " thread " + thread
                + ", needed by the " + checkpoint + " checkpoint (" + neededBy + "); " + detail
                + ". Restore the archived log; the extract does not skip redo.");
        this.thread = thread;
        this.sequence = sequence;
        this.neededBy = neededBy;
        this.checkpoint = checkpoint;
    }

    public MissingRedoLogException(int thread, long sequence, RedoPosition neededBy, String detail) {
        this(thread, sequence, neededBy, "Current", detail);
    }

    /** "Recovery", "Current" or "Startup". */
    public String checkpoint() {
        return checkpoint;
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
