package io.redotrail.replicat;

import io.redotrail.core.Heartbeat;
import io.redotrail.core.Transaction;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Replicat with heartbeat records on a real H2 target: they never reach MAP (no user table of that name
 * exists), they land in GG_HEARTBEAT and its history stamped with the Replicat and commit with the checkpoint row;
 * without the heartbeat tables, or when they are dropped while it runs, the user data is still applied.
 */
class HeartbeatApplyTest {
    static final String T = "POS_USER9.ORDERS";
    static final LocalDateTime T0 = LocalDateTime.of(2026, 12, 3, 8, 0);
    final CamelContext ctx = new DefaultCamelContext();

    @TempDir
    Path dir;
    String url;
    ReplicatApplier applier;

    @BeforeEach
    void setUp() throws SQLException {
        url = "jdbc:h2:file:" + dir.resolve("target") + ";DB_CLOSE_DELAY=-1";
        sql("CREATE SCHEMA POS_USER9", "CREATE TABLE POS_USER9.ORDERS (ID BIGINT PRIMARY KEY, NAME VARCHAR(200))");
        applier = new ReplicatApplier();
        applier.setCamelContext(ctx);
        applier.setGroup("rep1");
        applier.setHome(dir.toString());
        applier.setJdbcUrl(url);
        applier.setUser("sa");
        applier.setPassword("");
        applier.setTrail("./dirdat/rt");
        applier.setFileCheckpointMillis(0);
    }

    @AfterEach
    void tearDown() throws SQLException {
        applier.stop();
        sql("SHUTDOWN");
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            for (String q : statements) s.execute(q);
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A user row and a heartbeat stamped by EXT1 and PUMP1, in one source transaction each. */
    private void apply(String xid, long csn, long id, LocalDateTime beat) {
        Transaction user = tx(xid + "1", csn).insert(T, img("ID", id, "NAME", "n" + id)).build();
        Transaction hb = Heartbeat.stamp(Heartbeat.stamp(List.of(tx(xid + "2", csn + 1).insert(Heartbeat.SEED,
                Heartbeat.seedImage("ORCL", 1, beat)).build()), Heartbeat.Hop.EXTRACT, "EXT1", Heartbeat.millis(beat) + 100),
                Heartbeat.Hop.ROUTING, "PUMP1", Heartbeat.millis(beat) + 200).get(0);
        Exchange e = new DefaultExchange(ctx);
        e.getIn().setBody(Arrays.asList(user, hb));
        applier.process(e);
    }

    @Test
    void heartbeatsGoToTheHeartbeatTablesOnly() throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            HeartbeatTables.create(c);
        }
        applier.start();
        apply("1.1.", 100, 1, T0);
        apply("1.2.", 200, 2, T0.plusSeconds(60));
        assertEquals(2, count(T));
        assertEquals(1, count(Heartbeat.TABLE));
        assertEquals(2, count(Heartbeat.HISTORY));
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT INCOMING_PATH, INCOMING_EXTRACT_LAG, INCOMING_ROUTING_LAG FROM " + Heartbeat.LAG_VIEW)) {
            rs.next();
            assertEquals("EXT1 ==> PUMP1 ==> REP1", rs.getString(1));
            assertEquals(0.1, rs.getDouble(2), 1e-9);
            assertEquals(0.1, rs.getDouble(3), 1e-9);
        }
        // dropped while the Replicat runs: the user data of the next group still commits
        sql("DROP VIEW " + Heartbeat.LAG_VIEW, "DROP VIEW " + Heartbeat.LAG_HISTORY_VIEW, "DROP TABLE " + Heartbeat.HISTORY);
        apply("1.3.", 300, 3, T0.plusSeconds(120));
        assertEquals(3, count(T));
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT HEARTBEAT_TIMESTAMP FROM " + Heartbeat.TABLE)) {
            rs.next();
            assertEquals(T0.plusSeconds(60), rs.getObject(1, LocalDateTime.class), "the failed heartbeat write rolled back to its savepoint");
        }
    }

    @Test
    void aParallelReplicatRecordsHeartbeatsAndMovesPastThem() throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            HeartbeatTables.create(c);
        }
        applier.setParallel(true);
        applier.setApplyParallelism(2);
        applier.start();
        apply("1.1.", 100, 1, T0);
        applier.stop();
        assertEquals(1, count(T));
        assertEquals(1, count(Heartbeat.HISTORY), "a parallel Replicat records heartbeats");
        assertEquals(1, count(Heartbeat.TABLE));
        assertEquals(101, new CheckpointTable(CheckpointTable.DEFAULT_NAME, dir.toString()).read(DriverManager.getConnection(url, "sa", ""), "REP1")
                .orElseThrow().logCsn().value(), "its checkpoint passes the heartbeat's transaction");
    }

    @Test
    void withoutTheTablesUserDataIsStillApplied() throws Exception {
        applier.start();
        apply("1.1.", 100, 1, T0);
        assertEquals(1, count(T));
        assertEquals(101, new CheckpointTable(CheckpointTable.DEFAULT_NAME, dir.toString()).read(DriverManager.getConnection(url, "sa", ""), "REP1")
                .orElseThrow().logCsn().value());
    }
}
