package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceDatabaseTest {
    @TempDir
    Path home;

    private static final TableDef ACCOUNT = SourceSchema.demo().table(SourceSchema.ACCOUNT);

    private static Object[] account(long id, String name, String balance) {
        return new Object[]{id, name, new BigDecimal(balance), "OPEN", LocalDate.of(2020, 2, 29),
                LocalDateTime.of(2026, 1, 2, 3, 4, 5, 678_000_000)};
    }

    @Test
    void createsSchemaIdempotentlyAndRoundTripsMultibyteValues() throws Exception {
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            Object[] row = account(1, "山田太郎 / 张伟 🎁", "12.3400");
            Object[] nulls = account(2, "O'Brien", "-1.0000");
            nulls[4] = null;
            db.applyTransaction(List.of(
                    new RowChange(ACCOUNT.name(), ChangeOp.INSERT, null, ACCOUNT.image(row)),
                    new RowChange(ACCOUNT.name(), ChangeOp.INSERT, null, ACCOUNT.image(nulls))), 10);
            List<Object[]> rows = db.loadRows(ACCOUNT);
            assertEquals(2, rows.size());
            assertEquals(ACCOUNT.image(row), ACCOUNT.image(rows.get(0)));
            assertArrayEquals(nulls, rows.get(1));
        }
        assertTrue(Files.exists(home.resolve("db/source.mv.db")));
        // reopening runs CREATE ... IF NOT EXISTS again and keeps the data
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            assertEquals(2, db.loadRows(ACCOUNT).size());
            // another connection (AUTO_SERVER) sees the committed rows while the source is open
            try (Connection other = DriverManager.getConnection(SourceDatabase.jdbcUrl(home), "sa", "");
                 Statement st = other.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM YDJK.ACCOUNT")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
            }
        }
    }

    @Test
    void updatesDeletesAndPkUpdatesApplyAndAFailedTransactionLeavesNothing() {
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            Object[] a = account(1, "张伟", "10.0000");
            Object[] b = account(2, "王芳", "20.0000");
            db.applyTransaction(List.of(
                    new RowChange(ACCOUNT.name(), ChangeOp.INSERT, null, ACCOUNT.image(a)),
                    new RowChange(ACCOUNT.name(), ChangeOp.INSERT, null, ACCOUNT.image(b))), 10);
            Object[] a2 = account(1, "张伟", "11.5000");
            Object[] b2 = account(7, "王芳", "20.0000");
            db.applyTransaction(List.of(
                    new RowChange(ACCOUNT.name(), ChangeOp.UPDATE, ACCOUNT.image(a), ACCOUNT.image(a2)),
                    new RowChange(ACCOUNT.name(), ChangeOp.PK_UPDATE, ACCOUNT.image(b), ACCOUNT.image(b2))), 11);
            List<Object[]> rows = db.loadRows(ACCOUNT);
            assertEquals(ACCOUNT.image(a2), ACCOUNT.image(rows.get(0)));
            assertEquals(ACCOUNT.image(b2), ACCOUNT.image(rows.get(1)));

            // delete of a missing row fails naming the table, and the whole transaction is rolled back
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.applyTransaction(List.of(
                    new RowChange(ACCOUNT.name(), ChangeOp.DELETE, ACCOUNT.image(a2), null),
                    new RowChange(ACCOUNT.name(), ChangeOp.DELETE, ACCOUNT.image(b), null)), 12));
            assertTrue(e.getMessage().contains("YDJK.ACCOUNT"), e.getMessage());
            assertEquals(2, db.loadRows(ACCOUNT).size());
        }
    }

    @Test
    void ddlRunsOnAFreshDatabaseAndDescribesKeys() throws Exception {
        SourceSchema s = SourceSchema.demo();
        assertEquals(2, s.tables().stream().map(TableDef::owner).distinct().count());
        assertEquals(List.of("ORDER_ID", "LINE_NO"), s.table(SourceSchema.ORDER_LINE).keyColumns());
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:ddl"); Statement st = c.createStatement()) {
            for (int i = 0; i < 2; i++) {
                for (String sql : s.createStatements()) st.execute(sql);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA IN ('YDJK', 'POS_USER9')")) {
                rs.next();
                assertEquals(s.tables().size(), rs.getInt(1));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> s.table("YDJK.NOPE"));
    }
}
