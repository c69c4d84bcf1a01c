package io.redotrail.scenario;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code assert target ... has ...} against a real H2 table. */
class TargetRowCheckTest {
    private Connection db;

    @BeforeEach
    void table() throws Exception {
        db = DriverManager.getConnection("jdbc:h2:mem:rowcheck" + System.nanoTime(), "sa", "");
        try (Statement st = db.createStatement()) {
            st.execute("CREATE SCHEMA YDJK");
            st.execute("CREATE TABLE YDJK.ACCOUNT (ID BIGINT, BRANCH VARCHAR(10), BALANCE DECIMAL(12,2), OWNER_NAME VARCHAR(40),"
                    + " OPENED_AT TIMESTAMP, OPENED_ON DATE, CLOSED_ON DATE, PRIMARY KEY (ID, BRANCH))");
            st.execute("INSERT INTO YDJK.ACCOUNT VALUES (1, 'B1', 10.50, 'O''Brien', TIMESTAMP '2014-06-21 18:07:00', DATE '2014-06-21', NULL)");
        }
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private Step.AssertTargetValues line(String text) {
        return assertInstanceOf(Step.AssertTargetValues.class, ScriptParser.parseLines(Path.of("t.scn"), text).get(0).cmd());
    }

    private String check(String text) throws Exception {
        Step.AssertTargetValues a = line(text);
        return TargetRowCheck.check(db, a.table(), a.where(), a.expected());
    }

    @Test
    void valuesAsWrittenMatchNumbersByValue() throws Exception {
        assertEquals("target YDJK.ACCOUNT where ID=1 and BRANCH='B1' has BALANCE=10.5, OWNER_NAME='O''Brien', "
                        + "OPENED_AT='2014-06-21 18:07:00', OPENED_ON='2014-06-21', CLOSED_ON=NULL",
                check("assert target YDJK.ACCOUNT where ID=1 and BRANCH='B1' has BALANCE=10.5, OWNER_NAME='O''Brien', "
                        + "OPENED_AT='2014-06-21 18:07:00', OPENED_ON='2014-06-21', CLOSED_ON=NULL"));
        check("assert target YDJK.ACCOUNT where ID=1.0 and BRANCH='B1' has BALANCE=10.500, ID=1");
    }

    @Test
    void aDifferenceNamesTableKeyColumnExpectedAndActual() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> check("assert target YDJK.ACCOUNT where ID=1 and BRANCH='B1' has BALANCE=10.51, OWNER_NAME='OBrien', CLOSED_ON='2020-01-01'"));
        assertEquals("target YDJK.ACCOUNT where ID=1 and BRANCH='B1': BALANCE is 10.50, expected 10.51; OWNER_NAME is 'O'Brien', "
                + "expected 'OBrien'; CLOSED_ON is NULL, expected '2020-01-01'", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> check("assert target YDJK.ACCOUNT where ID=2 and BRANCH='B1' has BALANCE=1"));
        assertEquals("no row of target YDJK.ACCOUNT where ID=2 and BRANCH='B1'", e.getMessage());
    }

    @Test
    void badExpectationsAreRefusedNamingTheColumn() {
        Exception e = assertThrows(java.sql.SQLException.class, () -> check("assert target YDJK.ACCOUNT where ID=1 and BRANCH='B1' has NOPE=1"));
        assertTrue(e.getMessage().startsWith("cannot read target YDJK.ACCOUNT where ID=1 and BRANCH='B1'"), e.getMessage());
        assertTrue(e.getMessage().contains("NOPE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> check("assert target YDJK.ACCOUNT where ID=1 and BRANCH='B1' has BALANCE='ten'"));
        assertTrue(e.getMessage().contains("BALANCE = 'ten' is not a value of its type"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> check("assert target YDJK.ACCOUNT where ID=1 and BRANCH='B1' has OPENED_AT=now"));
        assertTrue(e.getMessage().contains("OPENED_AT = now cannot be asserted"), e.getMessage());
    }
}
