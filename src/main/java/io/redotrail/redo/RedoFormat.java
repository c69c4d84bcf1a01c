package io.redotrail.redo;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.NameCache;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.ValueCodec;
import io.redotrail.core.Xid;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Encoding of redo log files, format version 2 (version 1 files, which have no heartbeat records, are still read;
 * specified in docs/redo-format.md; keep both in step).
 * <pre>
 * RBA 0    header, 512 bytes: i32 magic "RDLG", u16 format version, u16 thread, i64 sequence, i64 first SCN,
 *          i64 creation millis, i64 max size, u16-length UTF-8 db name, zero padding, u32 CRC-32C of [0,508) at 508
 * RBA 512  records: u32 payload length, u32 CRC-32C of payload, payload
 * payload  u8 op, u16 thread, i64 sequence, i32 xid.usn, i32 xid.slot, i64 xid.sqn, i64 SCN, i64 timestamp millis,
 *          u8 flags (bit 0 = first change of its transaction), then
 *          row change (op 1-4): u16-length table, u8 ChangeOp IOType, u8 image mask (1 before, 2 after), images;
 *          end of log (op 100): i64 next sequence, i64 next SCN
 *          heartbeat (op 101, version 2): nothing more; its SCN is the thread's watermark
 * </pre>
 * Stateless and thread-safe.
 */
public final class RedoFormat {
    // big-endian ints read in place: checkFrame runs for every record, a ByteBuffer per call showed in profiles
    private static final java.lang.invoke.VarHandle I32 =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

    public static final int MAGIC = 0x52444C47; // "RDLG"
    public static final int FORMAT_VERSION = 2;
    /** Oldest format version this build still reads (version 1 = no heartbeat records). */
    public static final int MIN_FORMAT_VERSION = 1;
    public static final int HEADER_SIZE = 512;
    public static final int FRAME_OVERHEAD = 8;
    public static final int OP_END_OF_LOG = 100;
    /**
     * Heartbeat (format version 2): "every record of this thread with an SCN at or below this record's SCN is
     * before this record". Written by a writer whose thread fell behind the global SCN; no XID, no row change.
     */
    public static final int OP_HEARTBEAT = 101;
    public static final int FLAG_FIRST = 1;
    /** Payload bytes before any op-specific part. */
    public static final int FIXED_PAYLOAD = 1 + 2 + 8 + 4 + 4 + 8 + 8 + 8 + 1;
    /** On-disk size of an end-of-log record; the writer always keeps this much room for it. */
    public static final int END_OF_LOG_SIZE = FRAME_OVERHEAD + FIXED_PAYLOAD + 16;
    /** On-disk size of a heartbeat record. */
    public static final int HEARTBEAT_SIZE = FRAME_OVERHEAD + FIXED_PAYLOAD;

    /** {@link #checkFrame} results other than a record length. */
    public static final int INCOMPLETE = -1, BAD_LENGTH = -2, BAD_CRC = -3;

    private RedoFormat() {
    }

    public static Path onlineLog(Path redoDir, int thread, int group) {
        return redoDir.resolve("redo_" + thread + "_" + group + ".log");
    }

    public static Path archivedLog(Path archiveDir, int thread, long sequence) {
        return archiveDir.resolve(thread + "_" + sequence + ".arc");
    }

    public static Path controlFile(Path redoDir) {
        return redoDir.resolve("control");
    }

    public static byte[] encodeHeader(LogHeader h) {
        BinaryWriter w = new BinaryWriter(HEADER_SIZE);
        w.i32(MAGIC).i16(h.formatVersion()).i16(h.thread()).i64(h.sequence()).i64(h.firstScn().value())
                .i64(h.creationMillis()).i64(h.maxSize()).shortString(h.dbName());
        if (w.position() > HEADER_SIZE - 4) throw new IllegalArgumentException("db name too long: " + h.dbName());
        byte[] out = new byte[HEADER_SIZE];
        System.arraycopy(w.array(), 0, out, 0, w.position());
        CRC32C c = new CRC32C();
        c.update(out, 0, HEADER_SIZE - 4);
        ByteBuffer.wrap(out).putInt(HEADER_SIZE - 4, (int) c.getValue());
        return out;
    }

