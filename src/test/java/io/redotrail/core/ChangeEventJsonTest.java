package io.redotrail.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The change-event JSON form (docs/events.md): every value type the trail holds survives JSON and back exactly
 * (same Java class, decimal scale, nanoseconds, bytes, NaN), each operation carries the images it has, the form
 * is what camel-jackson's default {@code marshal: json} writes, and a streamed transaction is written as it is
 * iterated.
 */
class ChangeEventJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CLOB = "x".repeat(1_048_576 - 3) + "€\n\"";

    private static final String[] COLS = {"ID", "BIG", "MINL", "PRICE", "WIDE", "NEG", "EXP", "ZERO", "NAME", "LOOKS_NUM",
            "LOOKS_TS", "EMPTY", "SPEC", "AT", "AT_ROUND", "AT_OLD", "ON", "RAW", "NO_BYTES", "RATIO", "TINY", "NAN", "INF",
            "NEG_ZERO", "FLAG", "NOTHING"};

    private static Object[] values(long id) {
        return new Object[]{id, Long.MAX_VALUE, Long.MIN_VALUE, new BigDecimal("1234.5000"),
                new BigDecimal("1234567890123456789012345678.0123456789"), new BigDecimal("-0.0000000001"),
                new BigDecimal("1E+3"), new BigDecimal("0.00"), "Zoë \u4e2d \uD83D\uDE00 \\ \"q\"\t", "00042",
                "2024-01-01T00:00", "", CLOB, LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_789),
                LocalDateTime.of(2024, 3, 1, 0, 0), LocalDateTime.of(1, 1, 1, 0, 0, 0, 1), LocalDate.of(1999, 12, 31),
                new byte[]{0, -1, 127, -128, 10}, new byte[0], 0.1, Double.MIN_VALUE, Double.NaN, Double.NEGATIVE_INFINITY,
                -0.0, true, null};
    }

    private static Transaction sample() {
        RowImage row = new RowImage(COLS, values(1));
        Object[] changed = values(1);
        changed[3] = new BigDecimal("99.9900");
        changed[24] = false;
        changed[25] = "now set";
        RowImage after = new RowImage(COLS, changed);
        Object[] moved = changed.clone();
        moved[0] = 2L;
        List<RowChange> changes = List.of(
                new RowChange("YDJK.ACCOUNT", ChangeOp.INSERT, null, row),
                new RowChange("YDJK.ACCOUNT", ChangeOp.UPDATE, row, after),
                new RowChange("YDJK.ACCOUNT", ChangeOp.PK_UPDATE, after, new RowImage(COLS, moved)),
                new RowChange("POS_USER9.ORDERS", ChangeOp.DELETE, new RowImage(new String[]{"ORDER_ID"}, new Object[]{7L}), null));
        return new Transaction(new Xid(3, 17, 9_137_521), Scn.of(9_137_530), 1_714_564_800_123L, 2, changes, null,
                new TrailPosition(4, 1234), new TrailPosition(4, 9999));
    }

    @Test
    void everyValueTypeRoundTripsExactly() throws IOException {
        Transaction t = sample();
        Transaction back = ChangeEventJson.parseTransaction(MAPPER.readTree(MAPPER.writeValueAsBytes(t)));
        assertEquals(t.xid(), back.xid());
        assertEquals(t.csn(), back.csn());
        assertEquals(t.commitTimestampMillis(), back.commitTimestampMillis());
        assertEquals(t.thread(), back.thread());
        assertEquals(t.trailStart(), back.trailStart());
        assertEquals(t.size(), back.size());
        for (int i = 0; i < t.size(); i++) assertSameChange(t.changes().get(i), back.changes().get(i), "change " + i);
    }

    @Test
    void readValueAndUnmarshalJsonGiveTheTransactionBack() throws Exception {
        Transaction t = sample();
        byte[] json = MAPPER.writeValueAsBytes(t);
        Transaction read = MAPPER.readValue(json, Transaction.class);
        for (int i = 0; i < t.size(); i++) assertSameChange(t.changes().get(i), read.changes().get(i), "readValue change " + i);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").unmarshal().json(Transaction.class);
                }
            });
            camel.start();
            Transaction back = camel.createProducerTemplate().requestBody("direct:in", json, Transaction.class);
            assertEquals(t.xid(), back.xid());
            for (int i = 0; i < t.size(); i++) assertSameChange(t.changes().get(i), back.changes().get(i), "unmarshal change " + i);
        }
        com.fasterxml.jackson.databind.JsonMappingException e = assertThrows(com.fasterxml.jackson.databind.JsonMappingException.class,
                () -> MAPPER.readValue("{\"version\":1,\"xid\":\"1.2.3\",\"csn\":5,\"commitTimestampMillis\":0,\"thread\":1,"
                        + "\"changes\":[{\"op\":\"INSERT\",\"table\":\"A.B\",\"types\":{},\"before\":null,\"after\":{\"X\":1}}]}", Transaction.class));
        assertTrue(e.getMessage().contains("A.B.X: value without an entry in \"types\""), e.getMessage());
    }

    @Test
    void eachOperationCarriesItsImagesAndTheTypesOfTheirValues() throws IOException {
        JsonNode n = MAPPER.readTree(MAPPER.writeValueAsBytes(sample()));
        assertEquals(1, n.get("version").asInt());
        assertEquals("3.17.9137521", n.get("xid").asText());
        assertTrue(n.get("csn").isIntegralNumber(), "csn is a number");
        assertEquals("2024-05-01T12:00:00.123Z", n.get("commitTimestamp").asText());
        assertEquals(1_714_564_800_123L, n.get("commitTimestampMillis").asLong());
        assertEquals(4, n.get("trailPosition").get("seqno").asLong());
        assertEquals(1234, n.get("trailPosition").get("rba").asLong());
        assertEquals(4, n.get("changeCount").asInt());
        JsonNode insert = n.get("changes").get(0), update = n.get("changes").get(1), delete = n.get("changes").get(3);
        assertEquals("INSERT", insert.get("op").asText());
        assertTrue(insert.get("before").isNull() && insert.get("after").isObject(), "INSERT: after image only");
        assertTrue(update.get("before").isObject() && update.get("after").isObject(), "UPDATE: both images");
        assertEquals("PK_UPDATE", n.get("changes").get(2).get("op").asText());
        assertEquals("DELETE", delete.get("op").asText());
        assertEquals("POS_USER9.ORDERS", delete.get("table").asText());
        assertTrue(delete.get("before").isObject() && delete.get("after").isNull(), "DELETE: before image only");

        JsonNode after = insert.get("after"), types = insert.get("types");
        assertEquals("LONG", types.get("ID").asText());
        assertTrue(after.get("BIG").isIntegralNumber(), "LONG is a JSON number");
        assertEquals("DECIMAL", types.get("WIDE").asText());
        assertEquals("1234567890123456789012345678.0123456789", after.get("WIDE").textValue(), "DECIMAL is an exact string");
        assertEquals("1234.5000", after.get("PRICE").textValue(), "the scale is kept");
        assertEquals("2024-02-29T23:59:59.123456789", after.get("AT").textValue());
        assertEquals("2024-03-01T00:00:00", after.get("AT_ROUND").textValue(), "seconds are always written");
        assertEquals("1999-12-31", after.get("ON").textValue());
        assertEquals("AP9/gAo=", after.get("RAW").textValue(), "BYTES are base64");
        assertEquals("NaN", after.get("NAN").textValue());
        assertTrue(after.get("RATIO").isFloatingPointNumber(), "DOUBLE is a JSON number");
        assertTrue(after.get("FLAG").isBoolean());
        assertTrue(after.get("NOTHING").isNull());
        assertFalse(types.has("NOTHING"), "a NULL has no type");
        assertEquals("STRING", update.get("types").get("NOTHING").asText(), "typed by the image that has a value");
        assertEquals(CLOB, after.get("SPEC").textValue());
    }

    @Test
    void camelMarshalJsonWritesTheSameForm() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").marshal().json();
                }
            });
            camel.start();
            Transaction t = sample();
            byte[] out = camel.createProducerTemplate().requestBody("direct:in", List.of(t), byte[].class);
            JsonNode batch = MAPPER.readTree(out);
            assertTrue(batch.isArray() && batch.size() == 1, "a batch is an array of transactions");
            assertEquals(MAPPER.readTree(MAPPER.writeValueAsBytes(t)), batch.get(0));
        }
    }

    @Test
    void aStreamedTransactionIsWrittenWhileItIsIterated() throws IOException {
        int rows = 50_000;
        long[] written = {0};
        long[] writtenAtHalf = {-1};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        };
        MAPPER.writeValue(counting, generated(rows, written, writtenAtHalf));
        long perRow = written[0] / rows;
        assertTrue(writtenAtHalf[0] > (rows / 2 - 1000) * perRow,
                "half the rows generated, but only " + writtenAtHalf[0] + " of " + written[0] + " bytes written: not streamed");
        assertTrue(written[0] > rows * 50L, "wrote " + written[0] + " bytes");
    }

    @Test
    void aLargeTransactionGoesFromMarshalToFileThroughASpoolFileNotTheHeap(@TempDir Path dir) throws Exception {
        int rows = 20_000;
        Path out = dir.resolve("out"), spool = dir.resolve("spool");
        AtomicReference<Object> marshalled = new AtomicReference<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            // what config/application.properties sets for Camel Main: stream caching spooling past 128 KB
            camel.setStreamCaching(true);
            camel.getStreamCachingStrategy().setSpoolEnabled(true);
            camel.getStreamCachingStrategy().setSpoolDirectory(spool.toFile());
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").split(body()).stopOnException()
                            .setHeader("CamelFileName", simple("${body.csn()}-${body.xid()}.json"))
                            .marshal().json()
                            .process(e -> marshalled.set(e.getMessage().getBody()))
                            .to("file:" + out + "?tempPrefix=.inflight-");
                }
            });
            camel.start();
            camel.createProducerTemplate().sendBody("direct:in", List.of(generated(rows, new long[1], new long[1])));
        }
        assertInstanceOf(FileInputStreamCache.class, marshalled.get(), "the marshalled JSON went to a spool file");
        Path file = out.resolve("4-1.2.3.json");
        assertTrue(Files.size(file) > rows * 50L, file + " has " + Files.size(file) + " bytes");
        JsonNode n = MAPPER.readTree(file.toFile());
        assertEquals(rows, n.get("changeCount").asInt());
        assertEquals(rows, n.get("changes").size());
        assertEquals("row " + (rows - 1), n.get("changes").get(rows - 1).get("after").get("NOTE").asText());
    }

    @Test
    void anUnknownVersionIsRefusedNamingIt() throws IOException {
        JsonNode n = MAPPER.readTree("{\"version\":2,\"changes\":[]}".getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChangeEventJson.parseTransaction(n));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    /**
     * A transaction of {@code rows} inserts made while it is iterated (none is held); when the middle row is made,
     * {@code writtenAtHalf[0]} takes the value of {@code written[0]}.
     */
    private static Transaction generated(int rows, long[] written, long[] writtenAtHalf) {
        StreamedChanges changes = new StreamedChanges() {
            @Override
            public Iterator<RowChange> iterator() {
                return new Iterator<>() {
                    int next;

                    @Override
                    public boolean hasNext() {
                        return next < rows;
                    }

                    @Override
                    public RowChange next() {
                        if (next >= rows) throw new NoSuchElementException();
                        if (next == rows / 2) writtenAtHalf[0] = written[0];
                        RowImage img = new RowImage(new String[]{"ID", "NOTE"}, new Object[]{(long) next, "row " + next});
                        next++;
                        return new RowChange("YDJK.AUDIT_LOG", ChangeOp.INSERT, null, img);
                    }
                };
            }

            @Override
            public int size() {
                return rows;
            }
        };
        return new Transaction(new Xid(1, 2, 3), Scn.of(4), 5, 1, changes, null);
    }

    private static void assertSameChange(RowChange a, RowChange b, String where) {
        assertEquals(a.table(), b.table(), where);
        assertEquals(a.op(), b.op(), where);
        assertSameImage(a.before(), b.before(), where + " before");
        assertSameImage(a.after(), b.after(), where + " after");
    }

    /** Stricter than RowImage.equals: same class, same decimal scale, same bits of a double. */
    private static void assertSameImage(RowImage a, RowImage b, String where) {
        if (a == null || b == null) {
            assertSame(a, b, where);
            return;
        }
        assertArrayEquals(a.columns(), b.columns(), where);
        for (int i = 0; i < a.size(); i++) {
            Object x = a.value(i), y = b.value(i);
            String col = where + " " + a.column(i);
            if (x == null) {
                assertNull(y, col);
                continue;
            }
            assertNotNull(y, col);
            assertEquals(x.getClass(), y.getClass(), col);
            if (x instanceof byte[] bx) assertArrayEquals(bx, (byte[]) y, col);
            else assertEquals(x, y, col); // BigDecimal.equals compares the scale; Double.equals NaN and -0.0
        }
        assertEquals(Arrays.asList(a.columns()).size(), b.size(), where);
    }
}
