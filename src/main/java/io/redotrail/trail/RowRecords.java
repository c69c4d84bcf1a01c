package io.redotrail.trail;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.ValueCodec;
import io.redotrail.core.Xid;

import java.util.List;
import java.util.function.Consumer;

/**
 * Encoding of ROW records (type {@value TrailFormat#TYPE_ROW}), one per row change. Body:
 * <pre>
 * u8  TransInd          0 begin, 1 middle, 2 end, 3 whole transaction in this one record
 * u16 IOType            ChangeOp code: 5 insert, 10 update, 3 delete, 115 PK update
 * i64 CSN               commit SCN of the transaction
 * i64 commit timestamp  epoch milliseconds
 * i32 i32 i64 XID       usn, slot, sqn
 * -- only when TransInd is 0 or 3:
 * i32 redo thread
 * u8  has redo start position; if 1: i32 thread, i64 log sequence, i64 RBA
 * --
 * u16+UTF-8 table       OWNER.TABLE
 * u8  images            bit 0 before image present, bit 1 after image present
 * [before image] [after image]   ValueCodec row images
 * </pre>
 * Stateless, thread-safe.
 */
public final class RowRecords {
    private RowRecords() {
    }

    /** Appends all records of {@code tx} (at least one change) to {@code w}. */
    public static void writeTransaction(BinaryWriter w, Transaction tx) {
        writeTransaction(w, tx, c -> { });
    }

    /**
     * Same, calling {@code afterRecord} with each change once its record is in {@code w}, so a caller can drain
     * {@code w} while a transaction too large for the heap ({@link io.redotrail.core.StreamedChanges}) streams
     * through, and count what it wrote without reading the changes a second time.
     */
    public static void writeTransaction(BinaryWriter w, Transaction tx, Consumer<RowChange> afterRecord) {
        int n = tx.changes().size();
        int i = 0;
        for (RowChange c : tx.changes()) {
            int ind = n == 1 ? TrailFormat.TRANS_WHOLE
                    : i == 0 ? TrailFormat.TRANS_BEGIN : i == n - 1 ? TrailFormat.TRANS_END : TrailFormat.TRANS_MIDDLE;
            i++;
            int start = TrailFormat.begin(w, TrailFormat.TYPE_ROW);
            w.u8(ind).i16(c.op().ioType()).i64(tx.csn().value()).i64(tx.commitTimestampMillis());
            TrailFormat.writeXid(w, tx.xid());
            if (ind == TrailFormat.TRANS_BEGIN || ind == TrailFormat.TRANS_WHOLE) {
                w.i32(tx.thread());
                RedoPosition p = tx.startPosition();
                if (p == null) {
                    w.u8(0);
                } else {
                    w.u8(1).i32(p.thread()).i64(p.sequence()).i64(p.rba());
                }
            }
            ValueCodec.writeChangeBody(w, c);
            TrailFormat.end(w, start);
            afterRecord.accept(c);
        }
        if (i != n) {
            throw new IllegalStateException("transaction " + tx.xid() + " announced " + n + " changes but had " + i);
        }
    }

    /** One decoded ROW record. {@code thread}/{@code startPosition} are only meaningful on begin/whole records. */
    public record Row(int transInd, long csn, long commitMillis, Xid xid, int thread, RedoPosition startPosition,
                      RowChange change) {
    }

    /** What identifies a ROW record's transaction, read without decoding (or decrypting) its row images. */
    public record Head(int transInd, long csn, Xid xid) {
    }

    /** The {@link Head} of a ROW body (after the type byte); the rest of the body is not read. */
    public static Head head(BinaryReader r) {
        int ind = r.u8("TransInd");
        if (ind > TrailFormat.TRANS_WHOLE) throw r.corrupt("bad TransInd " + ind);
        r.u16("IOType");
        long csn = r.i64("CSN");
        r.i64("commit timestamp");
        return new Head(ind, csn, TrailFormat.readXid(r));
    }

    /** Decodes a ROW body (after the type byte). */
    public static Row read(BinaryReader r) {
        int ind = r.u8("TransInd");
        if (ind > TrailFormat.TRANS_WHOLE) throw r.corrupt("bad TransInd " + ind);
        int ioType = r.u16("IOType");
        ChangeOp op;
        try {
            op = ChangeOp.ofIoType(ioType);
        } catch (IllegalArgumentException e) {
            throw r.corrupt("unknown IOType " + ioType);
        }
        long csn = r.i64("CSN");
        long ts = r.i64("commit timestamp");
        Xid xid = TrailFormat.readXid(r);
        int thread = 0;
        RedoPosition start = null;
        if (ind == TrailFormat.TRANS_BEGIN || ind == TrailFormat.TRANS_WHOLE) {
            thread = r.i32("redo thread");
            if (r.u8("redo position flag") == 1) {
                int t = r.i32("redo start thread");
                long seq = r.i64("redo start sequence");
                long rba = r.i64("redo start RBA");
                try {
                    start = new RedoPosition(t, seq, rba);
                } catch (IllegalArgumentException e) {
                    throw r.corrupt(e.getMessage());
                }
            }
        }
        RowChange change = ValueCodec.readChangeBody(r, op);
        if (r.remaining() != 0) throw r.corrupt(r.remaining() + " unexpected bytes after row record body");
        return new Row(ind, csn, ts, xid, thread, start, change);
    }
}
