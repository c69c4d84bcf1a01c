package io.redotrail.replicat;

import io.redotrail.report.GroupRuntimes;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.trail.camel.TrailConstants;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.*;

/** ReplicatApplier against real H2 file databases. */
class ReplicatApplierTest {
    static final String T = "POS_USER9.ORDERS";
    // per test (JUnit makes an instance per test): each test's group state is its own
    final CamelContext ctx = new DefaultCamelContext();
    // builds exchanges only: each applier's group state is in its own ctx
    static final CamelContext EXCHANGES = new DefaultCamelContext();

    @TempDir
    Path dir;
    String url;
    final List<ReplicatApplier> appliers = new ArrayList<>();

    @BeforeEach
    void setUp() throws SQLException {
        url = "jdbc:h2:file:" + dir.resolve("target") + ";DB_CLOSE_DELAY=-1";
        sql("CREATE SCHEMA POS_USER9",
                "CREATE TABLE POS_USER9.ORDERS (ID BIGINT PRIMARY KEY, NAME VARCHAR(200), AMOUNT DECIMAL(38,10), "
                        + "CREATED TIMESTAMP(9), BDAY DATE, DATA VARBINARY(100), RATIO DOUBLE PRECISION, FLAG BOOLEAN, NOTE CLOB)",
                "CREATE TABLE POS_USER9.NOKEY (A INT, B VARCHAR(20))");
    }

    @AfterEach
    void tearDown() throws SQLException {
        appliers.forEach(ReplicatApplier::stop);
        sql("SHUTDOWN");
    }

    ReplicatApplier applier() {
        ReplicatApplier a = new ReplicatApplier();
        a.setCamelContext(ctx);
        a.setGroup("rep1");
        a.setHome(dir.toString());
        a.setJdbcUrl(url);
        a.setUser("sa");
        a.setPassword("");
        a.setTrail("./dirdat/rt");
        a.setFileCheckpointMillis(0);
        appliers.add(a);
        return a;
    }

