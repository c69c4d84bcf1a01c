package io.redotrail.sim;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoOp;

import java.util.ArrayList;
import java.util.List;

/** Test fixture: a redo sink that keeps every record in a list. Checks SCN order as it goes. Not thread-safe. */
class InMemoryRedoSink implements RedoSink {

    record Rec(int thread, RedoOp type, Xid xid, Scn scn, long tsMillis, boolean first, RowChange change,
               RedoPosition position) {
    }

    final List<Rec> records = new ArrayList<>();
    int flushes;
    int flushedRecords;
    int switches;
    boolean closed;
    private long sequence = 1;
    private long rba;

    @Override
    public RedoPosition append(int thread, RedoOp type, Xid xid, Scn scn, long tsMillis, boolean first,
                               RowChange change) {
        if (!records.isEmpty() && !scn.isAfter(lastScn())) {
            throw new AssertionError("SCN " + scn + " not after " + lastScn());
        }
        if (type.endsTransaction() != (change == null)) {
            throw new AssertionError(type + " with change " + change);
        }
        RedoPosition pos = new RedoPosition(thread, sequence, rba);
        rba += 100;
        records.add(new Rec(thread, type, xid, scn, tsMillis, first, change, pos));
        return pos;
    }

    @Override
    public void flush() {
        flushes++;
        flushedRecords = records.size();
    }

    @Override
    public void switchLogFile(int thread) {
        switches++;
        sequence++;
        rba = 0;
    }

    @Override
    public Scn lastScn() {
        return records.isEmpty() ? Scn.ZERO : records.get(records.size() - 1).scn();
    }

    @Override
    public void close() {
        closed = true;
    }
}
