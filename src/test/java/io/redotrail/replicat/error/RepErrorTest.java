package io.redotrail.replicat.error;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static io.redotrail.replicat.error.RepError.Response.*;
import static org.junit.jupiter.api.Assertions.*;

class RepErrorTest {
    @Test
    void looksUpSymbolicStateClassCodeThenDefault() {
        RepError r = RepError.parse("DEFAULT DISCARD; 1403 IGNORE; -1 RETRYOP MAXRETRIES 3; 23502 ABEND; (22, TRANSABORT); 42 IGNORE; 4711 ABEND");
        assertEquals(IGNORE, r.ruleFor("NOTFOUND", null).response());
        assertEquals(new RepError.Rule("DUPLICATE", RETRYOP, 3), r.ruleFor("DUPLICATE", new SQLException("x", "23505")));
        assertEquals(ABEND, r.ruleFor(null, new SQLException("x", "23502")).response());
        assertEquals(new RepError.Rule("CLASS:22", TRANSABORT, 10), r.ruleFor(null, new SQLException("x", "22001")));
        assertEquals(ABEND, r.ruleFor(null, new SQLException("x", "99999", 4711)).response());
        assertEquals(DISCARD, r.ruleFor("UNMAPPED", null).response());
        assertEquals(ABEND, RepError.parse("").ruleFor("NOTFOUND", null).response());
        assertEquals("DUPLICATE", RepError.kindOf(new SQLException("dup", "23505")));
    }

    @Test
    void badRulesNameTheRule() {
        assertEquals("repError: rule 2 ('NOTFOUND EXPLODE'): unknown response 'EXPLODE' (ABEND, DISCARD, IGNORE, RETRYOP, TRANSABORT, TRANSDISCARD)",
                assertThrows(IllegalArgumentException.class, () -> RepError.parse("DEFAULT ABEND; NOTFOUND EXPLODE")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RepError.parse("DEFAULT IGNORE MAXRETRIES 3")).getMessage()
                .contains("only RETRYOP and TRANSABORT take 'MAXRETRIES n'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RepError.parse("WHATEVER IGNORE")).getMessage()
                .contains("unknown error 'WHATEVER'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RepError.parse("NOTFOUND IGNORE; 1403 ABEND")).getMessage()
                .contains("error NOTFOUND given twice"));
    }
}
