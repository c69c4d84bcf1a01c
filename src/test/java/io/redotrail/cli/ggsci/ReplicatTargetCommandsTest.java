package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.core.TrailPosition;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGSCI's database commands act on the checkpoint table and target database the Replicat itself uses: the table
 * its ADD REPLICAT named and the database of its parameter file's USERIDALIAS, not the home's configured ones
 * (two real H2 databases). DELETE REPLICAT removes the row there, and ADD REPLICAT refuses while a stale row of
 * its name is left, so a re-added Replicat never resumes from the old group's position.
 */
class ReplicatTargetCommandsTest {
    @TempDir
    Path home;

    private String homeTarget;
    private String aliasTarget;
    private Map<String, String> cfg;

    private GgsciOut ggsci(String command) throws Exception {
        return GgsciOut.run(home, cfg::get, command);
    }

    @BeforeEach
    void twoTargets() throws Exception {
        homeTarget = "jdbc:h2:file:" + home.resolve("db/target").toAbsolutePath();
        aliasTarget = "jdbc:h2:file:" + home.resolve("db/other").toAbsolutePath();
        cfg = Map.of("redotrail.target.jdbcUrl", homeTarget, "redotrail.target.user", "sa",
                "redotrail.replicat.checkpointTable", "GGADMIN.CHECKPOINT");
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ha"), "PUMP1", 1 << 20)) {
            w.append(io.redotrail.trail.TrailTestData.txs(1, 2, 1));
        }
        CredentialStore store = CredentialStore.of(home);
        store.create();
        store.add("OracleGoldenGate", "tgt", "sa@" + aliasTarget, "");
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/rep1.prm"), "REPLICAT rep1\nUSERIDALIAS tgt\nMAP *.*, TARGET *.*;\n");
    }

    private boolean rowIn(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            new CheckpointTable(table).create(c);
            return new CheckpointTable(table, home.toString()).read(c, "REP1").isPresent();
        }
    }

    @Test
    void alterInfoDeleteAndAddUseTheReplicatsOwnTableAndDatabase() throws Exception {
        assertEquals(0, ggsci("ADD REPLICAT rep1, EXTTRAIL ./dirdat/ha, CHECKPOINTTABLE ggadmin.ckrep1").rc());
        GgsciOut alter = ggsci("ALTER REPLICAT rep1, EXTSEQNO 0, EXTRBA 0");
        assertEquals(0, alter.rc(), alter.text());
        assertTrue(alter.text().contains("Checkpoint table GGADMIN.CKREP1"), alter.text());
        assertTrue(rowIn(aliasTarget, "GGADMIN.CKREP1"), "the row is in the alias's database, in the definition's table");
        assertFalse(rowIn(homeTarget, "GGADMIN.CKREP1"));
        assertFalse(rowIn(homeTarget, "GGADMIN.CHECKPOINT"));

        GgsciOut info = ggsci("INFO REPLICAT rep1, SHOWCH");
        assertTrue(info.text().contains("GGADMIN.CKREP1"), info.text());
        assertFalse(info.text().contains("Not available"), "the row is found where the Replicat keeps it: " + info.text());

        GgsciOut del = ggsci("DELETE REPLICAT rep1");
        assertEquals(0, del.rc(), del.text());
        assertFalse(del.text().contains("WARNING"), del.text());
        assertFalse(rowIn(aliasTarget, "GGADMIN.CKREP1"), "DELETE removed the row the Replicat would resume from");
        assertEquals(0, ggsci("ADD REPLICAT rep1, EXTTRAIL ./dirdat/ha, CHECKPOINTTABLE ggadmin.ckrep1").rc());
    }

    /** INFO REPLICAT ..., DETAIL of a parallel Replicat: one line per applier row of its checkpoint table. */
    @Test
    void infoDetailOfAParallelReplicatShowsEachAppliersCheckpoint() throws Exception {
        assertEquals(0, ggsci("ADD REPLICAT rep1, EXTTRAIL ./dirdat/ha, CHECKPOINTTABLE ggadmin.ckrep1, PARALLEL").rc());
        GgsciOut before = ggsci("INFO REPLICAT rep1, DETAIL");
        assertTrue(before.text().contains("Parallel Replicat checkpoints"), before.text());
        long key = io.redotrail.replicat.GroupKey.of("REP1", io.redotrail.replicat.HomeIdentity.of(home));
        try (Connection c = DriverManager.getConnection(aliasTarget, "sa", ""); java.sql.Statement s = c.createStatement()) {
            new CheckpointTable("GGADMIN.CKREP1").create(c);
            String cols = "INSERT INTO GGADMIN.CKREP1 (GROUP_NAME, GROUP_KEY, SEQNO, RBA, AUDIT_TS, CREATE_TS, LAST_UPDATE_TS, "
                    + "CURRENT_DIR, LOG_CSN, LOG_CMPLT_CSN, LOG_CMPLT_XIDS, VERSION) VALUES ('REP1', ";
            s.execute(cols + key + ", 0, 1000, '2026-12-03 08:00:00.000000', LOCALTIMESTAMP, LOCALTIMESTAMP, '.', '500', '500', '1.2.3', 1)");
            s.execute(cols + (key + 1) + ", 0, 1400, '2026-12-03 08:00:01.000000', LOCALTIMESTAMP, LOCALTIMESTAMP, '.', '540', '540', '1.2.7', 1)");
            s.execute(cols + (key + 2) + ", 0, 1200, '2026-12-03 08:00:00.500000', LOCALTIMESTAMP, LOCALTIMESTAMP, '.', '520', '520', '1.2.5', 1)");
            s.execute("INSERT INTO GGADMIN.CKREP1_LOX VALUES ('REP1', " + key + ", '540', 1073741825, '1.2.7')");
        }
        GgsciOut info = ggsci("INFO REPLICAT rep1, DETAIL");
        assertEquals(0, info.rc(), info.text());
        String t = info.text();
        assertTrue(t.matches("(?s).*\\n\\s*Low watermark\\s+500\\s+1\\.2\\.3\\s+0\\s+1000\\s+2026-12-03 08:00:00\\.000000\\n.*"), t);
        assertTrue(t.matches("(?s).*\\n\\s*Applier 1\\s+540\\s+1\\.2\\.7\\s+0\\s+1400\\s.*"), t);
        assertTrue(t.matches("(?s).*\\n\\s*Applier 2\\s+520\\s+1\\.2\\.5\\s+0\\s+1200\\s.*"), t);
        assertTrue(t.contains("(listed in GGADMIN.CKREP1_LOX): 1"), t);
    }

    @Test
    void addReplicatRefusesWhileAStaleRowOfItsNameIsLeft() throws Exception {
        try (Connection c = DriverManager.getConnection(aliasTarget, "sa", "")) {
            CheckpointTable t = new CheckpointTable("GGADMIN.CHECKPOINT", home.toString());
            t.create(c);
            t.update(c, "REP1", new TrailPosition(0, 4711), io.redotrail.core.Scn.ZERO, 0, java.util.List.of());
        }
        GgsciOut add = ggsci("ADD REPLICAT rep1, EXTTRAIL ./dirdat/ha");
        assertEquals(1, add.rc(), add.text());
        assertTrue(add.text().contains("still holds a row for REP1") && add.text().contains("GGADMIN.CHECKPOINT"), add.text());
        assertFalse(Files.exists(home.resolve("dirchk/REP1.cpr")), "nothing defined");
    }

    /** ADD CHECKPOINTTABLE names no group: it creates the table in the session's DBLOGIN database, as GGSCI does. */
    @Test
    void addCheckpointTableUsesTheSessionsDbLogin() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Ggsci session = new Ggsci(home, cfg::get, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(1, session.execute("DBLOGIN USERIDALIAS nosuch"), "an alias the store does not hold");
        assertEquals(0, session.execute("DBLOGIN USERIDALIAS tgt"), buf.toString(StandardCharsets.UTF_8));
        assertEquals(0, session.execute("ADD CHECKPOINTTABLE ggadmin.ckdb"), buf.toString(StandardCharsets.UTF_8));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("Successfully logged into database."));
        try (Connection c = DriverManager.getConnection(aliasTarget, "sa", "")) {
            assertTrue(new CheckpointTable("GGADMIN.CKDB").read(c, "X").isEmpty(), "the table exists in the DBLOGIN database");
        }
        try (Connection c = DriverManager.getConnection(homeTarget, "sa", "");
             java.sql.ResultSet rs = c.getMetaData().getTables(null, "GGADMIN", "CKDB", null)) {
            assertFalse(rs.next(), "not in the configuration's target");
        }
    }
}
