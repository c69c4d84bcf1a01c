package io.redotrail.core;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Column names and values of one row image (before or after). Values are
 * {@code null}, {@link Long}, {@link java.math.BigDecimal}, {@link String}, {@link java.time.LocalDateTime},
 * {@link java.time.LocalDate}, {@link Double}, {@link Boolean} or {@code byte[]} — see {@link ValueCodec}.
 * Arrays are owned by the image; callers must not modify them. An image read from redo is held as its encoded
 * bytes and decoded on first use ({@link #encoded}); immutable either way, and safe to share between threads
 * (the decoded form is published through final fields, at worst decoded twice).
 * Jackson writes it in the change-event JSON form of docs/events.md (any ObjectMapper, e.g. behind {@code marshal: json}).
 */
@JsonSerialize(using = ChangeEventJson.ImageSerializer.class)
public final class RowImage {
    /** The decoded form; null until first needed when the image came as bytes. Final fields: safe to publish racily. */
    private record Decoded(String[] columns, Object[] values) {
    }

    private Decoded decoded;
    /**
     * The image as {@link ValueCodec#writeImage} writes it (already validated), or null: the extract copies an image
     * from redo to trail byte for byte, so it decodes column names and values only when something reads them.
     */
    private final byte[] encoded;
    private final int encodedOffset;
    private final int encodedLength;
    private final Path file;
    private final long base;

    public RowImage(String[] columns, Object[] values) {
        if (columns.length != values.length) {
            throw new IllegalArgumentException(columns.length + " columns but " + values.length + " values");
        }
        this.decoded = new Decoded(columns, values);
        this.encoded = null;
        this.encodedOffset = 0;
        this.encodedLength = 0;
        this.file = null;
        this.base = 0;
    }

    private RowImage(byte[] encoded, int offset, int length, Path file, long base) {
        this.encoded = encoded;
        this.encodedOffset = offset;
        this.encodedLength = length;
        this.file = file;
        this.base = base;
    }

    /**
     * An image held as its encoded bytes {@code encoded[offset, offset + length)} ({@link ValueCodec#writeImage}'s
     * form; the array is never modified again, and may hold the other image of the same change), which the caller
     * has validated ({@link ValueCodec#readEncodedImages}); decoded on first access to a column or value, written
     * back as these very bytes. {@code file} and {@code base}: where the bytes were read, for messages.
     */
    static RowImage encoded(byte[] encoded, int offset, int length, Path file, long base) {
        return new RowImage(encoded, offset, length, file, base);
    }

    /** Writes the encoded bytes and returns true, or returns false when the image was built from names and values. */
    boolean writeEncoded(BinaryWriter w) {
        if (encoded == null) return false;
        w.bytes(encoded, encodedOffset, encodedLength);
        return true;
    }

    private Decoded decoded() {
        Decoded d = decoded;
        if (d == null) {
            BinaryReader r = new BinaryReader(encoded, encodedOffset, encodedLength, file, base);
            RowImage img = ValueCodec.readImage(r);
            if (r.remaining() != 0) throw r.corrupt(r.remaining() + " unexpected bytes after a row image");
            d = img.decoded;
            decoded = d;
        }
        return d;
    }

    public int size() {
        return decoded().columns.length;
    }

    public String column(int i) {
        return decoded().columns[i];
    }

    public Object value(int i) {
        return decoded().values[i];
    }

    public String[] columns() {
        return decoded().columns;
    }

    public Object[] values() {
        return decoded().values;
    }

    /** Index of a column (case-sensitive, names are stored upper case), or -1. */
    public int indexOf(String column) {
        String[] columns = columns();
        // names read from a trail and from the target's catalog are NameCache.canonical: the same instance
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] == column) return i;
        }
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equals(column)) return i;
        }
        return -1;
    }

    public Object get(String column) {
        int i = indexOf(column);
        return i < 0 ? null : values()[i];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RowImage r)) return false;
        String[] columns = columns();
        Object[] values = values();
        if (!Arrays.equals(columns, r.columns()) || values.length != r.values().length) return false;
        for (int i = 0; i < values.length; i++) {
            if (!ValueCodec.sameValue(values[i], r.values()[i])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(columns()), size());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        String[] columns = columns();
        Object[] values = values();
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(columns[i]).append('=').append(ValueCodec.display(values[i]));
        }
        return sb.append('}').toString();
    }
}
