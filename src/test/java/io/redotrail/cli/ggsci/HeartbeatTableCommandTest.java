package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.HeartbeatSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ADD / INFO / ALTER / DELETE HEARTBEATTABLE on a real home, its real H2 source and an H2 target: objects created
 * and dropped in both databases, options kept in dirprm/heartbeat.properties, bad options refused naming them, and
 * LAG's heartbeat block of a group that is not running.
 */
class HeartbeatTableCommandTest {
    @TempDir
    Path home;

    private GgsciOut ggsci(String command) throws Exception {
        Map<String, String> config = Map.of("redotrail.target.jdbcUrl",
                "jdbc:h2:file:" + home.resolve("db/target") + ";MAX_COMPACT_TIME=0", "redotrail.target.user", "sa");
        return GgsciOut.run(home, config::get, command);
    }

    @Test
    void addInfoAlterDelete() throws Exception {
        GgsciOut info0 = ggsci("info heartbeattable");
        assertEquals(1, info0.rc());
        assertTrue(info0.text().contains("ADD HEARTBEATTABLE first"), info0.text());

        GgsciOut add = ggsci("add heartbeattable, frequency 5, retention_time 7");
        assertEquals(0, add.rc(), add.text());
        assertTrue(add.text().contains("Successfully created heartbeat seed table [\"GGADMIN.GG_HEARTBEAT_SEED\"] in the source database.\n"
                + "Successfully created heartbeat table [\"GGADMIN.GG_HEARTBEAT\"].\n"
                + "Successfully created heartbeat history table [\"GGADMIN.GG_HEARTBEAT_HISTORY\"].\n"
                + "Successfully created view [\"GGADMIN.GG_LAG\"].\n"
                + "Successfully created view [\"GGADMIN.GG_LAG_HISTORY\"].\n"
                + "Successfully updated heartbeat table with frequency [5].\n"), add.text());
        assertEquals(new HeartbeatSettings(5, 7, 1, false), HeartbeatSettings.read(home).orElseThrow());
        // not a user table: target create, verify and an Extract's TABLE check never see it
        try (java.sql.Connection src = java.sql.DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(home), "sa", "")) {
            assertTrue(io.redotrail.sim.SourceHeartbeat.seedExists(home));
            assertFalse(io.redotrail.replicat.TargetCreate.tables(src).contains("GGADMIN.GG_HEARTBEAT_SEED"));
        }
        assertTrue(ggsci("add heartbeattable").text().contains("ALTER HEARTBEATTABLE changes its options"));

        GgsciOut info = ggsci("INFO HEARTBEATTABLE");
        assertEquals(0, info.rc(), info.text());
        assertEquals("HEARTBEAT table GGADMIN.GG_HEARTBEAT_SEED exists in the source database.\n"
                + "HEARTBEAT table GGADMIN.GG_HEARTBEAT exists.\n"
                + "HEARTBEAT table GGADMIN.GG_HEARTBEAT_HISTORY exists.\n"
                + "HEARTBEAT view GGADMIN.GG_LAG exists.\n"
                + "HEARTBEAT view GGADMIN.GG_LAG_HISTORY exists.\n"
                + "Lag history (GGADMIN.GG_LAG_HISTORY, INCOMING_LAG in seconds):\n"
                + "FROM       THREAD HEARTBEATS        MIN        AVG        MAX  LAST RECEIVED (UTC)  PATH\n"
                + "(no heartbeat received yet)\n"
                + "Frequency interval: 5 seconds.\n"
                + "Purge frequency interval: 1 days.\n"
                + "Retention time: 7 days.\n", info.text());

