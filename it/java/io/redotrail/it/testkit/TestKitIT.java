package io.redotrail.it.testkit;

import io.redotrail.testkit.RedotrailTestSupport;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test kit's own promises, beyond the example (com.example.routes.AccountReplicationIT): lines it cannot run
 * in-process are refused before any line runs, naming the line; a value check fails naming table, key, column,
 * expected and actual; a group that abends fails the wait at once with its abend (last: it ends the pipeline).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestKitIT extends RedotrailTestSupport {

    @Override
    protected List<String> sourceTables() {
        return List.of("create table YDJK.NOTES (ID BIGINT PRIMARY KEY, NOTE VARCHAR2(100), AMOUNT NUMBER(12,2))");
    }

    @Test
    @Order(1)
    void processStepsAreRefusedBeforeAnyLineRuns() {
        Exception e = assertThrows(RuntimeException.class, () -> scenario(
                "insert T9 YDJK.NOTES (ID=9, NOTE='never')",
                "extract kill",
                "commit T9"));
        assertTrue(e.getMessage().startsWith("TestKitIT.scenario:2: 'extract kill' cannot run in-process: controls processes"),
                e.getMessage());
        source().begin("T9").rollback("T9"); // T9 was never begun: the insert before the refused line did not run
        e = assertThrows(RuntimeException.class, () -> scenario("set redotrail.redo.logSizeMb = 4"));
        assertTrue(e.getMessage().contains("give redotrail.redo.logSizeMb in configOverrides()"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> scenario("create table YDJK.OTHER (ID BIGINT PRIMARY KEY)"));
        assertTrue(e.getMessage().contains("declare this table in sourceTables()"), e.getMessage());
        scenario("create table YDJK.NOTES (ID BIGINT PRIMARY KEY, NOTE VARCHAR2(100), AMOUNT NUMBER(12,2))"); // declared: fine
    }

    @Test
    @Order(2)
    void aWrongValueNamesTableKeyColumnExpectedAndActual() {
        scenario("insert T1 YDJK.NOTES (ID=1, NOTE='one', AMOUNT=10.50)", "commit T1", "wait replicated");
        AssertionError e = assertThrows(AssertionError.class,
                () -> scenario("assert target YDJK.NOTES where ID=1 has NOTE='one', AMOUNT=10.05"));
        assertEquals("TestKitIT.scenario:1: assert target YDJK.NOTES where ID=1 has NOTE='one', AMOUNT=10.05\n    FAILED: "
                + "target YDJK.NOTES where ID=1: AMOUNT is 10.50, expected 10.05", e.getMessage());
        e = assertThrows(AssertionError.class, () -> assertTargetRow("YDJK.NOTES", Map.of("ID", 2), Map.of("NOTE", "two")));
        assertEquals("no row of target YDJK.NOTES where ID=2", e.getMessage());
        assertTargetRow("ydjk.notes", Map.of("ID", 1), Map.of("AMOUNT", 10.5, "NOTE", "one"));
    }

    @Test
    @Order(3)
    void aScriptFileRunsInProcessAndOneWithProcessStepsIsRefusedNamingFileAndLine() {
        scenario(Path.of("it/resources/testkit/notes.scn"));
        assertTargetRow("YDJK.NOTES", Map.of("ID", 5), Map.of("AMOUNT", new BigDecimal("0.1")));
        Exception e = assertThrows(RuntimeException.class, () -> scenario(Path.of("it/scenarios/kill-restart.scn")));
        assertTrue(e.getMessage().startsWith("it/scenarios/kill-restart.scn:4: 'set redotrail.redo.logSizeMb = 4' cannot run in-process"),
                e.getMessage());
    }

    @Test
    @Order(4)
    void anAbendFailsTheWaitWithTheAbend() throws Exception {
        try (Connection target = DriverManager.getConnection(settings().get("redotrail.target.jdbcUrl"),
                settings().get("redotrail.target.user", ""), settings().get("redotrail.target.password", ""));
             Statement st = target.createStatement()) {
            st.execute("INSERT INTO YDJK.NOTES (ID, NOTE) VALUES (77, 'already on the target')");
        }
        source().insert("T2", "YDJK.NOTES", Map.of("ID", 77, "NOTE", "from the source")).commit("T2");
        AssertionError e = assertThrows(AssertionError.class, this::waitReplicated);
        assertTrue(e.getMessage().startsWith("group REP1 abended: "), e.getMessage());
        assertTrue(e.getCause() != null && e.getCause().getCause() != null, "the abend is the cause");
    }
}
