package io.redotrail.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Encoding of column values and row images, shared by the redo and trail formats (docs/redo-format.md,
 * docs/trail-format.md, section "Values"). One tag byte, then the value:
 * <pre>
 * 0 NULL
 * 1 LONG       i64
 * 2 DECIMAL    i32 scale, i32 n, n bytes two's-complement unscaled value (full precision)
 * 3 STRING     i32 n, n bytes UTF-8
 * 4 TIMESTAMP  i64 epoch second (as UTC wall clock), i32 nanos
 * 5 DATE       i64 epoch day
 * 6 BYTES      i32 n, n bytes
 * 7 DOUBLE     i64 IEEE-754 bits
 * 8 BOOLEAN    u8 0/1
 * </pre>
 * A row image is {@code u16 column count} then per column {@code u16-length UTF-8 name, value}.
 */
public final class ValueCodec {
    public static final int NULL = 0, LONG = 1, DECIMAL = 2, STRING = 3, TIMESTAMP = 4, DATE = 5, BYTES = 6,
            DOUBLE = 7, BOOLEAN = 8;

    private ValueCodec() {
    }

    public static void writeValue(BinaryWriter w, Object v) {
        if (v == null) {
            w.u8(NULL);
        } else if (v instanceof Long l) {
            w.u8(LONG).i64(l);
        } else if (v instanceof Integer i) {
            w.u8(LONG).i64(i);
        } else if (v instanceof Short s) {
            w.u8(LONG).i64(s);
        } else if (v instanceof BigDecimal d) {
            w.u8(DECIMAL).i32(d.scale()).blob(d.unscaledValue().toByteArray());
        } else if (v instanceof BigInteger b) {
            w.u8(DECIMAL).i32(0).blob(b.toByteArray());
        } else if (v instanceof String s) {
            w.u8(STRING).string(s);
        } else if (v instanceof LocalDateTime t) {
            w.u8(TIMESTAMP).i64(t.toEpochSecond(ZoneOffset.UTC)).i32(t.getNano());
        } else if (v instanceof java.sql.Timestamp t) {
            writeValue(w, t.toLocalDateTime());
        } else if (v instanceof LocalDate d) {
            w.u8(DATE).i64(d.toEpochDay());
        } else if (v instanceof java.sql.Date d) {
            writeValue(w, d.toLocalDate());
        } else if (v instanceof byte[] b) {
            w.u8(BYTES).blob(b);
        } else if (v instanceof Double d) {
            w.u8(DOUBLE).i64(Double.doubleToRawLongBits(d));
        } else if (v instanceof Float f) {
            w.u8(DOUBLE).i64(Double.doubleToRawLongBits(f.doubleValue()));
        } else if (v instanceof Boolean b) {
            w.u8(BOOLEAN).u8(b ? 1 : 0);
        } else {
            throw new IllegalArgumentException("unsupported column value type " + v.getClass().getName());
        }
    }

    public static Object readValue(BinaryReader r) {
        return readValue(r, r.u8("value tag"));
    }

    private static Object readValue(BinaryReader r, int tag) {
        return switch (tag) {
            case NULL -> null;
            case LONG -> r.i64("LONG value");
            case DECIMAL -> {
                int scale = r.i32("DECIMAL scale");
                byte[] unscaled = r.blob("DECIMAL digits");
                if (unscaled.length == 0) throw r.corrupt("DECIMAL with no digits");
                // up to 8 bytes of two's complement are a long: no BigInteger to build (its constructor was a sixth
                // of the JFR samples of the parallel Replicat's trail read-ahead)
                if (unscaled.length <= Long.BYTES) yield BigDecimal.valueOf(unscaledLong(unscaled), scale);
                yield new BigDecimal(new BigInteger(unscaled), scale);
            }
            case STRING -> r.string("STRING value");
            case TIMESTAMP -> {
                long sec = r.i64("TIMESTAMP seconds");
                int nanos = r.i32("TIMESTAMP nanos");
                if (nanos < 0 || nanos > 999_999_999) throw r.corrupt("TIMESTAMP nanos out of range: " + nanos);
                if (sec < MIN_SECOND || sec > MAX_SECOND) throw r.corrupt("TIMESTAMP seconds out of range: " + sec);
                yield LocalDateTime.ofEpochSecond(sec, nanos, ZoneOffset.UTC);
            }
            case DATE -> {
                long day = r.i64("DATE day");
                if (day < MIN_DAY || day > MAX_DAY) throw r.corrupt("DATE day out of range: " + day);
                yield LocalDate.ofEpochDay(day);
            }
            case BYTES -> r.blob("BYTES value");
            case DOUBLE -> Double.longBitsToDouble(r.i64("DOUBLE value"));
            case BOOLEAN -> r.u8("BOOLEAN value") != 0;
            default -> throw r.corrupt("unknown value tag " + tag);
        };
    }

