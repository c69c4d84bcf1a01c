package io.redotrail.redo.sim;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogWriter;
import io.redotrail.redo.RedoOp;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Connects the simulator to the real redo log writer of one thread. {@link #flush()} fsyncs: the simulator
 * calls it before committing the same group to the source database, so the redo is never behind the source.
 * Also remembers the CSN of the last committed transaction that touched a selected table, so a caller can
 * tell when a downstream Replicat has caught up. Single-threaded, like the simulator.
 */
public final class RedoLogSink implements RedoSink, AutoCloseable {
    private final RedoLogWriter writer;
    private final Predicate<String> selectedTable;
    private final Set<Xid> touchingSelected = new HashSet<>();
    private long lastSelectedCommitScn;

    public RedoLogSink(RedoLogWriter writer, Predicate<String> selectedTable) {
        this.writer = writer;
        this.selectedTable = selectedTable;
    }

    @Override
    public RedoPosition append(int thread, RedoOp op, Xid xid, Scn scn, long tsMillis, boolean first, RowChange change) {
        if (thread != writer.config().thread()) {
            throw new IllegalArgumentException("redo thread " + thread + " has no writer (this sink writes thread "
                    + writer.config().thread() + ")");
        }
        RedoPosition p = writer.append(op, xid, scn, tsMillis, first, change);
        if (change != null && selectedTable.test(change.table())) {
            touchingSelected.add(xid);
        } else if (op == RedoOp.COMMIT && touchingSelected.remove(xid)) {
            lastSelectedCommitScn = scn.value();
        } else if (op == RedoOp.ROLLBACK) {
            touchingSelected.remove(xid);
        }
        return p;
    }

    @Override
    public void flush() {
        writer.flush(true);
    }

    @Override
    public void switchLogFile(int thread) {
        writer.switchLogFile();
    }

    @Override
    public Scn lastScn() {
        return writer.lastScn();
    }

    /** CSN of the last committed transaction with a change to a selected table, 0 if none in this run. */
    public long lastSelectedCommitScn() {
        return lastSelectedCommitScn;
    }

    @Override
    public void close() {
        writer.close();
    }
}
