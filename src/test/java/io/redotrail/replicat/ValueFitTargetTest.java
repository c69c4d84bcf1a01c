package io.redotrail.replicat;

import io.redotrail.core.RowImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static io.redotrail.replicat.ReplicatTargetTest.exchange;
import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A value the target column would round without an error (H2 and PostgreSQL both do) is a MAPPING error naming the
 * row, the column, the value and what would be stored, never a silently different target row; REPERROR decides.
 */
class ValueFitTargetTest extends ReplicatTargetFixture {
    String T;

    void open(TargetDb.Kind kind) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.NARROW (ID BIGINT PRIMARY KEY, PRICE NUMERIC(10,2), QTY INTEGER, BDAY DATE, "
                + "AT0 TIMESTAMP(0), AT6 TIMESTAMP(6), RATIO DOUBLE PRECISION, NOTE VARCHAR(20))");
        T = db.t("NARROW");
    }

    static RowImage row(long id, Object... more) {
        Object[] kv = new Object[more.length + 2];
        kv[0] = "ID";
        kv[1] = id;
        System.arraycopy(more, 0, kv, 2, more.length);
        return img(kv);
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void valuesTheColumnHoldsExactlyAreApplied(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        LocalDateTime micros = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123456000);
        a.process(exchange(tx("1.1.1", 100).insert(T, row(1, "PRICE", new BigDecimal("12.3000"), "QTY",
                new BigDecimal("7.00"), "BDAY", LocalDateTime.of(2024, 1, 2, 0, 0), "AT0", LocalDateTime.of(2024, 1, 2, 3, 4, 5),
                "AT6", micros, "RATIO", 0.1 + 0.2, "NOTE", "fits")).build()));
        List<Object> r = db.rows("SELECT PRICE, QTY, BDAY, AT0, AT6 FROM " + T).get(0);
        assertEquals(0, new BigDecimal("12.30").compareTo((BigDecimal) r.get(0)));
        assertEquals(7, ((Number) r.get(1)).intValue());
        assertEquals(LocalDate.of(2024, 1, 2), ((java.sql.Date) r.get(2)).toLocalDate());
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5), ((Timestamp) r.get(3)).toLocalDateTime());
        assertEquals(micros, ((Timestamp) r.get(4)).toLocalDateTime());
    }

    /** Each narrowing, alone in its transaction: the error names it and the target keeps nothing of that transaction. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aValueTheColumnWouldRoundIsAMappingErrorNamingColumnValueAndResult(TargetDb.Kind kind) throws Exception {
        open(kind);
        String[][] cases = {
                {"PRICE", "value 1.239 of column PRICE does not fit target column", "NUMERIC(10,2)",
                        "it would be stored as 1.24 (the column keeps 2 decimal places)"},
                {"QTY", "value 2.5 of column QTY does not fit target column", "",
                        "it would be stored as 3 (the column keeps 0 decimal places)"},
                {"BDAY", "value 2024-01-02T10:11 of column BDAY does not fit target column", "DATE",
                        "it would be stored as 2024-01-02 (a DATE keeps no time of day)"},
                {"AT0", "value 2024-01-02T03:04:05.600 of column AT0 does not fit target column", "TIMESTAMP(0)",
                        "it would be stored as 2024-01-02T03:04:06 (the column keeps 0 fractional second digits)"},
                {"AT6", "value 2024-01-02T03:04:05.123456789 of column AT6 does not fit target column", "TIMESTAMP(6)",
                        "it would be stored as 2024-01-02T03:04:05.123457 (the column keeps 6 fractional second digits)"},
        };
        Object[] values = {new BigDecimal("1.239"), new BigDecimal("2.5"), LocalDateTime.of(2024, 1, 2, 10, 11),
                LocalDateTime.of(2024, 1, 2, 3, 4, 5, 600_000_000), LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789)};
        for (int i = 0; i < cases.length; i++) {
            ReplicatApplier a = applier();
            int n = i;
            // a good row first, in the same transaction and batch: the whole transaction is rolled back
            ApplyError e = assertThrows(ApplyError.class, () -> a.process(exchange(tx("1.1." + n, 100 + n)
                    .insert(T, row(100 + n, "NOTE", "before")).insert(T, row(200 + n, cases[n][0], values[n])).build())));
            a.stop();
            assertEquals("MAPPING", e.kind);
            String m = e.getMessage();
            assertTrue(m.startsWith("REP1: INSERT on " + T), m);
            assertTrue(m.contains(cases[n][1]) && m.contains(cases[n][2]) && m.contains(cases[n][3]), m);
            assertTrue(m.contains("of " + T + ": ") && m.contains("(transaction XID 1.1." + n + " CSN " + (100 + n)), m);
            assertEquals(0, db.count("NARROW"), m);
        }
        // an update's SET value is checked as an insert's is
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.2.1", 300).insert(T, row(1, "PRICE", new BigDecimal("1.5"))).build()));
        ApplyError e = assertThrows(ApplyError.class, () -> a.process(exchange(tx("1.2.2", 301)
                .update(T, row(1), img("PRICE", new BigDecimal("1.005"))).build())));
        assertTrue(e.getMessage().startsWith("REP1: UPDATE on " + T + " with key (ID=1): value 1.005 of column PRICE"), e.getMessage());
        assertEquals(0, new BigDecimal("1.5").compareTo((BigDecimal) db.rows("SELECT PRICE FROM " + T).get(0).get(0)));
    }

    /**
     * REPERROR (MAPPING, DISCARD): the row goes to the discard file whole, the rest of the batch is applied; by the
     * serial Replicat and by the parallel one's appliers.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"H2, false", "POSTGRESQL, false", "H2, true", "POSTGRESQL, true"})
    void repErrorMappingDiscardKeepsTheRowInTheDiscardFile(TargetDb.Kind kind, boolean parallel) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setRepError("DEFAULT ABEND; MAPPING DISCARD");
        if (parallel) {
            a.setParallel(true);
            a.setApplyParallelism(2);
        }
        a.process(exchange(tx("1.3.1", 400).insert(T, row(1, "PRICE", new BigDecimal("1.25")))
                .insert(T, row(2, "PRICE", new BigDecimal("2.255"))).insert(T, row(3, "PRICE", new BigDecimal("3.00"))).build()));
        a.stop(); // the parallel appliers commit what they hold
        assertEquals(List.of(1L, 3L), db.rows("SELECT ID FROM " + T + " ORDER BY ID").stream()
                .map(r -> ((Number) r.get(0)).longValue()).toList());
        assertEquals(1, a.getCounters().discarded);
        String dsc = Files.readString(dir.resolve("dirrpt/REP1.dsc"), StandardCharsets.UTF_8);
        assertTrue(dsc.contains("on error MAPPING: REP1: INSERT on " + T) && dsc.contains("value 2.255 of column PRICE")
                && dsc.contains("PRICE = 2.255"), dsc);
    }

    /**
     * What {@code target create} makes from a source column holds the source's values: an unconstrained NUMERIC (H2's
     * own NUMERIC would keep no decimal places) and a TIMESTAMP's fractional digits (H2 up to 9, PostgreSQL 6).
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void tablesTargetCreateMakesHoldTheSourceValues(TargetDb.Kind kind) throws Exception {
        boolean pg = kind == TargetDb.Kind.POSTGRESQL;
        TargetTables.Column free = new TargetTables.Column("F", "\"F\"", java.sql.Types.NUMERIC, false, "NUMERIC", 0, 0, true);
        TargetTables.Column fine = new TargetTables.Column("T", "\"T\"", java.sql.Types.TIMESTAMP, false, "TIMESTAMP", 29, 9, true);
        openTarget(kind, "CREATE TABLE %S%.MADE (ID BIGINT PRIMARY KEY, F " + TargetCreate.type(free, pg) + ", T "
                + TargetCreate.type(fine, pg) + ")");
        BigDecimal f = new BigDecimal("12345678901234567890.12345678901234567890");
        LocalDateTime t = LocalDateTime.of(2024, 2, 29, 23, 59, 59, pg ? 123_456_000 : 123_456_789);
        applier().process(exchange(tx("1.4.1", 500).insert(db.t("MADE"), row(1, "F", f, "T", t)).build()));
        List<Object> r = db.rows("SELECT F, T FROM %S%.MADE").get(0);
        assertEquals(0, f.compareTo((BigDecimal) r.get(0)), r.toString());
        assertEquals(t, ((Timestamp) r.get(1)).toLocalDateTime());
    }

    /**
     * A column a COLMAP fills with a constant or an @GETENV token holds what the mapping chose (a load date from the
     * commit timestamp is the common case): not checked, the database's conversion applies.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aColumnTheMappingFillsWithATokenOrConstantIsNotChecked(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setMap("MAP SRC.NARROW, TARGET " + T + ", COLMAP (USEDEFAULTS, BDAY = @GETENV('GGHEADER', 'COMMITTIMESTAMP'),"
                + " PRICE = 1.239);");
        a.process(exchange(tx("1.5.1", 600).insert("SRC.NARROW", row(1, "QTY", 4L)).build()));
        List<Object> r = db.rows("SELECT BDAY, PRICE, QTY FROM " + T).get(0);
        LocalDateTime commit = LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(1_700_000_000_600L), java.time.ZoneOffset.UTC);
        assertEquals(commit.toLocalDate(), ((java.sql.Date) r.get(0)).toLocalDate());
        assertEquals(0, new BigDecimal("1.24").compareTo((BigDecimal) r.get(1)));
        // a source column of the same statement is still checked
        ApplyError e = assertThrows(ApplyError.class, () -> a.process(exchange(tx("1.5.2", 601)
                .insert("SRC.NARROW", row(2, "QTY", new BigDecimal("4.5"))).build())));
        assertTrue(e.getMessage().contains("value 4.5 of column QTY does not fit"), e.getMessage());
    }

    /** The exemption is the MAP statement's: another table's column of the same name, filled from the source, is checked. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void anotherTargetTablesColumnOfTheSameNameIsStillChecked(TargetDb.Kind kind) throws Exception {
        open(kind);
        db.sql("CREATE TABLE %S%.OTHER (ID BIGINT PRIMARY KEY, BDAY DATE)");
        ReplicatApplier a = applier();
        a.setMap("MAP SRC.NARROW, TARGET " + T + ", COLMAP (USEDEFAULTS, BDAY = @GETENV('GGHEADER', 'COMMITTIMESTAMP'));"
                + " MAP SRC.OTHER, TARGET " + db.t("OTHER") + ";");
        a.process(exchange(tx("1.7.1", 800).insert("SRC.NARROW", row(1)).build()));
        ApplyError e = assertThrows(ApplyError.class, () -> a.process(exchange(tx("1.7.2", 801)
                .insert("SRC.OTHER", row(1, "BDAY", LocalDateTime.of(2024, 1, 2, 10, 11))).build())));
        assertTrue(e.getMessage().contains("value 2024-01-02T10:11 of column BDAY does not fit"), e.getMessage());
    }

    /**
     * The exemption is per MAP statement: a second MAP into the same target table that fills the column from a source
     * column is checked, in the same group as rows of the first (which share the statement text, not the check).
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void anotherMapIntoTheSameTableIsStillChecked(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setMap("MAP SRC.NARROW, TARGET " + T + ", COLMAP (USEDEFAULTS, BDAY = @GETENV('GGHEADER', 'COMMITTIMESTAMP'));"
                + " MAP SRC.LEGACY, TARGET " + T + ";");
        ApplyError e = assertThrows(ApplyError.class, () -> a.process(exchange(tx("1.8.1", 900)
                .insert("SRC.NARROW", row(1))
                .insert("SRC.LEGACY", row(2, "BDAY", LocalDateTime.of(2024, 1, 2, 10, 11))).build())));
        assertTrue(e.getMessage().contains("value 2024-01-02T10:11 of column BDAY does not fit"), e.getMessage());
        assertEquals(0, db.count("NARROW"), "nothing of the transaction may stay applied");
    }

    /**
     * The same under every way rows reach the target (serial or parallel, BATCHSQL on or off, one or two mappers),
     * with REPERROR (MAPPING, DISCARD): the second MAP's row whose SQL text is the first MAP's is discarded, the exempt
     * rows around it are applied. Every case failed before the exemption was the statement's (row 2 rounded silently).
     */
    @ParameterizedTest
    @CsvSource({"H2, true, true, 1", "H2, true, false, 1", "H2, true, true, 2", "POSTGRESQL, true, true, 2",
            "POSTGRESQL, true, false, 1", "H2, false, true, 1", "POSTGRESQL, false, false, 1"})
    void theOtherMapsRowIsCheckedOnEveryApplyPath(TargetDb.Kind kind, boolean parallel, boolean batchSql, int mappers)
            throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setRepError("DEFAULT ABEND; MAPPING DISCARD");
        a.setBatchSql(batchSql);
        if (parallel) {
            a.setParallel(true);
            a.setApplyParallelism(2);
            a.setMapParallelism(mappers);
        }
        a.setMap("MAP SRC.NARROW, TARGET " + T + ", COLMAP (USEDEFAULTS, BDAY = @GETENV('GGHEADER', 'COMMITTIMESTAMP'));"
                + " MAP SRC.LEGACY, TARGET " + T + ";");
        a.process(exchange(tx("1.9.1", 950)
                .insert("SRC.NARROW", img("ID", 1L))                                            // BDAY from the token
                .insert("SRC.LEGACY", img("BDAY", LocalDateTime.of(2024, 1, 2, 10, 11), "ID", 2L)) // the same SQL text
                .insert("SRC.LEGACY", img("ID", 3L, "BDAY", LocalDateTime.of(2024, 1, 3, 0, 0)))
                .insert("SRC.NARROW", img("ID", 4L))
                .insert("SRC.LEGACY", img("BDAY", LocalDateTime.of(2024, 1, 5, 0, 0), "ID", 5L)).build()));
        a.stop();
        assertEquals(List.of(1L, 3L, 4L, 5L), db.rows("SELECT ID FROM " + T + " ORDER BY ID").stream()
                .map(r -> ((Number) r.get(0)).longValue()).toList());
        assertEquals(1, a.getCounters().discarded);
        String dsc = Files.readString(dir.resolve("dirrpt/REP1.dsc"), StandardCharsets.UTF_8);
        assertTrue(dsc.contains("value 2024-01-02T10:11 of column BDAY"), dsc);
    }

    /** A PostgreSQL domain over a narrower type rounds as its base type does: checked as that type. */
    @org.junit.jupiter.api.Test
    void aDomainIsCheckedAsItsBaseType() throws Exception {
        openTarget(TargetDb.Kind.POSTGRESQL, "CREATE DOMAIN %S%.PRICE_D AS NUMERIC(10,2)",
                "CREATE TABLE %S%.PRICED (ID BIGINT PRIMARY KEY, PRICE %S%.PRICE_D)");
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.6.1", 700).insert(db.t("PRICED"), row(1, "PRICE", new BigDecimal("1.20"))).build()));
        ApplyError e = assertThrows(ApplyError.class, () -> a.process(exchange(tx("1.6.2", 701)
                .insert(db.t("PRICED"), row(2, "PRICE", new BigDecimal("1.205"))).build())));
        assertTrue(e.getMessage().contains("value 1.205 of column PRICE does not fit") && e.getMessage().contains("it would be stored as 1.21"),
                e.getMessage());
        assertEquals(1, db.count("PRICED"));
    }

    /** PostgreSQL's money keeps the fractional digits of its lc_monetary locale: checked with those. */
    @org.junit.jupiter.api.Test
    void moneyIsCheckedWithItsLocalesFractionalDigits() throws Exception {
        openTarget(TargetDb.Kind.POSTGRESQL, "CREATE TABLE %S%.FEES (ID BIGINT PRIMARY KEY, AMOUNT MONEY)");
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.6.1", 700).insert(db.t("FEES"), row(1, "AMOUNT", new BigDecimal("1.20"))).build()));
        ApplyError e = assertThrows(ApplyError.class, () -> a.process(exchange(tx("1.6.2", 701)
                .insert(db.t("FEES"), row(2, "AMOUNT", new BigDecimal("1.205"))).build())));
        assertTrue(e.getMessage().contains("value 1.205 of column AMOUNT does not fit") && e.getMessage().contains("it would be stored as 1.21"),
                e.getMessage());
        assertEquals(1, db.count("FEES"));
    }
}
