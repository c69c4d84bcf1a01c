package io.redotrail.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a transaction and its row changes, version {@value #VERSION} (docs/events.md). Jackson finds
 * the serializers through {@code @JsonSerialize} on {@link Transaction}, {@link RowChange} and {@link RowImage},
 * so any ObjectMapper — camel-jackson's default one behind {@code marshal: json} too — writes this form without
 * registration. The changes are written one by one through the generator: a spilled transaction
 * ({@link StreamedChanges}) is streamed, never held whole. {@link #parseTransaction} reads the form back with the
 * exact Java value types of {@link ValueCodec}.
 */
public final class ChangeEventJson {
    public static final int VERSION = 1;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private ChangeEventJson() {
    }

    public static final class TransactionSerializer extends StdSerializer<Transaction> {
        public TransactionSerializer() {
            super(Transaction.class);
        }

        @Override
        public void serialize(Transaction t, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("xid", t.xid().toString());
            g.writeNumberField("csn", t.csn().value());
            g.writeStringField("commitTimestamp", Instant.ofEpochMilli(t.commitTimestampMillis()).toString());
            g.writeNumberField("commitTimestampMillis", t.commitTimestampMillis());
            g.writeNumberField("thread", t.thread());
            g.writeFieldName("trailPosition");
            if (t.trailStart() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeNumberField("seqno", t.trailStart().seqno());
                g.writeNumberField("rba", t.trailStart().rba());
                g.writeEndObject();
            }
            g.writeNumberField("changeCount", t.size());
            g.writeArrayFieldStart("changes");
            // iterator, not get(i): a StreamedChanges reads its spill files in order
            for (RowChange c : t.changes()) writeChange(c, g);
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    public static final class ChangeSerializer extends StdSerializer<RowChange> {
        public ChangeSerializer() {
            super(RowChange.class);
        }

        @Override
        public void serialize(RowChange c, JsonGenerator g, SerializerProvider p) throws IOException {
            writeChange(c, g);
        }
    }

    /** A row image alone: column → value, without the types a change carries. */
    public static final class ImageSerializer extends StdSerializer<RowImage> {
        public ImageSerializer() {
            super(RowImage.class);
        }

        @Override
        public void serialize(RowImage img, JsonGenerator g, SerializerProvider p) throws IOException {
            writeImage(img, g);
        }
    }

    static void writeChange(RowChange c, JsonGenerator g) throws IOException {
        if (c.isSealed()) {
            // its values are unknown here: an empty event would read as a change without columns
            throw new IllegalArgumentException(c.op() + " on " + c.table() + " is encrypted (ENCRYPTTRAIL): read the"
                    + " trail with its key (decrypt) to write it as JSON");
        }
        g.writeStartObject();
        g.writeStringField("op", c.op().name());
        g.writeStringField("table", c.table());
        g.writeObjectFieldStart("types");
        for (Map.Entry<String, String> e : types(c).entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
        g.writeFieldName("before");
        writeImage(c.before(), g);
        g.writeFieldName("after");
        writeImage(c.after(), g);
        g.writeEndObject();
    }

    /** Type of each column with a value in either image; both images must agree (one column, one type). */
    static Map<String, String> types(RowChange c) {
        Map<String, String> types = new LinkedHashMap<>();
        for (RowImage img : new RowImage[]{c.before(), c.after()}) {
            if (img == null) continue;
            for (int i = 0; i < img.size(); i++) {
                if (img.value(i) == null) continue;
                String type = typeOf(img.value(i));
                String other = types.putIfAbsent(img.column(i), type);
                if (other != null && !other.equals(type)) {
                    throw new IllegalArgumentException(c.op() + " on " + c.table() + ": column " + img.column(i)
                            + " is " + other + " in the before image but " + type + " in the after image");
                }
            }
        }
        return types;
    }

    /** The trail's value tag name of a column value (docs/trail-format.md, "Values"). */
    static String typeOf(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short) return "LONG";
        if (v instanceof BigDecimal || v instanceof BigInteger) return "DECIMAL";
        if (v instanceof String) return "STRING";
        if (v instanceof LocalDateTime || v instanceof java.sql.Timestamp) return "TIMESTAMP";
        if (v instanceof LocalDate || v instanceof java.sql.Date) return "DATE";
        if (v instanceof byte[]) return "BYTES";
        if (v instanceof Double || v instanceof Float) return "DOUBLE";
        if (v instanceof Boolean) return "BOOLEAN";
        throw new IllegalArgumentException("unsupported column value type " + v.getClass().getName());
    }

    private static void writeImage(RowImage img, JsonGenerator g) throws IOException {
        if (img == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (int i = 0; i < img.size(); i++) {
            g.writeFieldName(img.column(i));
            writeValue(img.value(i), g);
        }
        g.writeEndObject();
    }

    private static void writeValue(Object v, JsonGenerator g) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigDecimal d) {
            // a string: most JSON parsers read numbers as binary doubles, which cannot hold DECIMAL(38,10)
            g.writeString(decimalText(d));
        } else if (v instanceof BigInteger b) {
            g.writeString(b.toString());
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof LocalDateTime t) {
            g.writeString(TIMESTAMP.format(t));
        } else if (v instanceof java.sql.Timestamp t) {
            g.writeString(TIMESTAMP.format(t.toLocalDateTime()));
        } else if (v instanceof LocalDate d) {
            g.writeString(d.toString());
        } else if (v instanceof java.sql.Date d) {
            g.writeString(d.toLocalDate().toString());
        } else if (v instanceof byte[] b) {
            g.writeString(Base64.getEncoder().encodeToString(b));
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            // JSON has no NaN or infinities: those three are strings, every finite double a number
            if (Double.isFinite(d)) g.writeNumber(d);
            else g.writeString(Double.toString(d));
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            throw new IllegalArgumentException("unsupported column value type " + v.getClass().getName());
        }
    }

    /** Plain digits keeping the scale ({@code 10.5000}); exponent form only for a negative scale ({@code 1E+3}). */
    static String decimalText(BigDecimal d) {
        return d.scale() >= 0 ? d.toPlainString() : d.toString();
    }

    // ---------------------------------------------------------------- reading back

    /** {@code unmarshal: json} with {@code unmarshalType: io.redotrail.core.Transaction}, or readValue in Java. */
    public static final class TransactionDeserializer extends StdDeserializer<Transaction> {
        public TransactionDeserializer() {
            super(Transaction.class);
        }

        @Override
        public Transaction deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return parseTransaction(p.readValueAsTree());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, "change event: " + e.getMessage(), e);
            }
        }
    }

    public static final class ChangeDeserializer extends StdDeserializer<RowChange> {
        public ChangeDeserializer() {
            super(RowChange.class);
        }

        @Override
        public RowChange deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return parseChange(p.readValueAsTree());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, "row change: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A transaction from its JSON form (a tree read by any ObjectMapper), with the Java value types the trail
     * holds. {@code startPosition} is not part of the form and is null.
     *
     * @throws IllegalArgumentException naming the field when the JSON is not version {@value #VERSION} of the form
     */
    public static Transaction parseTransaction(JsonNode n) {
        int version = required(n, "version", "transaction").asInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("change event version " + version + " is not supported (this reader reads "
                    + VERSION + ")");
        }
        TrailPosition trail = null;
        JsonNode tp = n.get("trailPosition");
        if (tp != null && !tp.isNull()) {
            trail = new TrailPosition(required(tp, "seqno", "trailPosition").asLong(), required(tp, "rba", "trailPosition").asLong());
        }
        List<RowChange> changes = new ArrayList<>();
        for (JsonNode c : required(n, "changes", "transaction")) changes.add(parseChange(c));
        return new Transaction(Xid.parse(required(n, "xid", "transaction").asText()),
                Scn.of(required(n, "csn", "transaction").asLong()), required(n, "commitTimestampMillis", "transaction").asLong(),
                required(n, "thread", "transaction").asInt(), changes, null, trail, null);
    }

    public static RowChange parseChange(JsonNode c) {
        String table = required(c, "table", "change").asText();
        ChangeOp op = ChangeOp.valueOf(required(c, "op", table).asText());
        Map<String, String> types = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = required(c, "types", table).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            types.put(e.getKey(), e.getValue().asText());
        }
        return new RowChange(table, op, parseImage(c.get("before"), types, table), parseImage(c.get("after"), types, table));
    }

    private static RowImage parseImage(JsonNode img, Map<String, String> types, String table) {
        if (img == null || img.isNull()) return null;
        List<String> cols = new ArrayList<>();
        List<Object> vals = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = img.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            cols.add(e.getKey());
            vals.add(parseValue(e.getValue(), types.get(e.getKey()), table + "." + e.getKey()));
        }
        return new RowImage(cols.toArray(String[]::new), vals.toArray());
    }

    private static Object parseValue(JsonNode v, String type, String where) {
        if (v.isNull()) return null;
        if (type == null) throw new IllegalArgumentException(where + ": value without an entry in \"types\"");
        return switch (type) {
            case "LONG" -> v.asLong();
            case "DECIMAL" -> new BigDecimal(v.asText());
            case "STRING" -> v.asText();
            case "TIMESTAMP" -> LocalDateTime.parse(v.asText(), TIMESTAMP);
            case "DATE" -> LocalDate.parse(v.asText());
            case "BYTES" -> Base64.getDecoder().decode(v.asText());
            case "DOUBLE" -> v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
            case "BOOLEAN" -> v.asBoolean();
            default -> throw new IllegalArgumentException(where + ": unknown type " + type);
        };
    }

    private static JsonNode required(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null) throw new IllegalArgumentException(where + ": field \"" + field + "\" is missing");
        return v;
    }
}