    /** Decodes a header; {@code len} below 512 or a bad magic/CRC/version is a CorruptFileException at RBA 0. */
    public static LogHeader decodeHeader(byte[] b, int len, Path file) {
        if (len < HEADER_SIZE) throw new CorruptFileException(file, len, "redo log header is " + len + " bytes, expected " + HEADER_SIZE);
        CRC32C c = new CRC32C();
        c.update(b, 0, HEADER_SIZE - 4);
        if ((int) c.getValue() != ByteBuffer.wrap(b).getInt(HEADER_SIZE - 4)) {
            throw new CorruptFileException(file, HEADER_SIZE - 4, "redo log header CRC mismatch");
        }
        BinaryReader r = new BinaryReader(b, 0, HEADER_SIZE - 4, file, 0);
        int magic = r.i32("magic");
        if (magic != MAGIC) throw new CorruptFileException(file, 0, "not a redo log (magic " + Integer.toHexString(magic) + ")");
        int version = r.u16("format version");
        if (version < MIN_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw new CorruptFileException(file, 4, "unsupported redo format version " + version + " (this build reads "
                    + MIN_FORMAT_VERSION + " to " + FORMAT_VERSION + ")");
        }
        return new LogHeader(version, r.u16("thread"), r.i64("sequence"), Scn.of(r.i64("first SCN")),
                r.i64("creation time"), r.i64("max size"), r.shortString("db name"));
    }

    /**
     * Appends one framed record to {@code w} (at its current position) and returns the frame's size.
     * {@code change} must be null unless {@code opCode} is a row change.
     */
    public static int encodeRecord(BinaryWriter w, int opCode, int thread, long sequence, Xid xid, Scn scn,
                                   long tsMillis, boolean first, RowChange change, long nextSequence, Scn nextScn) {
        int start = w.position();
        w.i32(0).i32(0);
        w.u8(opCode).i16(thread).i64(sequence);
        if (xid == null) w.i32(0).i32(0).i64(0);
        else w.i32(xid.usn()).i32(xid.slot()).i64(xid.sqn());
        w.i64(scn.value()).i64(tsMillis).u8(first ? FLAG_FIRST : 0);
        if (change != null) {
            w.shortString(change.table()).u8(change.op().ioType())
                    .u8((change.before() != null ? 1 : 0) | (change.after() != null ? 2 : 0));
            if (change.before() != null) ValueCodec.writeImage(w, change.before());
            if (change.after() != null) ValueCodec.writeImage(w, change.after());
        } else if (opCode == OP_END_OF_LOG) {
            w.i64(nextSequence).i64(nextScn.value());
        }
        int payload = w.position() - start - FRAME_OVERHEAD;
        w.putI32At(start, payload);
        CRC32C c = new CRC32C();
        c.update(w.array(), start + FRAME_OVERHEAD, payload);
        w.putI32At(start + 4, (int) c.getValue());
        return payload + FRAME_OVERHEAD;
    }

    /**
     * Checks the frame at {@code off}: its total size when complete with a matching CRC, else
     * {@link #INCOMPLETE}, {@link #BAD_LENGTH} (zero, or longer than {@code maxPayload}) or {@link #BAD_CRC}.
     */
    public static int checkFrame(byte[] b, int off, int avail, long maxPayload) {
        if (avail < FRAME_OVERHEAD) return INCOMPLETE;
        int len = (int) I32.get(b, off);
        if (len < FIXED_PAYLOAD || len > maxPayload) return BAD_LENGTH;
        if (avail < FRAME_OVERHEAD + len) return INCOMPLETE;
        CRC32C c = new CRC32C();
        c.update(b, off + FRAME_OVERHEAD, len);
        if ((int) c.getValue() != (int) I32.get(b, off + 4)) return BAD_CRC;
        return FRAME_OVERHEAD + len;
    }

