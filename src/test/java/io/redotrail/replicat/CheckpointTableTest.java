package io.redotrail.replicat;

import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointTableTest {
    @TempDir
    Path dir;

    @Test
    void createsGoldenGateColumnsAndRoundTripsWithLoxOverflow() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db"), "sa", "")) {
            c.setAutoCommit(false);
            CheckpointTable t = new CheckpointTable("ggadmin.chkpt", dir.resolve("rt").toString());
            t.create(c);
            t.create(c); // idempotent
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getColumns(null, "GGADMIN", "CHKPT", "%")) {
                while (rs.next()) cols.add(rs.getString("COLUMN_NAME"));
            }
            assertEquals(List.of("GROUP_NAME", "GROUP_KEY", "SEQNO", "RBA", "AUDIT_TS", "CREATE_TS", "LAST_UPDATE_TS",
                    "CURRENT_DIR", "LOG_CSN", "LOG_XID", "LOG_CMPLT_CSN", "LOG_CMPLT_XIDS", "VERSION"), cols);
            cols.clear();
            try (ResultSet rs = c.getMetaData().getColumns(null, "GGADMIN", "CHKPT_LOX", "%")) {
                while (rs.next()) cols.add(rs.getString("COLUMN_NAME"));
            }
            assertEquals(List.of("GROUP_NAME", "GROUP_KEY", "LOG_CMPLT_CSN", "LOG_CMPLT_XIDS_SEQ", "LOG_CMPLT_XIDS"), cols);
            assertTrue(t.read(c, "rep1").isEmpty());

            List<Xid> many = new ArrayList<>();
            for (int i = 0; i < 400; i++) many.add(new Xid(10, i, 1533)); // > 2000 characters: overflow rows
            t.update(c, "rep1", new TrailPosition(3, 1755), Scn.of(9137521), 0, many);
            c.commit();
            CheckpointTable.Row row = t.read(c, "REP1").orElseThrow();
            assertEquals(new TrailPosition(3, 1755), row.position());
            assertEquals(Scn.of(9137521), row.logCsn());
            assertEquals(400, row.completedXids().size());
            assertTrue(row.applied(Scn.of(9137521), new Xid(10, 399, 1533)));
            assertFalse(row.applied(Scn.of(9137521), new Xid(11, 0, 1)));
            assertTrue(row.applied(Scn.of(9137520), new Xid(11, 0, 1)));
            assertFalse(row.applied(Scn.of(9137522), new Xid(10, 1, 1533)));

            t.update(c, "rep1", new TrailPosition(4, 0), Scn.of(9137600), 0, List.of(new Xid(1, 2, 3)));
            c.rollback(); // inside the caller's transaction: rollback undoes it
            t.rolledBack(); // the delete of the overflow rows was undone too: the next update must clear them
            assertEquals(new TrailPosition(3, 1755), t.read(c, "REP1").orElseThrow().position());
            t.update(c, "rep1", new TrailPosition(4, 0), Scn.of(9137600), 0, List.of(new Xid(1, 2, 3)));
            c.commit();
            assertEquals(java.util.Set.of("1.2.3"), t.read(c, "REP1").orElseThrow().completedXids());
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM GGADMIN.CHKPT_LOX")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            assertEquals(CheckpointTable.groupKey("REP1"), CheckpointTable.groupKey("rep1"));
            assertNotEquals(CheckpointTable.groupKey("REP1"), CheckpointTable.groupKey("REP2"));
        }
    }

    @Test
    void auditTimestampIsTheSourceCommitInUtcToTheMicrosecond() {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
        java.util.Random r = new java.util.Random(7);
        List<Long> millis = new ArrayList<>(List.of(0L, -1L, 1L, 86_399_999L, -86_400_000L, 951_782_400_000L,
                1_764_979_199_999L, -62_167_219_200_000L, 253_402_300_799_999L, -62_167_219_200_001L, 253_402_300_800_000L));
        for (int i = 0; i < 10_000; i++) millis.add(r.nextLong() % 253_402_300_800_000L);
        for (long m : millis) {
            assertEquals(f.format(java.time.Instant.ofEpochMilli(m).atOffset(java.time.ZoneOffset.UTC)),
                    CheckpointTable.auditTimestamp(m), "epoch millis " + m);
        }
        assertEquals("2025-12-05 23:59:59.999000", CheckpointTable.auditTimestamp(1_764_979_199_999L));
    }

    @Test
    void oneTableWritesEachGroupUnderItsOwnKey() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:keys", "sa", "")) {
            c.setAutoCommit(false);
            CheckpointTable t = new CheckpointTable("ggadmin.chkpt", dir.resolve("rt").toString());
            t.create(c);
            for (String g : List.of("rep1", "REP2", "rep1", "rep3", "REP2")) {
                t.update(c, g, new TrailPosition(1, g.length()), Scn.of(100), 0, List.of(new Xid(1, 2, 3)));
            }
            c.commit();
            for (String g : List.of("REP1", "REP2", "REP3")) {
                CheckpointTable.Row row = t.read(c, g).orElseThrow();
                assertEquals(t.key(g), row.groupKey(), g);
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM GGADMIN.CHKPT")) {
                rs.next();
                assertEquals(3, rs.getInt(1));
            }
        }
    }
}
