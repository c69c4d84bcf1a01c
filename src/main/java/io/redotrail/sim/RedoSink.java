package io.redotrail.sim;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoOp;

/**
 * Where the simulated source database writes its redo. Decouples the simulator from the redo file writer;
 * a small adapter connects the two. Implementations need not be thread-safe: the simulator calls them from
 * one thread.
 */
public interface RedoSink {

    /**
     * Appends one redo record and returns where it was written.
     *
     * @param thread  redo thread (1 for now)
     * @param type    row change, COMMIT or ROLLBACK
     * @param xid     transaction the record belongs to
     * @param scn     SCN of the record; strictly increasing across calls; for COMMIT it is the commit SCN (CSN)
     * @param tsMillis wall-clock time of the record, epoch milliseconds
     * @param first   true for the first record of the transaction
     * @param change  the row change, or {@code null} for COMMIT and ROLLBACK
     */
    RedoPosition append(int thread, RedoOp type, Xid xid, Scn scn, long tsMillis, boolean first,
                        RowChange change);

    /**
     * Makes everything appended so far durable. Called after each group of commits, before the matching
     * changes are committed to the source database, so the redo is never behind the source.
     */
    void flush();

    /** Closes the current log of the thread and continues in a new one (ALTER SYSTEM SWITCH LOGFILE). */
    void switchLogFile(int thread);

    /** SCN of the last record appended, {@link Scn#ZERO} when there is none; SCN allocation resumes after it. */
    Scn lastScn();

    void close();
}
