package io.redotrail.core;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdbcTest {
    @Test
    void batchUrlAddsInsertRewritingForPostgreSQLOnly() {
        assertEquals("jdbc:postgresql://h/db?reWriteBatchedInserts=true", Jdbc.forBatches("jdbc:postgresql://h/db"));
        assertEquals("jdbc:postgresql://h/db?user=x&reWriteBatchedInserts=true", Jdbc.forBatches("jdbc:postgresql://h/db?user=x"));
        assertEquals("jdbc:postgresql://h/db?reWriteBatchedInserts=false", Jdbc.forBatches("jdbc:postgresql://h/db?reWriteBatchedInserts=false"),
                "the URL's own choice stands");
        assertEquals("jdbc:h2:file:/x;AUTO_SERVER=TRUE", Jdbc.forBatches("jdbc:h2:file:/x;AUTO_SERVER=TRUE"));
    }

    @Test
    void staleOwnerOfAnH2FileIsWaitedOutOtherErrorsAreNot() {
        String h2 = "jdbc:h2:file:/x";
        assertTrue(Jdbc.staleH2Owner(h2, new SQLException("Database may be already in use", "90020", 90020)));
        assertTrue(Jdbc.staleH2Owner(h2, new SQLException("Lock file recently modified [90020-232]")));
        assertTrue(Jdbc.staleH2Owner(h2, new SQLException("Locked by another process")));
        // seen in QuickStartIT: verify opening the source database while the Manager's groups opened it
        assertTrue(Jdbc.staleH2Owner(h2, new SQLException("Error opening database: \"Concurrent update\" [8000-232]", "08000", 8000)));
        assertFalse(Jdbc.staleH2Owner(h2, new SQLException("Concurrent update in table \"T\" [90131-232]", "90131", 90131)));
        assertFalse(Jdbc.staleH2Owner(h2, new SQLException("Wrong user name or password", "28000", 28000)));
        assertFalse(Jdbc.staleH2Owner("jdbc:postgresql://h/db", new SQLException("Locked by another process")));
    }

    /** H2 ends a message's first line with "; SQL statement:" and prints the statement on the next: neither is kept. */
    @org.junit.jupiter.api.Test
    void oneLineDropsTheStatementH2Appends() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:oneline")) {
            java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> c.createStatement().executeQuery("SELECT CREATE_TS FROM GGADMIN.CHECKPOINT"));
            assertEquals("Schema \"GGADMIN\" not found", Jdbc.oneLine(e));
        }
        assertEquals("plain", Jdbc.oneLine(new java.sql.SQLException("plain")));
    }
}
