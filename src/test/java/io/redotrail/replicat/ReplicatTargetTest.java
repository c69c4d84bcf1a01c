package io.redotrail.replicat;

import io.redotrail.report.GroupRuntimes;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The Replicat against real databases, every test on H2 and on PostgreSQL: operations and values, MAP,
 * REPERROR, HANDLECOLLISIONS, GROUPTRANSOPS, BATCHSQL, and the OGG-30176 choice.
 */
class ReplicatTargetTest extends ReplicatTargetFixture {
    // builds exchanges only: each applier's group state is in its own ctx
    static final CamelContext EXCHANGES = new DefaultCamelContext();

    String T;  // <schema>.ORDERS
    String NK; // <schema>.NOKEY

    void open(TargetDb.Kind kind) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.ORDERS (ID BIGINT PRIMARY KEY, NAME VARCHAR(200), AMOUNT DECIMAL(38,10), "
                        + "CREATED %TS%, BDAY DATE, DATA %BIN%, RATIO DOUBLE PRECISION, FLAG BOOLEAN, NOTE %CLOB%, BIG %BLOB%)",
                "CREATE TABLE %S%.NOKEY (A INT, B VARCHAR(20))");
        T = db.t("ORDERS");
        NK = db.t("NOKEY");
    }

    static Exchange exchange(Transaction... txs) {
        Exchange e = new DefaultExchange(EXCHANGES);
        e.getIn().setBody(Arrays.asList(txs));
        return e;
    }

    List<Object> checkpoint() throws Exception {
        List<List<Object>> r = db.rows("SELECT SEQNO, RBA, LOG_CSN, LOG_CMPLT_CSN, LOG_CMPLT_XIDS FROM %S%.CHECKPOINT WHERE GROUP_NAME = 'REP1'");
        return r.isEmpty() ? null : r.get(0);
    }

    List<List<Object>> idNames() throws Exception {
        return db.rows("SELECT ID, NAME FROM " + T + " ORDER BY ID");
    }

    // ---- operations and values -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void insertUpdateDeletePkUpdateWithNullsMultibyteMegabyteValuesAndDecimals(TargetDb.Kind kind) throws Exception {
        open(kind);
        String big = "データ".repeat(350_000); // 1,050,000 characters, ~3 MB UTF-8
        byte[] blob = new byte[1 << 20];
        for (int i = 0; i < blob.length; i++) blob[i] = (byte) (i * 31);
        BigDecimal dec = new BigDecimal("1234567890123456789012345678.0123456789");
        LocalDateTime ts = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123456000);
        ReplicatApplier a = applier();
        a.process(exchange(
                tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "東京 café 🚀 Ωμέγα", "AMOUNT", dec, "CREATED", ts,
                        "BDAY", LocalDate.of(2024, 1, 2), "DATA", new byte[]{0, 1, (byte) 0xFF}, "RATIO", 0.25,
                        "FLAG", true, "NOTE", big, "BIG", blob)).build(),
                tx("1.1.2", 101).insert(T, img("ID", 2L, "NAME", null, "AMOUNT", null, "CREATED", null,
                        "BDAY", null, "DATA", null, "RATIO", null, "FLAG", null, "NOTE", null, "BIG", null))
                        .insert(T, img("ID", 3L, "NAME", "three")).build()));
        assertEquals(3, db.count("ORDERS"));
        a.process(exchange(
                // update by key from the before image; a compressed update (only changed columns)
                tx("1.2.1", 200).update(T, img("ID", 2L, "NAME", null), img("ID", 2L, "NAME", "zwei", "AMOUNT", new BigDecimal("-0.0000000001")))
                        .update(T, img("ID", 1L), img("NAME", null, "FLAG", false)).build(),
                tx("1.2.2", 201).pkUpdate(T, img("ID", 3L), img("ID", 30L, "NAME", "thirty")).build(),
                tx("1.2.3", 202).delete(T, img("ID", 2L, "NAME", "zwei")).build()));

        List<List<Object>> r = db.rows("SELECT ID, NAME, AMOUNT, CREATED, BDAY, DATA, RATIO, FLAG, NOTE, BIG FROM " + T + " ORDER BY ID");
        assertEquals(2, r.size());
        List<Object> one = r.get(0);
        assertEquals(1L, ((Number) one.get(0)).longValue());
        assertNull(one.get(1), "update to NULL");
        assertEquals(0, dec.compareTo((BigDecimal) one.get(2)), "DECIMAL(38,10) keeps every digit: " + one.get(2));
        assertEquals(dec.toPlainString(), ((BigDecimal) one.get(2)).toPlainString());
        assertEquals(ts, ((Timestamp) one.get(3)).toLocalDateTime());
        assertEquals(LocalDate.of(2024, 1, 2), ((java.sql.Date) one.get(4)).toLocalDate());
        assertArrayEquals(new byte[]{0, 1, (byte) 0xFF}, (byte[]) one.get(5));
        assertEquals(0.25, ((Number) one.get(6)).doubleValue());
        assertEquals(false, one.get(7));
        assertEquals(big, one.get(8));
        assertArrayEquals(blob, (byte[]) one.get(9));
        assertEquals(List.of(30L, "thirty"), List.of(((Number) r.get(1).get(0)).longValue(), r.get(1).get(1)));
        assertEquals(List.of(1L, 20250L, "202", "202", "1.2.3"), List.of(((Number) checkpoint().get(0)).longValue(),
                ((Number) checkpoint().get(1)).longValue(), checkpoint().get(2), checkpoint().get(3), checkpoint().get(4)));
        assertEquals(5, a.getAppliedTransactions());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void multibyteTextRoundTripsExactly(TargetDb.Kind kind) throws Exception {
        open(kind);
        String s = "東京 café 🚀 Ωμέγα \u00e9\u0301 한국어";
        applier().process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", s)).build()));
        assertEquals(s, db.rows("SELECT NAME FROM " + T).get(0).get(0));
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void tableWithoutPrimaryKeyUsesAllBeforeColumnsIncludingNulls(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.1.1", 100).insert(NK, img("A", 1L, "B", null)).insert(NK, img("A", 2L, "B", "x")).build()));
        a.process(exchange(tx("1.1.2", 200).update(NK, img("A", 1L, "B", null), img("A", 1L, "B", "set"))
                .delete(NK, img("A", 2L, "B", "x")).build()));
        assertEquals(List.of(List.of(1L, "set")), db.rows("SELECT A, B FROM " + NK));
    }

    // ---- mapping ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void mapsWildcardsRenamesConstantsTokensAndKeyCols(TargetDb.Kind kind) throws Exception {
        open(kind);
        String s = db.schema;
        db.sql("CREATE SCHEMA " + s + "_T",
                // no primary key: KEYCOLS (ORDER_ID) is the key
                "CREATE TABLE %S%.ORDERS_T (ORDER_ID BIGINT, NAME VARCHAR(200), SRC_CSN VARCHAR(40), COMMIT_TS %TS%, SITE VARCHAR(10))",
                "CREATE TABLE %S%_T.ITEMS (ID BIGINT PRIMARY KEY, QTY INT)");
        try {
            ReplicatApplier a = applier();
            a.setMap("MAP " + s + ".ITEMS*, TARGET " + s + "_T.*;\n"
                    + "MAP " + s + ".ORDERS, TARGET " + s + ".ORDERS_T, COLMAP (USEDEFAULTS, ORDER_ID = ID, "
                    + "SRC_CSN = @GETENV('TRANSACTION','CSN'), COMMIT_TS = @GETENV('GGHEADER','COMMITTIMESTAMP'), SITE = 'HQ'), "
                    + "KEYCOLS (ORDER_ID);");
            a.start();
            a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "a", "AMOUNT", BigDecimal.ONE))
                    .insert(T, img("ID", 2L, "NAME", "b")).insert(s + ".ITEMS", img("ID", 7L, "QTY", 3L)).build()));
            a.process(exchange(tx("1.1.2", 200).update(T, img("ID", 1L, "NAME", "a"), img("ID", 1L, "NAME", "a2"))
                    .delete(T, img("ID", 2L, "NAME", "b")).update(s + ".ITEMS", img("ID", 7L), img("ID", 7L, "QTY", 4L)).build()));
            List<List<Object>> r = db.rows("SELECT ORDER_ID, NAME, SRC_CSN, COMMIT_TS, SITE FROM %S%.ORDERS_T ORDER BY ORDER_ID");
            assertEquals(1, r.size());
            assertEquals(List.of(1L, "a2", "200", "HQ"), List.of(r.get(0).get(0), r.get(0).get(1), r.get(0).get(2), r.get(0).get(4)));
            assertEquals(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 200_000_000), ((Timestamp) r.get(0).get(3)).toLocalDateTime());
            assertEquals(List.of(List.of(7L, 4L)), db.rows("SELECT ID, QTY FROM %S%_T.ITEMS"));
            assertEquals(0, db.count("ORDERS"), "the source-named table is not written");
        } finally {
            appliers.forEach(ReplicatApplier::stop);
            db.sql("DROP TABLE %S%_T.ITEMS", "DROP SCHEMA %S%_T");
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void missingTargetTableOrColumnIsAnErrorAtStart(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setMap("MAP A.ORDERS, TARGET " + T + ", COLMAP (USEDEFAULTS, NAME = N, NOPE = 'x');"
                + " MAP A.X, TARGET " + db.schema + ".MISSING; MAP B.*, TARGET NOSCHEMA_" + db.schema + ".*");
        ReplicatException e = assertThrows(ReplicatException.class, a::start);
        String m = e.getMessage();
        assertTrue(m.contains("MAP statement 1 (MAP A.ORDERS, TARGET " + T + ", COLMAP (USEDEFAULTS, NAME = N, NOPE = 'x')): target table "
                + T + " has no column NOPE"), m);
        assertTrue(m.contains("MAP statement 2 (MAP A.X, TARGET " + db.schema + ".MISSING): target table " + db.schema
                + ".MISSING does not exist"), m);
        assertTrue(m.contains("MAP statement 3") && m.contains("has no tables"), m);
        assertThrows(ReplicatException.class, a::startPosition, "the route cannot start either");
    }

    /** A misspelled COLMAP source column would leave its target column NULL: the first row of the table abends instead. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aColMapSourceColumnTheSourceRowsLackIsAnErrorNotANull(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setMap("MAP " + T + ", TARGET " + T + ", COLMAP (USEDEFAULTS, NAME = NAMEE)");
        a.start();
        Transaction t = tx("7.7.9", 310).at(4, 2020).insert(T, img("ID", 1L, "NAME", "a", "AMOUNT", BigDecimal.ONE)).build();
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(t)));
        assertEquals("REP1: COLMAP source column NAMEE (for target column NAME) of MAP statement 1 (MAP " + T + ", TARGET " + T
                + ", COLMAP (USEDEFAULTS, NAME = NAMEE)) is not a column of source table " + T + " (its rows carry ID, NAME, AMOUNT)"
                + " (transaction XID 7.7.9 CSN 310 at trail seqno 4 RBA 2020)", e.getMessage());
        assertEquals(0, db.count("ORDERS"), "nothing applied");
    }

    /**
     * A delete or update of one source row that would change several target rows (KEYCOLS not unique; equal rows in a
     * table without a key) abends naming the statement, whatever the path (BATCHSQL on or off, grouped or not), and
     * changes nothing; REPERROR DEFAULT DISCARD discards it to the discard file, rolled back, and applies the rest.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aKeyThatMatchesSeveralTargetRowsIsAnErrorNotAMultiRowChange(TargetDb.Kind kind) throws Exception {
        open(kind);
        db.sql("INSERT INTO %S%.NOKEY VALUES (1, 'same'), (1, 'same')");
        for (boolean batch : new boolean[]{true, false}) {
            ReplicatApplier a = applier();
            a.setMap("MAP " + T + ", TARGET " + T + ", KEYCOLS (NAME); MAP " + NK + ", TARGET " + NK);
            a.setBatchSql(batch);
            String x = batch ? "1" : "2";
            a.process(exchange(tx("8.8." + x + "0", 400).insert(T, img("ID", 1L, "NAME", "A")).insert(T, img("ID", 2L, "NAME", "A"))
                    .insert(T, img("ID", 3L, "NAME", "A")).build()));
            ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(
                    tx("8.8." + x + "1", 401).at(5, 77).insert(T, img("ID", 4L, "NAME", "B")).build(),
                    tx("8.8." + x + "2", 402).at(5, 99).delete(T, img("ID", 1L, "NAME", "A")).build())));
            assertTrue(e.getMessage().contains("DELETE on " + T + " with key (NAME=A) changed 3 rows, not one: its key does not"
                    + " identify a row of the target"), e.getMessage());
            assertTrue(e.getMessage().contains("(transaction XID 8.8." + x + "2 CSN 402 at trail seqno 5 RBA 99)"), e.getMessage());
            assertEquals(3, db.count("ORDERS"), "nothing deleted, and the exchange's other transaction rolled back with it");
            ReplicatApplier k = applier();
            k.setMap("MAP " + T + ", TARGET " + T + "; MAP " + NK + ", TARGET " + NK);
            k.setBatchSql(batch);
            ReplicatException ek = assertThrows(ReplicatException.class, () -> k.process(exchange(
                    tx("8.8." + x + "3", 403).update(NK, img("A", 1L, "B", "same"), img("A", 2L, "B", "same")).build())));
            assertTrue(ek.getMessage().contains("changed 2 rows, not one"), ek.getMessage());
            assertEquals(List.of(List.of(1L, "same"), List.of(1L, "same")), db.rows("SELECT A, B FROM " + NK));
            db.sql("DELETE FROM " + T);
        }
        ReplicatApplier d = applier();
        d.setMap("MAP " + T + ", TARGET " + T + "; MAP " + NK + ", TARGET " + NK);
        d.setRepError("DEFAULT DISCARD");
        d.process(exchange(tx("8.8.30", 500).update(NK, img("A", 1L, "B", "same"), img("A", 3L, "B", "same"))
                .insert(T, img("ID", 7L, "NAME", "kept")).build()));
        assertEquals(List.of(List.of(1L, "same"), List.of(1L, "same")), db.rows("SELECT A, B FROM " + NK), "rolled back");
        assertEquals(List.of(List.of(7L, "kept")), idNames());
        assertTrue(Files.readString(dir.resolve("dirrpt/REP1.dsc")).contains("changed 2 rows, not one"));
    }

    /**
     * The checkpoint file's Startup and Current timestamps are the record times of the transactions at those positions
     * (GoldenGate's), not the clock's: a restart at the same position keeps them, however long it stays idle.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void theCheckpointFileShowsRecordTimesNotTheClock(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        Transaction first = tx("9.9.1", 600).at(2, 100).insert(T, img("ID", 1L)).build();
        Transaction second = tx("9.9.2", 601).at(2, 150).insert(T, img("ID", 2L)).build();
        a.process(exchange(first, second));
        a.stop();
        io.redotrail.checkpoint.TrailReadCheckpoint r = new io.redotrail.checkpoint.CheckpointFile(
                io.redotrail.checkpoint.CheckpointFile.replicatFile(dir, "REP1")).read().orElseThrow().trailRead();
        assertEquals(first.commitTimestampMillis(), r.startupTimestampMillis());
        assertEquals(second.commitTimestampMillis(), r.currentTimestampMillis());
        assertEquals(second.trailEnd(), r.current());
        ReplicatApplier b = applier();
        b.start();
        b.process(exchange()); // an idle exchange at the end of the trail
        b.stop();
        r = new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.replicatFile(dir, "REP1")).read()
                .orElseThrow().trailRead();
        assertEquals(second.commitTimestampMillis(), r.startupTimestampMillis(), "restarted where the last run stopped");
        assertEquals(second.commitTimestampMillis(), r.currentTimestampMillis());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void unmappedSourceTableFollowsRepError(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setMap("MAP " + T + ", TARGET " + T);
        Transaction t = tx("7.7.7", 300).at(3, 1755).insert(db.t("OTHER"), img("ID", 1L)).build();
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(t)));
        assertEquals("REP1: source table " + db.t("OTHER") + " is not mapped by any MAP statement (transaction XID 7.7.7 "
                + "CSN 300 at trail seqno 3 RBA 1755)", e.getMessage());

        ReplicatApplier b = applier();
        b.setMap("MAP " + T + ", TARGET " + T);
        b.setRepError("UNMAPPED DISCARD");
        b.process(exchange(t, tx("7.7.8", 301).insert(T, img("ID", 5L)).build()));
        assertEquals(1, db.count("ORDERS"));
        String dsc = Files.readString(dir.resolve("dirrpt/REP1.dsc"));
        assertTrue(dsc.contains("on error UNMAPPED: REP1: source table " + db.t("OTHER") + " is not mapped"), dsc);
        assertTrue(dsc.contains("Trail position: seqno 3 RBA 1755"), dsc);
    }

    // ---- REPERROR and HANDLECOLLISIONS -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void repErrorDiscardWritesTheDiscardFileAndAppliesTheRest(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setRepError("DEFAULT ABEND; NOTFOUND DISCARD; DUPLICATE IGNORE");
        a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "a")).build()));
        a.process(exchange(
                tx("1.1.2", 110).insert(T, img("ID", 2L, "NAME", "b")).update(T, img("ID", 1L), img("NAME", "a2")).build(),
                tx("1.1.3", 120).at(4, 777).update(T, img("ID", 999L, "NAME", "old"), img("NAME", "ghost")).build(),
                tx("1.1.4", 130).insert(T, img("ID", 1L, "NAME", "dup")).insert(T, img("ID", 4L, "NAME", "d")).build()));
        assertEquals(List.of(List.of(1L, "a2"), List.of(2L, "b"), List.of(4L, "d")), idNames());
        assertEquals("130", checkpoint().get(2));
        assertEquals(1, a.getCounters().discarded);
        assertEquals(1, a.getCounters().ignored);
        String dsc = Files.readString(dir.resolve("dirrpt/REP1.dsc"), StandardCharsets.UTF_8);
        assertTrue(dsc.contains("Discarded record from action DISCARD on error NOTFOUND: REP1: UPDATE on " + T
                + " with key (ID=999) found no row (transaction XID 1.1.3 CSN 120 at trail seqno 4 RBA 777)"), dsc);
        assertTrue(dsc.contains("Trail position: seqno 4 RBA 777"), dsc);
        assertTrue(dsc.contains("Before image (2 columns):\nID = 999\nNAME = old\nAfter image (1 columns):\nNAME = ghost\n*\n"), dsc);
        assertTrue(dsc.contains("Statement: UPDATE "), dsc);
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void repErrorTransDiscardSkipsTheWholeSourceTransactionIntoTheDiscardFile(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setRepError("DEFAULT ABEND; NOTFOUND TRANSDISCARD");
        a.process(exchange(
                tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "a")).build(),
                // its insert would work, its update finds no row: neither is applied, both are discarded
                tx("1.1.2", 110).at(5, 900).insert(T, img("ID", 2L, "NAME", "b")).update(T, img("ID", 999L), img("NAME", "ghost")).build(),
                tx("1.1.3", 120).insert(T, img("ID", 3L, "NAME", "c")).build()));
        assertEquals(List.of(List.of(1L, "a"), List.of(3L, "c")), idNames());
        assertEquals("120", checkpoint().get(2));
        assertEquals(2, a.getCounters().discarded);
        assertEquals(1, a.getCounters().transDiscarded);
        String dsc = Files.readString(dir.resolve("dirrpt/REP1.dsc"), StandardCharsets.UTF_8);
        assertEquals(2, dsc.split("Discarded record from action TRANSDISCARD on error NOTFOUND", -1).length - 1, dsc);
        assertTrue(dsc.contains("Operation type: INSERT") && dsc.contains("Operation type: UPDATE"), dsc);
        assertTrue(dsc.contains("Trail position: seqno 5 RBA 900"), dsc);
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void fullDiscardFileAbendsBeforeTheGroupCommitsSoNoRecordIsLost(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setRepError("DEFAULT ABEND; NOTFOUND DISCARD");
        a.setDiscardFileOptions("APPEND, MAXBYTES 1500");
        a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "a")).build()));
        Transaction big = tx("1.1.2", 110).insert(T, img("ID", 2L, "NAME", "b"))
                .update(T, img("ID", 999L), img("NOTE", "x".repeat(2000))).build();
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(big)));
        assertTrue(e.getMessage().contains("would grow past its limit of 1500 bytes"), e.getMessage());
        assertEquals(List.of(List.of(1L, "a")), idNames(), "the group with the discard was not committed");
        assertEquals("100", checkpoint().get(2));
        assertFalse(Files.exists(dir.resolve("dirrpt/REP1.dsc")), "and wrote no partial record");
        a.stop();
        ReplicatApplier b = applier();
        b.setRepError("DEFAULT ABEND; NOTFOUND DISCARD");
        b.setDiscardFileOptions("APPEND, MEGABYTES 1");
        b.process(exchange(big)); // restarted with a larger file: applied once, recorded once
        assertEquals(List.of(List.of(1L, "a"), List.of(2L, "b")), idNames());
        assertTrue(Files.readString(dir.resolve("dirrpt/REP1.dsc")).contains("x".repeat(2000)));
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void abendNamesTheExactFailingRowOfABatchAndMovesNothing(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 3L, "NAME", "c")).build()));
        Transaction bad = tx("1.1.2", 110).at(2, 40).insert(T, img("ID", 1L)).insert(T, img("ID", 2L))
                .insert(T, img("ID", 3L)).insert(T, img("ID", 4L)).build();
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(bad)));
        assertTrue(e.getMessage().startsWith("REP1: INSERT on " + T + " {ID=3} failed: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(transaction XID 1.1.2 CSN 110 at trail seqno 2 RBA 40)"), e.getMessage());
        assertEquals(List.of(List.of(3L, "c")), idNames());
        assertEquals("100", checkpoint().get(2));
        assertSame(e, GroupRuntimes.of(ctx).abends().get("REP1"));
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void transAbortRetriesTheGroupThenAbendsAndRetryOpRetriesTheOperation(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setRepError("NOTFOUND TRANSABORT MAXRETRIES 2");
        Transaction t = tx("1.1.1", 100).insert(T, img("ID", 1L)).delete(T, img("ID", 9L)).build();
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(t)));
        assertTrue(e.getMessage().endsWith("(REPERROR TRANSABORT: gave up after 2 retries)"), e.getMessage());
        assertEquals(2, a.getCounters().transAborts);
        assertEquals(0, db.count("ORDERS"));

        ReplicatApplier b = applier();
        b.setRepError("NOTFOUND RETRYOP MAXRETRIES 3");
        ReplicatException e2 = assertThrows(ReplicatException.class, () -> b.process(exchange(t)));
        assertTrue(e2.getMessage().contains("DELETE on " + T + " with key (ID=9) found no row"), e2.getMessage());
        assertTrue(e2.getMessage().endsWith("(REPERROR RETRYOP: gave up after 3 retries)"), e2.getMessage());
        assertEquals(3, b.getCounters().retriedOps);
        assertEquals(0, db.count("ORDERS"));
        assertNull(checkpoint());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void sqlStateClassRuleAppliesToConstraintErrors(TargetDb.Kind kind) throws Exception {
        open(kind);
        db.sql("CREATE TABLE %S%.STRICT (ID BIGINT PRIMARY KEY, V VARCHAR(20) NOT NULL)");
        ReplicatApplier a = applier();
        a.setRepError("23 IGNORE"); // class 23: integrity constraint violation (NOT NULL: 23502)
        a.process(exchange(tx("1.1.1", 100).insert(db.t("STRICT"), img("ID", 1L, "V", null))
                .insert(db.t("STRICT"), img("ID", 2L, "V", "ok")).build()));
        assertEquals(List.of(List.of(2L, "ok")), db.rows("SELECT ID, V FROM %S%.STRICT"));
        assertEquals(1, a.getCounters().ignored);
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void handleCollisionsOverwritesIgnoresAndInsertsAndCountsThem(TargetDb.Kind kind) throws Exception {
        open(kind);
        db.sql("INSERT INTO %S%.ORDERS (ID, NAME) VALUES (1, 'target-old')",
                "INSERT INTO %S%.ORDERS (ID, NAME, AMOUNT) VALUES (20, 'loaded-old', 7), (21, 'loaded-new', 8)");
        ReplicatApplier a = applier();
        a.setHandleCollisions(true);
        a.process(exchange(
                tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "source")).build(),         // duplicate → overwrite
                tx("1.1.2", 110).update(T, img("ID", 5L), img("NAME", "nobody")).build(),      // missing → ignored
                tx("1.1.3", 120).delete(T, img("ID", 6L)).build(),                            // missing → ignored
                tx("1.1.4", 130).pkUpdate(T, img("ID", 7L), img("ID", 8L, "NAME", "moved")).build(), // missing → insert
                tx("1.1.5", 140).insert(T, img("ID", 9L, "NAME", "new")).build(),
                // the new key exists (an initial load already holds the moved row): the old row goes, the after
                // image overlays the new one (AMOUNT, not in the image, keeps its loaded value)
                tx("1.1.6", 150).pkUpdate(T, img("ID", 20L), img("ID", 21L, "NAME", "moved-here")).build()));
        assertEquals(List.of(List.of(1L, "source"), List.of(8L, "moved"), List.of(9L, "new"), List.of(21L, "moved-here")), idNames());
        assertEquals(0, new BigDecimal("8").compareTo((BigDecimal) db.rows("SELECT AMOUNT FROM " + T + " WHERE ID = 21").get(0).get(0)));
        ReplicatApplier.Counters c = a.getCounters();
        assertEquals(List.of(1L, 1L, 1L, 1L, 1L), List.of(c.collisionInsertsOverwritten, c.collisionUpdatesIgnored,
                c.collisionDeletesIgnored, c.collisionPkUpdatesInserted, c.collisionPkUpdatesOverwritten));
        assertEquals("150", checkpoint().get(2));
    }

    // ---- GROUPTRANSOPS and BATCHSQL --------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void groupTransOpsCommitsWholeSourceTransactionsInGroups(TargetDb.Kind kind) throws Exception {
        open(kind);
        for (int gto : new int[]{1, 2, 1000}) {
            db.sql("DELETE FROM %S%.ORDERS");
            db.sql("DELETE FROM %S%.CHECKPOINT");
            ReplicatApplier a = applier();
            a.setGroupTransOps(gto);
            // t4 fails on its second operation: with GROUPTRANSOPS 2 the groups are [t1 t2] [t3 t4] [t5]
            Exchange e = exchange(tx("1.1.1", 100).insert(T, img("ID", 1L)).build(),
                    tx("1.1.2", 110).insert(T, img("ID", 2L)).build(),
                    tx("1.1.3", 120).insert(T, img("ID", 3L)).build(),
                    tx("1.1.4", 130).insert(T, img("ID", 40L)).delete(T, img("ID", 99L)).build(),
                    tx("1.1.5", 140).insert(T, img("ID", 5L)).build());
            assertThrows(ReplicatException.class, () -> a.process(e));
            List<List<Object>> ids = db.rows("SELECT ID FROM " + T + " ORDER BY ID");
            List<Object> cp = checkpoint();
            switch (gto) {
                case 1 -> {
                    assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L)), ids, "a source transaction is never split");
                    assertEquals("120", cp.get(2));
                }
                case 2 -> {
                    assertEquals(List.of(List.of(1L), List.of(2L)), ids);
                    assertEquals("110", cp.get(2));
                }
                default -> {
                    assertEquals(List.of(), ids);
                    assertNull(cp);
                }
            }
            a.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void batchSqlOnAndOffGiveTheSameResult(TargetDb.Kind kind) throws Exception {
        open(kind);
        List<List<List<Object>>> results = new ArrayList<>();
        for (boolean batch : new boolean[]{true, false}) {
            db.sql("DELETE FROM %S%.ORDERS");
            db.sql("DELETE FROM %S%.CHECKPOINT");
            ReplicatApplier a = applier();
            a.setBatchSql(batch);
            a.setBatchSize(7);
            List<Transaction> txs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Tx t = tx("2.2." + i, 1000 + i);
                t.insert(T, img("ID", (long) i, "NAME", "n" + i, "AMOUNT", new BigDecimal(i + ".5")));
                if (i > 0) t.update(T, img("ID", (long) i - 1), img("NAME", "u" + i));
                if (i % 5 == 0 && i > 0) t.delete(T, img("ID", (long) i - 2));
                if (i % 7 == 0) t.insert(NK, img("A", (long) i, "B", null));
                txs.add(t.build());
            }
            a.process(exchange(txs.toArray(Transaction[]::new)));
            assertEquals(50, a.getAppliedTransactions());
            results.add(db.rows("SELECT ID, NAME, AMOUNT FROM " + T + " ORDER BY ID"));
            a.stop();
        }
        assertEquals(41, results.get(0).size()); // 50 inserts, 9 deletes
        assertEquals(results.get(0).toString(), results.get(1).toString());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void gracefulStopFinishesTheExchangeBeingApplied(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setGroupTransOps(1);
        a.setBatchSql(false);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) txs.add(tx("3.3." + i, 10_000 + i).insert(T, img("ID", (long) i, "NAME", "r" + i)).build());
        a.start();
        // the stop comes while the exchange is applied, by construction: the group's applied listener (called on the
        // apply thread after each commit) holds the worker after the first commit until stop() waits for the applier
        java.util.concurrent.CountDownLatch firstCommitted = new java.util.concurrent.CountDownLatch(1);
        Thread stopper = Thread.currentThread();
        java.util.concurrent.atomic.AtomicLong appliedWhenStopWaited = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
        GroupRuntimes.of(ctx, dir, "REP1").onApplied((source, target) -> {
            if (applied.incrementAndGet() != 1) return;
            firstCommitted.countDown();
            try {
                io.redotrail.testutil.Waits.await(() -> waitsInStop(stopper), "stop() to wait for the applier");
                appliedWhenStopWaited.set(applied.get());
            } catch (InterruptedException | AssertionError e) {
                // a listener must not throw: the assertion below names what did not happen
            }
        });
        Thread worker = new Thread(() -> a.process(exchange(txs.toArray(Transaction[]::new))));
        worker.start();
        io.redotrail.testutil.Waits.await(firstCommitted, "the first commit of the exchange");
        a.stop(); // waits for the exchange in progress, however long its 999 other commits take
        // the stop came while the exchange was being applied (else this test would prove nothing)
        assertEquals(1, appliedWhenStopWaited.get(), "stop() waited for the applier after the first of 1000 commits");
        // judged by what is committed, not by worker.isAlive(): the worker may still be ending after it let go of the lock
        assertEquals(1000, db.count("ORDERS"), "stop returned only after the exchange was applied");
        io.redotrail.testutil.Waits.join(worker, "the worker");
        assertEquals("10999", checkpoint().get(2));
        assertEquals('G', new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.replicatFile(dir, "REP1"))
                .read().orElseThrow().stopStatus());
    }

    /** {@code t} is blocked entering {@link ReplicatApplier#stop()}: the applier's monitor is held by the apply. */
    private static boolean waitsInStop(Thread t) {
        if (t.getState() != Thread.State.BLOCKED) return false;
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(ReplicatApplier.class.getName()) && e.getMethodName().equals("stop")) return true;
        }
        return false;
    }

    // ---- checkpoint table vs file (OGG-30176) ----------------------------------------------------------

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void olderCheckpointTableWarnsAbendsOrUsesTheFile(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L)).build()));
        a.process(exchange(tx("1.1.2", 200).insert(T, img("ID", 2L)).build()));
        a.stop(); // file: seqno 1 RBA 20050
        // the target is restored from a backup taken after CSN 100
        db.sql("DELETE FROM %S%.ORDERS WHERE ID = 2",
                "UPDATE %S%.CHECKPOINT SET RBA = 10050, LOG_CSN = '100', LOG_CMPLT_CSN = '100', LOG_CMPLT_XIDS = '1.1.1'");

        ReplicatApplier warn = applier();
        assertEquals(new TrailPosition(1, 10050), warn.startPosition().orElseThrow());
        String w = warn.getStartupWarning();
        assertTrue(w.startsWith("OGG-30176 REP1: checkpoint table " + db.schema + ".CHECKPOINT position (seqno 1 RBA 10050, CSN 100) "
                + "is older than checkpoint file "), w);
        assertTrue(w.contains("REP1.cpr position (seqno 1 RBA 20050)") && w.contains("onOlderTable=WARN_USE_TABLE"), w);
        // the .cpr is back at the table position before anything is applied: PURGEOLDEXTRACTS keeps what the re-apply reads
        assertEquals(new TrailPosition(1, 10050), new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile
                .replicatFile(dir, "REP1")).read().orElseThrow().trailRead().current());
        // the table wins: CSN 200 is applied again, CSN 100 is still suppressed
        warn.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L)).build(), tx("1.1.2", 200).insert(T, img("ID", 2L)).build()));
        assertEquals(2, db.count("ORDERS"));
        warn.stop();

        db.sql("UPDATE %S%.CHECKPOINT SET RBA = 10050, LOG_CSN = '100', LOG_CMPLT_CSN = '100', LOG_CMPLT_XIDS = '1.1.1'");
        ReplicatApplier abend = applier();
        abend.setOnOlderTable("abend");
        ReplicatException e = assertThrows(ReplicatException.class, abend::startPosition);
        assertTrue(e.getMessage().contains("seqno 1 RBA 10050") && e.getMessage().contains("seqno 1 RBA 20050")
                && e.getMessage().contains("onOlderTable=ABEND"), e.getMessage());

        ReplicatApplier file = applier();
        file.setOnOlderTable("USE_FILE");
        assertEquals(new TrailPosition(1, 20050), file.startPosition().orElseThrow());
        assertTrue(file.getStartupWarning().contains("onOlderTable=USE_FILE"));
        assertThrows(IllegalArgumentException.class, () -> file.setOnOlderTable("MAYBE"));
    }

    /**
     * MAP s.*, TARGET s.* maps columns by name (USEDEFAULTS): a source column the target table lacks is left out, and
     * the report says so once for the table (RTR-01330). (Without a MAP statement such a column is an error.)
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aSourceColumnTheTargetLacksIsReportedOnce(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setMap("MAP " + db.schema + ".*, TARGET " + db.schema + ".*;");
        a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "one", "MEMO", "kept nowhere")).build(),
                tx("1.1.2", 101).insert(T, img("ID", 2L, "NAME", "two", "MEMO", "nor here")).build()));
        assertEquals(List.of(List.of(1L, "one"), List.of(2L, "two")), idNames().stream()
                .map(r -> List.of(((Number) r.get(0)).longValue(), r.get(1))).toList());
        List<String> rpt = io.redotrail.report.ReportFile.open(dir, "REP1").lines().stream().filter(l -> l.contains("RTR-01330")).toList();
        assertEquals(1, rpt.size(), rpt.toString());
        assertTrue(rpt.get(0).contains("WARNING RTR-01330  REP1: source table " + T + " has column(s) MEMO that target table " + T
                + " lacks: their values are not applied"), rpt.get(0));
    }

    /** MAP s.*, TARGET s.ONE: a source table none of whose columns the target has is an error naming the target table. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aMappingThatLeavesNoColumnIsAnErrorNamingTheTable(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier();
        a.setMap("MAP " + db.schema + ".*, TARGET " + NK + ";");
        ApplyError e = assertThrows(ApplyError.class, () -> a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "one")).build())));
        assertTrue(e.getMessage().startsWith("REP1: an INSERT into target table " + NK + " has no column to write"), e.getMessage());
        assertEquals(0, db.count("NOKEY"));
    }

    /** ADD REPLICAT ..., BEGIN NOW | EXTSEQNO n, EXTRBA m: a group that never ran starts where ADD put it, with no row yet. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aNewGroupStartsAtThePositionAddGave(TargetDb.Kind kind) throws Exception {
        open(kind);
        io.redotrail.checkpoint.TrailReadCheckpoint at = new io.redotrail.checkpoint.TrailReadCheckpoint("./dirdat/ha",
                new TrailPosition(3, 1755), 0, new TrailPosition(3, 1755), 0);
        new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.replicatFile(dir, "REP1")).write(
                new io.redotrail.checkpoint.ProcessCheckpoint("REP1", "REPLICAT", List.of(), at, List.of(), null, null, null,
                        0, System.currentTimeMillis(), 'G'));
        assertNull(checkpoint(), "no row: the group never ran");
        ReplicatApplier a = applier();
        assertEquals(new TrailPosition(3, 1755), a.startPosition().orElseThrow());
        assertNull(a.getStartupWarning(), "not an older table: nothing was applied");
        a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L)).build()));
        assertEquals(1, db.count("ORDERS"));
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void checkpointTableHasGoldenGateColumnsAndLox(TargetDb.Kind kind) throws Exception {
        open(kind);
        applier().process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L)).build()));
        List<String> cols = new ArrayList<>();
        List<String> lox = new ArrayList<>();
        try (var c = db.connect()) {
            var md = c.getMetaData();
            String sch = kind == TargetDb.Kind.H2 ? db.schema : db.schema.toLowerCase();
            try (var rs = md.getColumns(null, sch, kind == TargetDb.Kind.H2 ? "CHECKPOINT" : "checkpoint", "%")) {
                while (rs.next()) cols.add(rs.getString("COLUMN_NAME").toUpperCase());
            }
            try (var rs = md.getColumns(null, sch, kind == TargetDb.Kind.H2 ? "CHECKPOINT_LOX" : "checkpoint_lox", "%")) {
                while (rs.next()) lox.add(rs.getString("COLUMN_NAME").toUpperCase());
            }
        }
        assertEquals(List.of("GROUP_NAME", "GROUP_KEY", "SEQNO", "RBA", "AUDIT_TS", "CREATE_TS", "LAST_UPDATE_TS",
                "CURRENT_DIR", "LOG_CSN", "LOG_XID", "LOG_CMPLT_CSN", "LOG_CMPLT_XIDS", "VERSION"), cols);
        assertEquals(List.of("GROUP_NAME", "GROUP_KEY", "LOG_CMPLT_CSN", "LOG_CMPLT_XIDS_SEQ", "LOG_CMPLT_XIDS"), lox);
    }

    static Transaction raw(String table, ChangeOp op) {
        return new Transaction(Xid.parse("1.1.1"), Scn.of(1), 0, 1, List.of(new RowChange(table, op, null, img("ID", 1L))),
                null, new TrailPosition(1, 0), new TrailPosition(1, 10));
    }
}
