package com.example.routes;

import io.redotrail.testkit.RedotrailTestSupport;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The routes of this project, customised by configuration: only the YDJK schema is pumped, and the Replicat maps
 * it to the schema BANK, YDJK.NOTES to BANK.NOTE_BOOK with NOTE renamed to REMARK.
 */
class AccountReplicationIT extends RedotrailTestSupport {

    @Override
    protected Map<String, String> configOverrides() {
        return Map.of(
                "redotrail.pump.tables", "YDJK.*",
                "redotrail.replicat.map", "MAP YDJK.NOTES, TARGET BANK.NOTE_BOOK, COLMAP (USEDEFAULTS, REMARK = NOTE);"
                        + " MAP YDJK.*, TARGET BANK.*");
    }

    @Override
    protected List<String> sourceTables() {
        return List.of("create table YDJK.NOTES (ID BIGINT PRIMARY KEY, NOTE VARCHAR2(100), AMOUNT NUMBER(12,2))");
    }

    @Test
    void changesMadeInJavaArriveMapped() {
        source().insert("T1", "YDJK.NOTES", Map.of("ID", 1, "NOTE", "first", "AMOUNT", new BigDecimal("10.50")));
        source().commit("T1");
        source().simulate(300, 7);
        waitReplicated();
        assertSourceEqualsTarget();
        assertTargetRow("BANK.NOTE_BOOK", Map.of("ID", 1), Map.of("REMARK", "first", "AMOUNT", "10.5"));
    }

    @Test
    void aScenarioScriptRunsInTheTest() {
        scenario(
                "insert T2 YDJK.NOTES (ID=2, NOTE='second', AMOUNT=3)",
                "update T2 YDJK.NOTES set AMOUNT=99.95 where ID=2",
                "commit T2",
                "switch logfile",
                "wait replicated",
                "assert source equals target",
                "assert target BANK.NOTE_BOOK where ID=2 has REMARK='second', AMOUNT=99.95");
    }
}