    /** A big-endian two's-complement number of 1 to 8 bytes (BigInteger.toByteArray's form) as a long. */
    static long unscaledLong(byte[] b) {
        long v = b[0]; // sign-extended
        for (int i = 1; i < b.length; i++) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    public static void writeImage(BinaryWriter w, RowImage img) {
        // read from redo and checked there: the same bytes, not decoded and encoded again
        if (img.writeEncoded(w)) return;
        w.i16(img.size());
        for (int i = 0; i < img.size(); i++) {
            w.shortString(img.column(i));
            writeValue(w, img.value(i));
        }
    }

    public static RowImage readImage(BinaryReader r) {
        return readImage(r, null);
    }

    /** {@link #readImage(BinaryReader)}, column names from {@code names} (null: decoded here): one String per name, not per row. */
    public static RowImage readImage(BinaryReader r, NameCache names) {
        int n = r.u16("column count");
        String[] cols = new String[n];
        Object[] vals = new Object[n];
        for (int i = 0; i < n; i++) {
            cols[i] = names == null ? r.shortString("column name") : r.shortString("column name", names);
            vals[i] = readValue(r);
        }
        return new RowImage(cols, vals);
    }

    /**
     * The before and after images (per bits 0 and 1 of {@code mask}, already read) at {@code r}, checked as {@link #readImage}
     * checks them (every length, tag, DECIMAL digits, TIMESTAMP nanos: a bad one is a {@link CorruptFileException}
     * at its position now) but kept as their bytes, one copy for both, and decoded only when read
     * ({@link RowImage#encoded}). What the extract copies to the trail is never decoded. Returns {before, after},
     * null where absent.
     */
    public static RowImage[] readEncodedImages(BinaryReader r, int mask) {
        byte[] a = r.array();
        int start = r.arrayIndex();
        int end = r.arrayEnd();
        int mid = (mask & 1) != 0 ? scanImage(a, start, end) : start;
        int stop = mid < 0 ? -1 : (mask & 2) != 0 ? scanImage(a, mid, end) : mid;
        if (stop < 0) {
            // the fast scan found something wrong: the checked walk says what, and where
            if ((mask & 1) != 0) skipImage(r);
            if ((mask & 2) != 0) skipImage(r);
            throw new IllegalStateException("row images at " + r.file() + " position " + r.absolutePosition()
                    + " failed the fast scan but passed the checked one");
        }
        long at = r.absolutePosition();
        byte[] copy = Arrays.copyOfRange(a, start, stop);
        r.skip(stop - start, "row images");
        Path file = r.file();
        return new RowImage[]{
                (mask & 1) != 0 ? RowImage.encoded(copy, 0, mid - start, file, at) : null,
                (mask & 2) != 0 ? RowImage.encoded(copy, mid - start, stop - mid, file, at + (mid - start)) : null};
    }

    /**
     * The end index of the image at {@code a[p, end)} if it is well formed (as {@link #readImage} would accept it),
     * else -1. No allocation, no messages: the hot path of {@link #readEncodedImages}.
     */
    private static int scanImage(byte[] a, int p, int end) {
        if (end - p < 2) return -1;
        int n = u16(a, p);
        p += 2;
        for (int i = 0; i < n; i++) {
            if (end - p < 2) return -1;
            p += 2 + u16(a, p);
            if (end - p < 1) return -1;
            int tag = a[p++] & 0xFF;
            int room = end - p;
            switch (tag) {
                case NULL -> {
                }
                case LONG, DOUBLE -> {
                    if (room < 8) return -1;
                    p += 8;
                }
                case DATE -> {
                    // the ranges readValue accepts: a pump that passes the bytes on must refuse what it would
                    if (room < 8) return -1;
                    long day = i64(a, p);
                    if (day < MIN_DAY || day > MAX_DAY) return -1;
                    p += 8;
                }
                case BOOLEAN -> {
                    if (room < 1) return -1;
                    p += 1;
                }
                case DECIMAL -> {
                    if (room < 8) return -1;
                    int digits = i32(a, p + 4);
                    if (digits <= 0 || digits > room - 8) return -1;
                    p += 8 + digits;
                }
                case STRING, BYTES -> {
                    if (room < 4) return -1;
                    int len = i32(a, p);
                    if (len < 0 || len > room - 4) return -1;
                    p += 4 + len;
                }
                case TIMESTAMP -> {
                    if (room < 12) return -1;
                    int nanos = i32(a, p + 8);
                    if (nanos < 0 || nanos > 999_999_999) return -1;
                    long sec = i64(a, p);
                    if (sec < MIN_SECOND || sec > MAX_SECOND) return -1;
                    p += 12;
                }
                default -> {
                    return -1;
                }
            }
        }
        return p;
    }

    private static final long MIN_DAY = LocalDate.MIN.toEpochDay();
    private static final long MAX_DAY = LocalDate.MAX.toEpochDay();
    private static final long MIN_SECOND = LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC);
    private static final long MAX_SECOND = LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);

    private static long i64(byte[] a, int p) {
        return ((long) i32(a, p) << 32) | (i32(a, p + 4) & 0xFFFF_FFFFL);
    }

    private static int u16(byte[] a, int p) {
        return ((a[p] & 0xFF) << 8) | (a[p + 1] & 0xFF);
    }

    private static int i32(byte[] a, int p) {
        return (a[p] << 24) | ((a[p + 1] & 0xFF) << 16) | ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
    }

    /** Steps over a row image with every check of {@link #readImage}, failing as it would. */
    private static void skipImage(BinaryReader r) {
        int n = r.u16("column count");
        for (int i = 0; i < n; i++) {
            r.skip(r.u16("column name length"), "column name");
            skipValue(r);
        }
    }

    /** Steps over one value, with the checks of {@link #readValue}. */
    private static void skipValue(BinaryReader r) {
        int tag = r.u8("value tag");
        switch (tag) {
            case NULL -> {
            }
            case LONG -> r.skip(8, "LONG value");
            case DECIMAL -> {
                r.skip(4, "DECIMAL scale");
                int n = r.i32("DECIMAL digits length");
                if (n == 0) throw r.corrupt("DECIMAL with no digits");
                r.skip(n, "DECIMAL digits");
            }
            case STRING -> r.skip(r.i32("STRING value length"), "STRING value");
            case TIMESTAMP, DATE -> readValue(r, tag); // their ranges are checked on the decoded numbers
            case BYTES -> r.skip(r.i32("BYTES value length"), "BYTES value");
            case DOUBLE -> r.skip(8, "DOUBLE value");
            case BOOLEAN -> r.skip(1, "BOOLEAN value");
            default -> throw r.corrupt("unknown value tag " + tag);
        }
    }

    /**
     * The part of a row change every format stores the same way: {@code u16-length UTF-8 OWNER.TABLE}, {@code u8}
     * image mask (bit 0 before, bit 1 after), then the images. The operation is stored by each format itself.
     */
    public static void writeChangeBody(BinaryWriter w, RowChange c) {
        writeChangeBody(w, c, null);
    }

    /** {@link #writeChangeBody(BinaryWriter, RowChange)}, the table name's bytes from {@code names} (null: encoded here). */
    public static void writeChangeBody(BinaryWriter w, RowChange c, NameCache names) {
        if (names == null) w.shortString(c.table());
        else w.shortString(c.table(), names);
        if (c.isSealed()) {
            w.u8(SEALED).blob(c.sealed().bytes());
        } else {
            writeImages(w, c);
        }
    }

    /** The image mask and the images of a change in the clear: what a sealed change encrypts. */
    public static void writeImages(BinaryWriter w, RowChange c) {
        w.u8((c.before() != null ? 1 : 0) | (c.after() != null ? 2 : 0));
        if (c.before() != null) writeImage(w, c.before());
        if (c.after() != null) writeImage(w, c.after());
    }

    /** Image mask value of a change whose images are sealed: {@code i32 n + n bytes} ({@link SealedImages}) follow. */
    public static final int SEALED = 0x80;

    public static RowChange readChangeBody(BinaryReader r, ChangeOp op) {
        return readChangeBody(r, op, null);
    }

    /** {@link #readChangeBody(BinaryReader, ChangeOp)}, table and column names from {@code names} (null: decoded here). */
    public static RowChange readChangeBody(BinaryReader r, ChangeOp op, NameCache names) {
        return readChangeBody(r, op, names, false);
    }

    /**
     * {@link #readChangeBody(BinaryReader, ChangeOp, NameCache)}; with {@code keepEncoded} the images are checked but
     * kept as their bytes ({@link #readEncodedImages}): a reader that only copies them on (a pump) never decodes them.
     */
    public static RowChange readChangeBody(BinaryReader r, ChangeOp op, NameCache names, boolean keepEncoded) {
        String table = names == null ? r.shortString("table name") : r.shortString("table name", names);
        int mask = r.u8("image mask");
        if (mask == SEALED) {
            byte[] sealed = r.blob("sealed images");
            if (sealed.length == 0) throw r.corrupt("empty sealed images");
            return RowChange.sealed(table, op, new SealedImages(sealed));
        }
        if (!keepEncoded) return readImages(r, table, op, mask, names);
        if (mask > 3) throw r.corrupt("bad image mask " + mask);
        RowImage[] images = readEncodedImages(r, mask);
        return change(r, table, op, images[0], images[1]);
    }

    /** The images after a mask byte {@code mask} (0..3) already read: the rest of {@link #readChangeBody}. */
    public static RowChange readImages(BinaryReader r, String table, ChangeOp op, int mask) {
        return readImages(r, table, op, mask, null);
    }

    private static RowChange readImages(BinaryReader r, String table, ChangeOp op, int mask, NameCache names) {
        if (mask > 3) throw r.corrupt("bad image mask " + mask);
        RowImage before = (mask & 1) != 0 ? readImage(r, names) : null;
        RowImage after = (mask & 2) != 0 ? readImage(r, names) : null;
        return change(r, table, op, before, after);
    }

    private static RowChange change(BinaryReader r, String table, ChangeOp op, RowImage before, RowImage after) {
        try {
            return new RowChange(table, op, before, after);
        } catch (IllegalArgumentException e) {
            throw r.corrupt(e.getMessage());
        }
    }

    /** Value equality as the target database sees it: decimals compare by value, arrays by content. */
    public static boolean sameValue(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y) == 0;
        if (a instanceof byte[] x && b instanceof byte[] y) return Arrays.equals(x, y);
        return a.equals(b);
    }

    /** Canonical text of a value, used for row checksums and messages: equal values give equal text. */
    public static String display(Object v) {
        if (v == null) return "NULL";
        if (v instanceof BigDecimal d) return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        if (v instanceof byte[] b) return "0x" + HexFormat.of().formatHex(b);
        if (v instanceof java.sql.Timestamp t) return t.toLocalDateTime().toString();
        if (v instanceof java.sql.Date d) return d.toLocalDate().toString();
        if (v instanceof Integer || v instanceof Short) return Long.toString(((Number) v).longValue());
        return v.toString();
    }
}