    static Exchange exchange(Transaction... txs) {
        Exchange e = new DefaultExchange(EXCHANGES);
        e.getIn().setBody(Arrays.asList(txs));
        return e;
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            for (String q : statements) s.execute(q);
        }
    }

    List<List<Object>> rows(String query) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    r.add(v instanceof java.sql.Clob c2 ? c2.getSubString(1, (int) c2.length()) : v);
                }
                out.add(r);
            }
        }
        return out;
    }

    long count(String table) throws SQLException {
        return ((Number) rows("SELECT COUNT(*) FROM " + table).get(0).get(0)).longValue();
    }

    List<Object> checkpointRow() throws SQLException {
        List<List<Object>> r = rows("SELECT SEQNO, RBA, LOG_CSN, LOG_CMPLT_CSN, LOG_CMPLT_XIDS, GROUP_KEY, CURRENT_DIR, "
                + "AUDIT_TS FROM GGADMIN.CHECKPOINT WHERE GROUP_NAME = 'REP1'");
        return r.isEmpty() ? null : r.get(0);
    }

    @Test
    void appliesEveryOperationTypeWithNullsMultibyteDecimalsAndLargeText() throws Exception {
        String big = "データ".repeat(350_000); // ~1 MB of characters (3 MB UTF-8)
        BigDecimal dec = new BigDecimal("1234567890123456789012345678.0123456789");
        LocalDateTime ts = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123456789);
        ReplicatApplier a = applier();
        a.process(exchange(
                tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "東京 café 🚀", "AMOUNT", dec, "CREATED", ts,
                        "BDAY", LocalDate.of(2024, 1, 2), "DATA", new byte[]{0, 1, (byte) 0xFF}, "RATIO", 0.25,
                        "FLAG", true, "NOTE", big)).build(),
                tx("1.1.2", 101).insert(T, img("ID", 2L, "NAME", null, "AMOUNT", null, "CREATED", null,
                        "BDAY", null, "DATA", null, "RATIO", null, "FLAG", null, "NOTE", null))
                        .insert(T, img("ID", 3L, "NAME", "three")).build()));
        assertEquals(3, count(T));
        a.process(exchange(
                tx("1.2.1", 200).update(T, img("ID", 2L), img("ID", 2L, "NAME", "zwei", "AMOUNT", new BigDecimal("-0.0000000001")))
                        .update(T, img("ID", 1L), img("NAME", null, "FLAG", false)).build(),
                tx("1.2.2", 201).pkUpdate(T, img("ID", 3L), img("ID", 30L, "NAME", "thirty")).build(),
                tx("1.2.3", 202).delete(T, img("ID", 2L, "NAME", "zwei")).build()));

        List<List<Object>> r = rows("SELECT ID, NAME, AMOUNT, CREATED, BDAY, DATA, RATIO, FLAG, NOTE FROM " + T + " ORDER BY ID");
        assertEquals(2, r.size());
        List<Object> one = r.get(0);
        assertEquals(1L, ((Number) one.get(0)).longValue());
        assertNull(one.get(1), "update to NULL");
        assertEquals(0, dec.compareTo((BigDecimal) one.get(2)));
        assertEquals(ts, ((java.sql.Timestamp) one.get(3)).toLocalDateTime());
        assertEquals(LocalDate.of(2024, 1, 2), ((java.sql.Date) one.get(4)).toLocalDate());
        assertArrayEquals(new byte[]{0, 1, (byte) 0xFF}, (byte[]) one.get(5));
        assertEquals(0.25, one.get(6));
        assertEquals(false, one.get(7));
        assertEquals(big, one.get(8));
        assertEquals(List.of(30L, "thirty"), List.of(((Number) r.get(1).get(0)).longValue(), r.get(1).get(1)));

        List<Object> cp = checkpointRow();
        assertEquals(1, ((Number) cp.get(0)).intValue());
        assertEquals(202 * 100 + 50L, ((Number) cp.get(1)).longValue());
        assertEquals("202", cp.get(2));
        assertEquals("202", cp.get(3));
        assertEquals("1.2.3", cp.get(4));
        assertEquals(GroupKey.of("REP1", HomeIdentity.of(dir)), ((Number) cp.get(5)).longValue(), "the name's and the home's key");
        assertEquals(GroupKey.dirOf(dir), cp.get(6));
        assertEquals("2023-11-14 22:13:20.202000", cp.get(7));
        assertEquals(5, a.getAppliedTransactions());

        ProcessCheckpoint file = new CheckpointFile(CheckpointFile.replicatFile(dir, "REP1")).read().orElseThrow();
        assertEquals(new TrailPosition(1, 20250), file.trailRead().current());
        assertEquals(new TrailPosition(1, 10000), file.trailRead().startup());
        assertEquals("./dirdat/rt", file.trailRead().trail());
    }

    /**
     * Updates of one shape (SET NAME, AMOUNT by ID) whose after images place the columns differently: each binds its
     * own values wherever the image lists them, one by one and in one JDBC batch.
     */
    @Test
    void updatesOfOneShapeBindByNameWhereverTheImageListsThem() throws Exception {
        for (boolean batchSql : new boolean[]{false, true}) {
            sql("DELETE FROM " + T);
            ReplicatApplier a = applier();
            a.setBatchSql(batchSql);
            Tx t = tx("1.1." + (batchSql ? 2 : 1), batchSql ? 200 : 100);
            for (long id = 1; id <= 4; id++) t.insert(T, img("ID", id, "NAME", "n" + id));
            t.update(T, img("ID", 1L), img("ID", 1L, "NAME", "a", "AMOUNT", BigDecimal.ONE))
                    .update(T, img("ID", 2L), img("NAME", "b", "AMOUNT", new BigDecimal("2"), "ID", 2L))
                    .update(T, img("ID", 3L), img("NAME", "c", "AMOUNT", BigDecimal.TEN))
                    .update(T, img("ID", 4L), img("ID", 4L, "NAME", "d", "AMOUNT", new BigDecimal("4")));
            a.process(exchange(t.build()));
            List<List<Object>> r = rows("SELECT ID, NAME, CAST(AMOUNT AS INT) FROM " + T + " ORDER BY ID");
            assertEquals(List.of(List.of(1L, "a", 1), List.of(2L, "b", 2), List.of(3L, "c", 10), List.of(4L, "d", 4)), r,
                    "BATCHSQL " + batchSql);
            a.stop();
        }
    }

    @Test
    void failureMidBatchMovesNeitherDataNorCheckpoint() throws Exception {
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.1.1", 100).insert(T, img("ID", 1L, "NAME", "a")).build()));
        Exchange bad = exchange(
                tx("1.1.2", 110).insert(T, img("ID", 2L, "NAME", "b")).update(T, img("ID", 1L), img("NAME", "a2")).build(),
                tx("1.1.3", 120).at(4, 777).update(T, img("ID", 999L), img("NAME", "ghost")).build(),
                tx("1.1.4", 130).insert(T, img("ID", 4L, "NAME", "d")).build());
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(bad));
        assertEquals("REP1: UPDATE on POS_USER9.ORDERS with key (ID=999) found no row "
                + "(transaction XID 1.1.3 CSN 120 at trail seqno 4 RBA 777)", e.getMessage());
        assertEquals(List.of(List.of(1L, "a")), rows("SELECT ID, NAME FROM " + T));
        assertEquals("100", checkpointRow().get(2));
        assertEquals(10050L, ((Number) checkpointRow().get(1)).longValue());
        assertSame(e, GroupRuntimes.of(ctx).abends().get("REP1"));
        // abended: a later exchange must not be applied over the gap
        assertThrows(ReplicatException.class, () -> a.process(exchange(tx("1.1.5", 140).insert(T, img("ID", 5L)).build())));
        assertEquals(1, count(T));
    }

    @Test
    void restartWithNewApplierSkipsAlreadyAppliedCsns() throws Exception {
        Transaction t1 = tx("1.1.1", 100).insert(T, img("ID", 1L)).build();
        Transaction t2 = tx("1.1.2", 200).insert(T, img("ID", 2L)).build();
        Transaction t3 = tx("1.1.3", 300).insert(T, img("ID", 3L)).build();
        ReplicatApplier first = applier();
        first.process(exchange(t1, t2));
        // no stop(): the process dies; only the committed table row survives
        ReplicatApplier second = applier();
        assertEquals(t2.trailEnd(), second.startPosition().orElseThrow());
        second.process(exchange(t1, t2));  // trail re-read from an older position
        second.process(exchange(t2, t3));
        assertEquals(3, second.getSkippedTransactions());
        assertEquals(1, second.getAppliedTransactions());
        assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L)), rows("SELECT ID FROM " + T + " ORDER BY ID"));
        assertEquals("300", checkpointRow().get(2));
    }

    @Test
    void transactionsSharingACsnAreNotSkippedAcrossExchanges() throws Exception {
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.1.1", 500).insert(T, img("ID", 1L)).build()));
        a.process(exchange(tx("1.1.2", 500).insert(T, img("ID", 2L)).build()));
        assertEquals("1.1.1,1.1.2", checkpointRow().get(4));
        ReplicatApplier b = applier();
        b.process(exchange(tx("1.1.1", 500).insert(T, img("ID", 1L)).build(),
                tx("1.1.2", 500).insert(T, img("ID", 2L)).build(),
                tx("1.1.3", 500).insert(T, img("ID", 3L)).build()));
        assertEquals(2, b.getSkippedTransactions());
        assertEquals(3, count(T));
        assertEquals("1.1.1,1.1.2,1.1.3", checkpointRow().get(4));
    }

    @Test
    void unknownTargetTableIsNamedWithTheTrailPosition() {
        ReplicatApplier a = applier();
        Transaction t = new Transaction(io.redotrail.core.Xid.parse("10.16.1533"), io.redotrail.core.Scn.of(9137521), 0, 1,
                List.of(new io.redotrail.core.RowChange("POS_USER9.ORDERS9", io.redotrail.core.ChangeOp.INSERT, null,
                        img("ID", 1L))), null, new TrailPosition(3, 1755), new TrailPosition(3, 1900));
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(t)));
        assertEquals("REP1: target table POS_USER9.ORDERS9 does not exist (transaction XID 10.16.1533 CSN 9137521 "
                + "at trail seqno 3 RBA 1755)", e.getMessage());
    }

    @Test
    void tableWithoutPrimaryKeyUsesAllBeforeColumnsIncludingNulls() throws Exception {
        String nk = "POS_USER9.NOKEY";
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.1.1", 100).insert(nk, img("A", 1L, "B", null)).insert(nk, img("A", 2L, "B", "x")).build()));
        a.process(exchange(tx("1.1.2", 200).update(nk, img("A", 1L, "B", null), img("A", 1L, "B", "set"))
                .delete(nk, img("A", 2L, "B", "x")).build()));
        assertEquals(List.of(List.of(1, "set")), rows("SELECT A, B FROM " + nk));
    }

    @Test
    void emptyBodyWithReadCheckpointHeaderJustReturns() throws Exception {
        ReplicatApplier a = applier();
        Exchange e = new DefaultExchange(EXCHANGES);
        e.getIn().setBody(List.of());
        e.getIn().setHeader(TrailConstants.READ_CHECKPOINT, "x");
        a.process(e);
        assertTrue(a.startPosition().isEmpty());
    }

    @Test
    void aReplicatAddedAtTheStartOfItsTrailHasNoOlderTableToWarnAbout() throws Exception {
        // ADD REPLICAT writes REP1.cpr at seqno 0 RBA 0 and the checkpoint table has no row yet: the two agree
        TrailPosition start = new TrailPosition(0, 0);
        new CheckpointFile(CheckpointFile.replicatFile(dir, "REP1")).write(new ProcessCheckpoint("REP1", "REPLICAT", List.of(),
                new io.redotrail.checkpoint.TrailReadCheckpoint("./dirdat/rt", start, 0, start, 0), List.of(), null, null, null, 0, 0, 'G'));
        ReplicatApplier a = applier();
        assertEquals(start, a.startPosition().orElseThrow());
        assertNull(a.getStartupWarning());
        a.stop();
    }

    @Test
    void theCheckpointFileNamesTheTrailReadWhenOnlyItsPathIsConfigured() throws Exception {
        ReplicatApplier a = applier();
        a.setTrail("");
        a.setTrailPath(dir.resolve("dirdat/rt").toString());
        a.process(exchange(tx("1.1.2", 100).at(0, 4000).insert(T, img("ID", 1L)).build()));
        a.stop();
        assertEquals("./dirdat/rt", new CheckpointFile(CheckpointFile.replicatFile(dir, "REP1")).read().orElseThrow().trailRead().trail());
    }

    @Test
    void tableWithoutRowIsAuthoritativeOverTheFileUnlessUseFile() throws Exception {
        ReplicatApplier a = applier();
        a.process(exchange(tx("1.1.1", 100).at(7, 4000).insert(T, img("ID", 1L)).build()));
        a.stop();
        // the target lost its commits (restore, or a database that does not survive kill -9 with its last commits)
        sql("DELETE FROM GGADMIN.CHECKPOINT", "DELETE FROM " + T);
        java.nio.file.Files.createDirectories(dir.resolve("dirdat"));
        java.nio.file.Files.write(dir.resolve("dirdat/rt000000005"), new byte[0]);
        ReplicatApplier purged = applier();
        purged.setTrailPath(dir.resolve("dirdat/rt").toString());
        ReplicatException gone = assertThrows(ReplicatException.class, purged::startPosition,
                "re-applying needs seqno 0, which is gone: starting at seqno 5 would skip files 0-4 silently");
        assertTrue(gone.getMessage().contains("from seqno 0") && gone.getMessage().contains("is seqno 5"), gone.getMessage());
        java.nio.file.Files.write(dir.resolve("dirdat/rt000000000"), new byte[0]);
        ReplicatApplier b = applier();
        b.setTrailPath(dir.resolve("dirdat/rt").toString());
        assertEquals(new TrailPosition(0, 0), b.startPosition().orElseThrow(), "from the beginning of the trail");
        assertTrue(b.getStartupWarning().contains("checkpoint table GGADMIN.CHECKPOINT has no row for the group (nothing applied) "
                + "is older than checkpoint file"), b.getStartupWarning());
        b.stop();
        ReplicatApplier c = applier();
        c.setOnOlderTable("USE_FILE");
        assertEquals(new TrailPosition(7, 4050), c.startPosition().orElseThrow());
        assertEquals('G', new CheckpointFile(CheckpointFile.replicatFile(dir, "REP1")).read().orElseThrow().stopStatus());
    }
}