        // two heartbeats received, 1.5 s and 2.5 s after the source wrote them: INFO sums the history up per path
        try (java.sql.Connection t = java.sql.DriverManager.getConnection("jdbc:h2:file:" + home.resolve("db/target"), "sa", "");
             java.sql.Statement st = t.createStatement()) {
            for (String[] r : new String[][]{{"08:00:00", "08:00:01.5"}, {"08:01:00", "08:01:02.5"}}) {
                st.execute("INSERT INTO GGADMIN.GG_HEARTBEAT_HISTORY (LOCAL_DATABASE, REMOTE_DATABASE, REDO_THREAD, INCOMING_EXTRACT,"
                        + " INCOMING_ROUTING_PATH, INCOMING_REPLICAT, INCOMING_HEARTBEAT_TS, HEARTBEAT_RECEIVED_TS) VALUES ('TARGET',"
                        + " 'ORCL', 1, 'EXT1', 'PUMP1', 'REP1', TIMESTAMP '2026-12-03 " + r[0] + "', TIMESTAMP '2026-12-03 " + r[1] + "')");
            }
        }
        String summary = ggsci("info heartbeattable").text();
        assertTrue(java.util.regex.Pattern.compile("(?m)^ORCL +1 +2 +1\\.500 +2\\.000 +2\\.500  2026-12-03 08:01:02  EXT1 ==> PUMP1 ==> REP1$")
                .matcher(summary).find(), summary);

        // LAG <replicat> HISTORY (GoldenGate for Distributed Applications and Analytics): per day, from GG_LAG_HISTORY
        GgsciOut history = ggsci("lag replicat rep1 history");
        assertTrue(history.text().endsWith("Lag History\nDATE         MIN        AVG        MAX\n2026-12-03   1.50s      2.00s      2.50s\n"),
                history.text());
        assertTrue(ggsci("lag replicat rep9, history").text().endsWith("(no heartbeat in GGADMIN.GG_LAG_HISTORY for REPLICAT REP9)\n"));
        assertTrue(ggsci("lag extract ext1 history").text().contains("usage: LAG EXTRACT <group|pattern>"));

        assertEquals(0, ggsci("alter heartbeattable, frequency 0, purge_frequency 2").rc());
        assertEquals(new HeartbeatSettings(0, 7, 2, false), HeartbeatSettings.read(home).orElseThrow());
        assertTrue(ggsci("info heartbeattable").text().contains("Frequency interval: 0 seconds (paused).\n"));

        GgsciOut lag = ggsci("lag replicat rep9");
        assertEquals(1, lag.rc());
        assertTrue(lag.text().contains("Lag Information From Heartbeat Table\n"), lag.text());
        assertTrue(lag.text().contains("(no heartbeat received yet on a path of REPLICAT REP9)"), lag.text());

        GgsciOut del = ggsci("delete heartbeattable");
        assertEquals(0, del.rc(), del.text());
        assertTrue(del.text().endsWith("Successfully deleted heartbeat table.\n"), del.text());
        assertTrue(del.text().contains("Successfully deleted [\"GGADMIN.GG_HEARTBEAT_HISTORY\"]."), del.text());
        assertFalse(HeartbeatSettings.read(home).isPresent());
        assertFalse(io.redotrail.sim.SourceHeartbeat.seedExists(home));
    }

    @Test
    void badOptionsAreRefusedNamingThem() throws Exception {
        assertTrue(ggsci("add heartbeattable, frequency 8000").text().contains("FREQUENCY 8000 is out of range: 0..7999"));
        assertTrue(ggsci("add heartbeattable, frequency soon").text().contains("FREQUENCY 'soon' is not a whole number"));
        assertTrue(ggsci("add heartbeattable, frequncy 5").text().contains("Unknown option 'frequncy' for ADD HEARTBEATTABLE"));
        assertTrue(ggsci("add heartbeattable, retention_time").text().contains("RETENTION_TIME needs a number"));
        assertFalse(HeartbeatSettings.read(home).isPresent(), "nothing written by a refused ADD");
        GgsciOut targetOnly = ggsci("add heartbeattable targetonly");
        assertEquals(0, targetOnly.rc(), targetOnly.text());
        assertFalse(targetOnly.text().contains("seed"), targetOnly.text());
        assertTrue(HeartbeatSettings.read(home).orElseThrow().targetOnly());
    }
}
