package io.redotrail.replicat;

import io.redotrail.core.Heartbeat;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The target's heartbeat objects on a real H2 database: GG_HEARTBEAT keeps one row per source, thread and path
 * (upserted), the history one row per heartbeat, GG_LAG computes each hop from the stamps, the purge deletes by
 * receive time, DROP removes everything.
 */
class HeartbeatTablesTest {
    private static final LocalDateTime T = LocalDateTime.of(2026, 12, 3, 8, 0, 0);

    private static HeartbeatTables.Received hb(LocalDateTime at, String routing) {
        return new HeartbeatTables.Received("TARGET", "ORCL", 1, at, "EXT1", at.plusSeconds(1),
                routing, routing.isEmpty() ? null : at.plusSeconds(3), "REP1", at.plusSeconds(4));
    }

    @Test
    void onH2() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:hbtables1", "sa", "")) {
            upsertPerPathHistoryPerHeartbeatLagPerHop(c);
        }
    }

    /** In a database of its own (the view's time arithmetic is PostgreSQL's), dropped after. */
    @Test
    void onPostgresql() throws Exception {
        String db = "rt_hb_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = TargetDb.PG_URL.substring(0, TargetDb.PG_URL.lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(TargetDb.PG_URL, "postgres", ""); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + db);
            try (Connection c = DriverManager.getConnection(base + db, "postgres", "")) {
                upsertPerPathHistoryPerHeartbeatLagPerHop(c);
            } finally {
                st.execute("DROP DATABASE " + db + " WITH (FORCE)");
            }
        }
    }

    private void upsertPerPathHistoryPerHeartbeatLagPerHop(Connection c) throws Exception {
        {
            assertEquals(List.of(Heartbeat.TABLE, Heartbeat.HISTORY, Heartbeat.LAG_VIEW), HeartbeatTables.create(c));
            assertEquals(List.of(), HeartbeatTables.create(c)); // a second ADD finds them
            c.setAutoCommit(false);
            HeartbeatTables.write(c, List.of(hb(T, "PUMP1")), T.plusSeconds(6));
            HeartbeatTables.write(c, List.of(hb(T.plusSeconds(60), "PUMP1"), hb(T.plusSeconds(60), "")), T.plusSeconds(70));
            c.commit();
            try (Statement st = c.createStatement()) {
                assertEquals(2, count(st, Heartbeat.TABLE));
                assertEquals(3, count(st, Heartbeat.HISTORY));
                try (ResultSet rs = st.executeQuery("SELECT INCOMING_PATH, INCOMING_EXTRACT_LAG, INCOMING_ROUTING_LAG,"
                        + " INCOMING_REPLICAT_LAG, INCOMING_LAG FROM " + Heartbeat.LAG_VIEW + " ORDER BY INCOMING_PATH")) {
                    assertTrue(rs.next());
                    assertEquals("EXT1 ==> PUMP1 ==> REP1", rs.getString(1));
                    assertEquals(0, new BigDecimal("1").compareTo(rs.getBigDecimal(2)));
                    assertEquals(0, new BigDecimal("2").compareTo(rs.getBigDecimal(3)));
                    assertEquals(0, new BigDecimal("7").compareTo(rs.getBigDecimal(4))); // applied at +70 s, routed at +63 s
                    assertEquals(0, new BigDecimal("10").compareTo(rs.getBigDecimal(5)));
                    assertTrue(rs.next());
                    assertEquals("EXT1 ==> REP1", rs.getString(1));
                    assertEquals(null, rs.getBigDecimal(3)); // no pump on this path
                    assertEquals(0, new BigDecimal("9").compareTo(rs.getBigDecimal(4))); // from the extract's stamp
                    assertFalse(rs.next());
                }
                // received at +6 s and +70 s: a cutoff between them purges one row
                assertEquals(1, HeartbeatTables.purge(c, T.plusSeconds(30)));
                c.commit();
                assertEquals(2, count(st, Heartbeat.HISTORY));
            }
            assertEquals(List.of(Heartbeat.LAG_VIEW, Heartbeat.HISTORY, Heartbeat.TABLE), HeartbeatTables.drop(c));
            assertFalse(HeartbeatTables.exists(c, Heartbeat.TABLE));
        }
    }

    private static int count(Statement st, String table) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
