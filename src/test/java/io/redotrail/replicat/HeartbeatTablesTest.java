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
            assertEquals(List.of(Heartbeat.TABLE, Heartbeat.HISTORY, Heartbeat.LAG_VIEW, Heartbeat.LAG_HISTORY_VIEW), HeartbeatTables.create(c));
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
                // GoldenGate's columns, both directions: a script written for GoldenGate's tables runs; OUTGOING is NULL
                String all = "LOCAL_DATABASE, HEARTBEAT_TIMESTAMP, REMOTE_DATABASE, INCOMING_EXTRACT, INCOMING_ROUTING_PATH,"
                        + " INCOMING_REPLICAT, INCOMING_HEARTBEAT_TS, INCOMING_EXTRACT_TS, INCOMING_ROUTING_TS, INCOMING_REPLICAT_TS,"
                        + " OUTGOING_EXTRACT, OUTGOING_ROUTING_PATH, OUTGOING_REPLICAT, OUTGOING_HEARTBEAT_TS, OUTGOING_EXTRACT_TS,"
                        + " OUTGOING_ROUTING_TS, OUTGOING_REPLICAT_TS, LAST_UPDATE_TS";
                for (String t : List.of(Heartbeat.TABLE, Heartbeat.HISTORY)) {
                    try (ResultSet rs = st.executeQuery("SELECT " + all + " FROM " + t + " WHERE OUTGOING_EXTRACT IS NULL"
                            + " AND OUTGOING_HEARTBEAT_TS IS NULL AND OUTGOING_REPLICAT_TS IS NULL")) {
                        int n = 0;
                        while (rs.next()) {
                            n++;
                            assertEquals(rs.getObject("LAST_UPDATE_TS", LocalDateTime.class), rs.getObject("INCOMING_HEARTBEAT_TS",
                                    LocalDateTime.class).plusSeconds(rs.getObject("INCOMING_HEARTBEAT_TS", LocalDateTime.class).equals(T) ? 6 : 10), t);
                        }
                        assertEquals(t.equals(Heartbeat.TABLE) ? 2 : 3, n, t);
                    }
                }
                // GG_LAG_HISTORY: each received heartbeat's lag per hop, at its receipt; OUTGOING NULL
                try (ResultSet rs = st.executeQuery("SELECT INCOMING_PATH, INCOMING_EXTRACT_LAG, INCOMING_ROUTING_LAG,"
                        + " INCOMING_REPLICAT_LAG, INCOMING_LAG, INCOMING_HEARTBEAT_AGE, HEARTBEAT_RECEIVED_TS, OUTGOING_PATH,"
                        + " OUTGOING_LAG, OUTGOING_HEARTBEAT_AGE FROM " + Heartbeat.LAG_HISTORY_VIEW
                        + " ORDER BY HEARTBEAT_RECEIVED_TS, INCOMING_PATH")) {
                    String[][] expected = {{"EXT1 ==> PUMP1 ==> REP1", "1", "2", "3", "6"}, {"EXT1 ==> PUMP1 ==> REP1", "1", "2", "7", "10"},
                            {"EXT1 ==> REP1", "1", null, "9", "10"}};
                    for (String[] e : expected) {
                        assertTrue(rs.next());
                        assertEquals(e[0], rs.getString(1));
                        for (int i = 1; i < 5; i++) {
                            if (e[i] == null) assertEquals(null, rs.getBigDecimal(i + 1));
                            else assertEquals(0, new BigDecimal(e[i]).compareTo(rs.getBigDecimal(i + 1)), e[0] + " column " + (i + 1));
                        }
                        assertEquals(0, rs.getBigDecimal(5).compareTo(rs.getBigDecimal(6)), "age at receipt = end-to-end lag");
                        assertEquals(null, rs.getString(8));
                        assertEquals(null, rs.getBigDecimal(9));
                        assertEquals(null, rs.getBigDecimal(10));
                    }
                    assertFalse(rs.next());
                }
                try (ResultSet rs = st.executeQuery("SELECT OUTGOING_PATH, OUTGOING_LAG, OUTGOING_HEARTBEAT_AGE FROM " + Heartbeat.LAG_VIEW)) {
                    for (int n = 0; n < 2; n++) {
                        assertTrue(rs.next());
                        assertEquals(null, rs.getString(1), "one direction: no outgoing path");
                        assertEquals(null, rs.getBigDecimal(2));
                        assertEquals(null, rs.getBigDecimal(3));
                    }
                }
                // docs/observability.md's lag-per-hour query, as written there
                String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/observability.md"));
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)```sql\n(SELECT [^`]*?FROM GGADMIN.GG_LAG_HISTORY[^`]*?);\n```").matcher(doc);
                assertTrue(m.find(), "the lag-per-hour query in docs/observability.md");
                try (ResultSet rs = st.executeQuery(m.group(1))) {
                    assertTrue(rs.next());
                    assertEquals("EXT1 ==> PUMP1 ==> REP1", rs.getString("INCOMING_PATH"));
                    assertEquals(8, rs.getInt("HOUR_UTC"));
                    assertEquals(2, rs.getInt("HEARTBEATS"));
                    assertEquals(0, new BigDecimal("6").compareTo(rs.getBigDecimal("MIN_LAG")));
                    assertEquals(0, new BigDecimal("8").compareTo(rs.getBigDecimal("AVG_LAG")));
                    assertEquals(0, new BigDecimal("10").compareTo(rs.getBigDecimal("MAX_LAG")));
                    assertTrue(rs.next());
                    assertEquals("EXT1 ==> REP1", rs.getString("INCOMING_PATH"));
                    assertFalse(rs.next());
                }
                // received at +6 s and +70 s: a cutoff between them purges one row
                assertEquals(1, HeartbeatTables.purge(c, T.plusSeconds(30)));
                c.commit();
                assertEquals(2, count(st, Heartbeat.HISTORY));
            }
            assertEquals(List.of(Heartbeat.LAG_HISTORY_VIEW, Heartbeat.LAG_VIEW, Heartbeat.HISTORY, Heartbeat.TABLE), HeartbeatTables.drop(c));
            // tables made before the OUTGOING columns and GG_LAG_HISTORY: ADD HEARTBEATTABLE completes them
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + Heartbeat.TABLE + " (REMOTE_DATABASE VARCHAR(128), REDO_THREAD INTEGER, INCOMING_EXTRACT"
                        + " VARCHAR(128), INCOMING_ROUTING_PATH VARCHAR(4000), INCOMING_REPLICAT VARCHAR(128), LOCAL_DATABASE VARCHAR(128),"
                        + " HEARTBEAT_TIMESTAMP TIMESTAMP(6), INCOMING_HEARTBEAT_TS TIMESTAMP(6), INCOMING_EXTRACT_TS TIMESTAMP(6),"
                        + " INCOMING_ROUTING_TS TIMESTAMP(6), INCOMING_REPLICAT_TS TIMESTAMP(6), LAST_UPDATE_TS TIMESTAMP(6))");
                st.execute("CREATE TABLE " + Heartbeat.HISTORY + " AS SELECT * FROM " + Heartbeat.TABLE + " WHERE 1 = 0");
                st.execute("ALTER TABLE " + Heartbeat.HISTORY + " DROP COLUMN LAST_UPDATE_TS");
                st.execute("ALTER TABLE " + Heartbeat.HISTORY + " ADD COLUMN HEARTBEAT_RECEIVED_TS TIMESTAMP(6)");
                c.commit();
                assertEquals(List.of(Heartbeat.LAG_VIEW, Heartbeat.LAG_HISTORY_VIEW), HeartbeatTables.create(c));
                assertTrue(HeartbeatTables.hasColumn(c, Heartbeat.TABLE, "OUTGOING_REPLICAT_TS"));
                assertTrue(HeartbeatTables.hasColumn(c, Heartbeat.HISTORY, "LAST_UPDATE_TS"));
                HeartbeatTables.drop(c);
            }
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