    public static String describe(int status) {
        return switch (status) {
            case INCOMPLETE -> "incomplete record";
            case BAD_LENGTH -> "invalid record length";
            case BAD_CRC -> "record CRC mismatch";
            default -> "record of " + status + " bytes";
        };
    }

    /** Decodes the payload of a frame already accepted by {@link #checkFrame}; {@code rba} is where the frame starts. */
    public static Decoded decode(byte[] b, int off, int frameSize, Path file, long rba) {
        return decode(b, off, frameSize, file, rba, new NameCache());
    }

    /**
     * As {@link #decode(byte[], int, int, Path, long)}, the table name through {@code names}. Row images are
     * checked but kept encoded ({@link ValueCodec#readEncodedImages}): decoded only if something reads their values.
     */
    public static Decoded decode(byte[] b, int off, int frameSize, Path file, long rba, NameCache names) {
        BinaryReader r = new BinaryReader(b, off + FRAME_OVERHEAD, frameSize - FRAME_OVERHEAD, file, rba + FRAME_OVERHEAD);
        Decoded d = new Decoded();
        d.opCode = r.u8("op code");
        d.thread = r.u16("thread");
        d.sequence = r.i64("sequence");
        int usn = r.i32("xid usn");
        int slot = r.i32("xid slot");
        long sqn = r.i64("xid sqn");
        d.xid = new Xid(usn, slot, sqn);
        long scn = r.i64("SCN");
        if (scn < 0) throw r.corrupt("negative SCN " + scn);
        d.scn = Scn.of(scn);
        d.timestampMillis = r.i64("timestamp");
        d.first = (r.u8("flags") & FLAG_FIRST) != 0;
        if (d.opCode == OP_HEARTBEAT) {
            // nothing more: the SCN is the watermark
        } else if (d.opCode == OP_END_OF_LOG) {
            d.nextSequence = r.i64("next sequence");
            long next = r.i64("next SCN");
            if (next < 0) throw r.corrupt("negative next SCN " + next);
            d.nextScn = Scn.of(next);
        } else {
            d.op = RedoOp.ofCode(d.opCode);
            if (d.op == null) throw r.corrupt("unknown redo op code " + d.opCode);
            if (d.op.isRowChange()) {
                String table = r.shortString("table name", names);
                int io = r.u8("change op");
                ChangeOp cop;
                try {
                    cop = ChangeOp.ofIoType(io);
                } catch (IllegalArgumentException e) {
                    throw r.corrupt("unknown change op " + io);
                }
                int mask = r.u8("image mask");
                RowImage[] images = ValueCodec.readEncodedImages(r, mask);
                RowImage before = images[0];
                RowImage after = images[1];
                try {
                    d.change = new RowChange(table, cop, before, after);
                } catch (IllegalArgumentException e) {
                    throw r.corrupt(e.getMessage());
                }
            }
        }
        if (r.remaining() != 0) throw r.corrupt(r.remaining() + " unexpected bytes after the record");
        return d;
    }

    /** A decoded record; {@code op} is null for the end-of-log and heartbeat records. */
    public static final class Decoded {
        public int opCode;
        public RedoOp op;
        public int thread;
        public long sequence;
        public Xid xid;
        public Scn scn;
        public long timestampMillis;
        public boolean first;
        public RowChange change;
        public long nextSequence;
        public Scn nextScn;

        public boolean isEndOfLog() {
            return opCode == OP_END_OF_LOG;
        }

        public boolean isHeartbeat() {
            return opCode == OP_HEARTBEAT;
        }
    }

    /** Maps a redo op to the row operation its change must carry (null for COMMIT/ROLLBACK). */
    public static ChangeOp changeOpOf(RedoOp op) {
        return switch (op) {
            case INSERT -> ChangeOp.INSERT;
            case UPDATE -> ChangeOp.UPDATE;
            case DELETE -> ChangeOp.DELETE;
            case PK_UPDATE -> ChangeOp.PK_UPDATE;
            default -> null;
        };
    }
}
