package io.redotrail.replicat;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLFeatureNotSupportedException;

import static org.junit.jupiter.api.Assertions.*;

class TargetDataSourceTest {
    @Test
    void aLoginTimeoutItCannotHonourIsRefusedNotKept() throws Exception {
        TargetDataSource ds = new TargetDataSource();
        ds.setUrl("jdbc:h2:mem:tds;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setLoginTimeout(0);
        SQLFeatureNotSupportedException e = assertThrows(SQLFeatureNotSupportedException.class, () -> ds.setLoginTimeout(5));
        assertTrue(e.getMessage().contains("loginTimeout 5"), e.getMessage());
        assertEquals(0, ds.getLoginTimeout());
        try (Connection c = ds.getConnection()) {
            assertTrue(c.isValid(1));
        }
    }
}
