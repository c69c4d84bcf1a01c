package io.redotrail.pump;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TablePatternsTest {
    @Test
    void schemaWildcardsAsInPumpParameterFile() {
        TablePatterns p = TablePatterns.parse("table YDJK.*; table POS_USER9.*;");
        assertTrue(p.matches("YDJK.ACCOUNT"));
        assertTrue(p.matches("ydjk.transfer"));
        assertTrue(p.matches("POS_USER9.ORDERS"));
        assertFalse(p.matches("BFAPP9.ORDERS"));
        assertFalse(p.matches("YDJKX.ACCOUNT"));
    }

    @Test
    void questionMarkAndExactNames() {
        TablePatterns p = TablePatterns.parse("POS_USER?.ORDER_LINE, BFAPP9.T$1");
        assertTrue(p.matches("POS_USER9.ORDER_LINE"));
        assertFalse(p.matches("POS_USER10.ORDER_LINE"));
        assertTrue(p.matches("BFAPP9.T$1"));
    }

    @Test
    void badPatternNamesItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TablePatterns.parse("YDJK"));
        assertTrue(e.getMessage().contains("'YDJK'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TablePatterns.parse("  "));
    }
}
