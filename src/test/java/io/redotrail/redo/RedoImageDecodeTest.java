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
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Row images read from redo are kept as their bytes (checked, decoded only when read): they must decode to the
 * values written, be written to a trail as the very bytes an eager decode and encode would give, and fail on bad
 * bytes at read time with the same error, at the same position, as the eager decode.
 */
class RedoImageDecodeTest {
    private static final Path FILE = Path.of("redo_1_1.log");
    private static final long RBA = 512;

    private static final RowImage BEFORE = new RowImage(new String[]{"ID", "NAME", "PRICE", "AT", "DAY", "RAW", "RATE", "OK", "NOTE"},
            new Object[]{7L, "Zoë", new BigDecimal("-12.345"), LocalDateTime.of(2026, 12, 3, 8, 15, 30, 123_000_000),
                    LocalDate.of(2026, 12, 3), new byte[]{1, 2, 3}, 0.25, true, null});
    private static final RowImage AFTER = new RowImage(new String[]{"ID", "NAME"}, new Object[]{7L, "Zoé"});

    private static byte[] frame(RowChange c) {
        BinaryWriter w = new BinaryWriter();
        RedoFormat.encodeRecord(w, RedoOp.UPDATE.code(), 1, 1, new Xid(1, 2, 3), Scn.of(42), 1_000, true, c, 0, null);
        return w.toByteArray();
    }

    @Test
    void imagesDecodeToTheirValuesAndAreWrittenAsTheSameBytes() {
        RowChange c = new RowChange("HR.EMP", ChangeOp.UPDATE, BEFORE, AFTER);
        byte[] f = frame(c);
        NameCache names = new NameCache();
        RowChange read = RedoFormat.decode(f, 0, f.length, FILE, RBA, names).change;
        RowChange again = RedoFormat.decode(f, 0, f.length, FILE, RBA, names).change;
        assertSame(read.table(), again.table(), "the table name decoded once");

        BinaryWriter lazy = new BinaryWriter();
        ValueCodec.writeImages(lazy, read); // before any value was read: the bytes as they are
        BinaryWriter eager = new BinaryWriter();
        ValueCodec.writeImages(eager, c);
        assertArrayEquals(eager.toByteArray(), lazy.toByteArray());

        assertEquals(BEFORE, read.before());
        assertEquals(AFTER, read.after());
        assertEquals("Zoë", read.before().get("NAME"));
        assertArrayEquals(new byte[]{1, 2, 3}, (byte[]) read.before().get("RAW"));
        BinaryWriter afterRead = new BinaryWriter();
        ValueCodec.writeImages(afterRead, read);
        assertArrayEquals(eager.toByteArray(), afterRead.toByteArray(), "decoding does not change what is written");
    }

    /** Where the after image starts in {@link #frame} of an INSERT of {@code img} on HR.EMP. */
    private static int afterImageOffset() {
        return RedoFormat.FRAME_OVERHEAD + RedoFormat.FIXED_PAYLOAD + 2 + "HR.EMP".length() + 1 + 1;
    }

    /** An INSERT frame whose after image is {@code cols} and values, then mangled by {@code corrupt} (image bytes). */
    private static byte[] insertFrame(RowImage img, Consumer<byte[]> corruptImage) {
        BinaryWriter w = new BinaryWriter();
        RedoFormat.encodeRecord(w, RedoOp.INSERT.code(), 1, 1, new Xid(1, 2, 3), Scn.of(42), 1_000, true,
                new RowChange("HR.EMP", ChangeOp.INSERT, null, img), 0, null);
        byte[] f = w.toByteArray();
        byte[] image = Arrays.copyOfRange(f, afterImageOffset(), f.length);
        corruptImage.accept(image);
        System.arraycopy(image, 0, f, afterImageOffset(), image.length);
        return f;
    }

    private static void sameErrorAsEagerDecode(byte[] f) {
        int at = afterImageOffset();
        CorruptFileException eager = assertThrows(CorruptFileException.class,
                () -> ValueCodec.readImage(new BinaryReader(f, at, f.length - at, FILE, RBA + at)));
        CorruptFileException lazy = assertThrows(CorruptFileException.class,
                () -> RedoFormat.decode(f, 0, f.length, FILE, RBA, new NameCache()));
        assertEquals(eager.getMessage(), lazy.getMessage());
    }

    @Test
    void badValuesFailWhenReadWithTheEagerDecodesErrorAndPosition() {
        RowImage one = new RowImage(new String[]{"V"}, new Object[]{"abc"});
        int tag = 2 + 2 + 1; // column count, name length, name "V"
        sameErrorAsEagerDecode(insertFrame(one, b -> b[tag] = 42)); // unknown value tag
        sameErrorAsEagerDecode(insertFrame(one, b -> b[tag + 1] = (byte) 0x80)); // negative string length
        sameErrorAsEagerDecode(insertFrame(one, b -> b[tag + 4] = 100)); // string longer than the record
        sameErrorAsEagerDecode(insertFrame(one, b -> b[1] = 2)); // a column more than there are bytes for
        sameErrorAsEagerDecode(insertFrame(one, b -> b[3] = 9)); // column name longer than the record

        RowImage dec = new RowImage(new String[]{"V"}, new Object[]{new BigDecimal("1.5")});
        // DECIMAL: scale i32, digits i32 + bytes; a digit count of 0 is "DECIMAL with no digits"
        sameErrorAsEagerDecode(insertFrame(dec, b -> {
            b[tag + 5] = 0;
            b[tag + 6] = 0;
            b[tag + 7] = 0;
            b[tag + 8] = 0;
        }));
        RowImage ts = new RowImage(new String[]{"V"}, new Object[]{LocalDateTime.of(2026, 1, 1, 0, 0)});
        sameErrorAsEagerDecode(insertFrame(ts, b -> b[tag + 9] = 0x7F)); // nanos out of range
        sameErrorAsEagerDecode(insertFrame(ts, b -> b[tag + 1] = 0x7F)); // seconds beyond LocalDateTime.MAX
        RowImage day = new RowImage(new String[]{"V"}, new Object[]{LocalDate.of(2026, 1, 1)});
        sameErrorAsEagerDecode(insertFrame(day, b -> b[tag + 1] = (byte) 0x80)); // day before LocalDate.MIN
    }
}
