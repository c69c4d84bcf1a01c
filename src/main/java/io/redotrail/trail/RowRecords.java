package io.redotrail.trail;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.NameCache;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.ValueCodec;
import io.redotrail.core.Xid;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.RecordSealer;
import io.redotrail.trail.crypto.TrailKeys;

import java.nio.file.Path;
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
 * u8  images            bit 0 before image present, bit 1 after image present; 0x80: encrypted
 * [before image] [after image]   ValueCodec row images
 * -- or, encrypted (ENCRYPTTRAIL, format version 2):
 * i32 n, n bytes        sealed images ({@link RecordSealer}): the image mask and images above, AES-GCM
 * </pre>
 * An encrypted record authenticates IOType, CSN, commit time, XID and table ({@link #aad}) but not TransInd, so
 * a pump that drops some changes of a transaction can still copy the others unchanged.
 * The static methods write in the clear; an {@link Encoder} with a {@link RecordSealer} encrypts. Static methods
 * stateless and thread-safe; an Encoder is not thread-safe.
 */
public final class RowRecords {
    // shared by the static methods of any thread: no name cache (not thread-safe)
    private static final Encoder PLAIN = new Encoder(null, false);

    private RowRecords() {
    }

    /** Appends all records of {@code tx} (at least one change) to {@code w}. */
    public static void writeTransaction(BinaryWriter w, Transaction tx) {
        writeTransaction(w, tx, c -> { });
    }

    /**
     * The record encoder of a trail writer (or anything that sends records as a trail holds them): with a
     * {@link RecordSealer} every change's images are encrypted (ENCRYPTTRAIL), without one they are written in the
     * clear. A change read sealed (a pump that does not decrypt) is written back byte for byte either way.
     */
    public static final class Encoder {
        private final RecordSealer sealer;
        private final BinaryWriter plain;
        private final BinaryWriter aad;
        private final NameCache names;

        /** {@code sealer}: null writes in the clear. */
        public Encoder(RecordSealer sealer) {
            this(sealer, true);
        }

        private Encoder(RecordSealer sealer, boolean cacheNames) {
            this.sealer = sealer;
            this.names = cacheNames ? new NameCache() : null;
            this.plain = sealer == null ? null : new BinaryWriter(4096);
            this.aad = sealer == null ? null : new BinaryWriter(256);
        }

        public boolean encrypts() {
            return sealer != null;
        }

        /** A new trail file begins: a new data key (see {@link RecordSealer#renew()}). */
        public void newFile() {
            if (sealer != null) sealer.renew();
        }

        /** {@link RowRecords#writeTransaction(BinaryWriter, Transaction, Consumer)} through this encoder. */
        public void writeTransaction(BinaryWriter w, Transaction tx, Consumer<RowChange> afterRecord) {
            write(w, tx, afterRecord, this);
        }

        void writeChange(BinaryWriter w, Transaction tx, RowChange c) {
            if (sealer == null || c.isSealed()) {
                ValueCodec.writeChangeBody(w, c, names);
                return;
            }
            aad.clear();
            aad(aad, c.op().ioType(), tx.csn().value(), tx.commitTimestampMillis(), tx.xid(), c.table());
            plain.clear();
            ValueCodec.writeImages(plain, c);
            w.shortString(c.table()).u8(ValueCodec.SEALED);
            sealer.seal(aad.array(), aad.position(), plain.array(), 0, plain.position(), w);
        }
    }

    /** The authenticated clear fields of an encrypted record: u16 IOType, i64 CSN, i64 commit time, XID, u16+UTF-8 table. */
    static void aad(BinaryWriter a, int ioType, long csn, long commitMillis, Xid xid, String table) {
        a.i16(ioType).i64(csn).i64(commitMillis);
        TrailFormat.writeXid(a, xid);
        a.shortString(table);
    }

    /**
     * Same, calling {@code afterRecord} with each change once its record is in {@code w}, so a caller can drain
     * {@code w} while a transaction too large for the heap ({@link io.redotrail.core.StreamedChanges}) streams
     * through, and count what it wrote without reading the changes a second time.
     */
    public static void writeTransaction(BinaryWriter w, Transaction tx, Consumer<RowChange> afterRecord) {
        write(w, tx, afterRecord, PLAIN);
    }

    private static void write(BinaryWriter w, Transaction tx, Consumer<RowChange> afterRecord, Encoder encoder) {
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
            encoder.writeChange(w, tx, c);
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

    /** Decodes a ROW body (after the type byte); encrypted images stay sealed ({@link RowChange#sealed()}). */
    public static Row read(BinaryReader r) {
        return read(r, (RecordOpener) null);
    }

    /**
     * Decodes a ROW body (after the type byte) as {@link #read(BinaryReader, RecordOpener)} with a new opener over
     * {@code keys}, or none when {@code keys} is null (logdump: one record; a reader keeps its opener instead).
     */
    public static Row read(BinaryReader r, TrailKeys keys) {
        return read(r, keys == null ? null : new RecordOpener(keys));
    }

    /**
     * Decodes a ROW body (after the type byte) read from a trail file at {@code r}'s base minus 5 (the RBA of the
     * record). With {@code opener} encrypted images are decrypted (a missing or wrong key is a
     * {@link io.redotrail.trail.crypto.TrailKeyException} naming file, seqno, RBA and key name); without, they stay
     * sealed in the returned change.
     */
    public static Row read(BinaryReader r, RecordOpener opener) {
        return read(r, opener, null);
    }

    /**
     * {@link #read(BinaryReader, RecordOpener)}, table and column names from {@code names} (a reader's own; null:
     * decoded per record).
     */
    public static Row read(BinaryReader r, RecordOpener opener, NameCache names) {
        return read(r, opener, names, false);
    }

    /**
     * {@link #read(BinaryReader, RecordOpener, NameCache)}; with {@code keepEncoded} images in the clear are checked but
     * kept as their bytes, decoded only if something reads their values (a pump writes them back as they are).
     */
    public static Row read(BinaryReader r, RecordOpener opener, NameCache names, boolean keepEncoded) {
        long recordRba = r.absolutePosition() - 5;
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
        RowChange change = ValueCodec.readChangeBody(r, op, names, keepEncoded);
        if (r.remaining() != 0) throw r.corrupt(r.remaining() + " unexpected bytes after row record body");
        if (change.isSealed() && opener != null) change = open(change, csn, ts, xid, opener, r.file(), recordRba);
        return new Row(ind, csn, ts, xid, thread, start, change);
    }

    /**
     * The clear form of sealed change {@code c} of the transaction with {@code csn}, {@code commitMillis} and
     * {@code xid}, read from {@code file} at {@code rba} (for messages).
     */
    public static RowChange open(RowChange c, long csn, long commitMillis, Xid xid, RecordOpener opener, Path file, long rba) {
        BinaryWriter a = new BinaryWriter(64 + c.table().length() * 3);
        aad(a, c.op().ioType(), csn, commitMillis, xid, c.table());
        byte[] plain = opener.open(c.sealed().bytes(), a.array(), a.position(), file, rba);
        BinaryReader p = new BinaryReader(plain, 0, plain.length, file, rba);
        RowChange open = ValueCodec.readImages(p, c.table(), c.op(), p.u8("image mask"));
        if (p.remaining() != 0) throw p.corrupt(p.remaining() + " unexpected bytes after the decrypted images");
        return open;
    }
}
