package io.redotrail.trail;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Xid;

import java.nio.file.Path;

/**
 * The records of one trail file in order, checked as every reader of a trail checks them: the file header first,
 * naming this file's seqno; then ROW records whose TransInd, CSN and XID follow one another transaction by
 * transaction; FILE_END only between transactions. One piece serves the writer's recovery scan ({@link TrailScan})
 * and {@link TrailReader}, so the two cannot drift apart in what they accept or how they say it. Framing (length,
 * CRC, where a file ends) stays with the callers: a torn tail means a different thing to each. Not thread-safe.
 */
final class TrailRecords {
    enum Kind { HEADER, ROW, FILE_END }

    private final Path file;
    private final long seqno;
    private final boolean namePosition;
    private boolean headerRead;
    private boolean startedInside;
    private TrailFormat.FileHeader header;
    private boolean inTx;
    private long txCsn;
    private Xid txXid;

    /**
     * {@code namePosition}: messages begin with "trail seqno S RBA r: " (a reader's, which an operator repositions
     * by seqno and RBA); else the file and byte offset of the {@link CorruptFileException} say where.
     */
    TrailRecords(Path file, long seqno, boolean namePosition) {
        this.file = file;
        this.seqno = seqno;
        this.namePosition = namePosition;
    }

    /** Reading resumes at a checkpoint past the header: a record out of sequence may mean a wrong start. */
    void startedInside() {
        startedInside = true;
    }

    /** Checks the record {@code in} last read OK at {@code pos} against the ones before it, and consumes it. */
    Kind next(RecordInput in, long pos) {
        int type = in.type();
        if (!headerRead) {
            if (pos != 0 || type != TrailFormat.TYPE_FILE_HEADER) {
                throw corrupt(pos, "expected the file header record, found type " + type);
            }
            TrailFormat.FileHeader h = TrailFormat.readHeader(in.body(pos));
            if (h.seqno() != seqno) {
                throw corrupt(0, "file header says seqno " + h.seqno() + ", file name says " + seqno);
            }
            header = h;
            headerRead = true;
            return Kind.HEADER;
        }
        if (type == TrailFormat.TYPE_FILE_END) {
            if (inTx) throw corrupt(pos, "FILE_END inside transaction XID " + txXid);
            return Kind.FILE_END;
        }
        if (type != TrailFormat.TYPE_ROW) throw corrupt(pos, "unexpected record type " + type);
        BinaryReader r = in.body(pos);
        int ind = r.u8("TransInd");
        r.u16("IOType");
        long csn = r.i64("CSN");
        r.i64("commit timestamp");
        Xid xid = TrailFormat.readXid(r);
        boolean begins = ind == TrailFormat.TRANS_BEGIN || ind == TrailFormat.TRANS_WHOLE;
        if (begins == inTx || ind > TrailFormat.TRANS_WHOLE) {
            throw corrupt(pos, "TransInd " + ind + " out of sequence" + (inTx ? " in XID " + txXid
                    : startedInside ? " (reading did not start at a transaction boundary)" : " (XID " + xid + ")"));
        }
        if (!begins && (csn != txCsn || !xid.equals(txXid))) {
            throw corrupt(pos, "record of XID " + xid + " inside transaction XID " + txXid);
        }
        inTx = ind == TrailFormat.TRANS_BEGIN || ind == TrailFormat.TRANS_MIDDLE;
        txCsn = csn;
        txXid = xid;
        return Kind.ROW;
    }

    /** Forgets an unfinished transaction: reading restarts at its beginning (the file was truncated under it). */
    void restartTransaction() {
        inTx = false;
    }

    TrailFormat.FileHeader header() {
        return header;
    }

    /** Whether the last ROW record began or continued a transaction that has not ended. */
    boolean inTransaction() {
        return inTx;
    }

    /** CSN and XID of the transaction of the last ROW record. */
    long csn() {
        return txCsn;
    }

    Xid xid() {
        return txXid;
    }

    CorruptFileException corrupt(long rba, String why) {
        return new CorruptFileException(file, rba, namePosition ? "trail seqno " + seqno + " RBA " + rba + ": " + why : why);
    }
}
