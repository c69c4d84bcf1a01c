package io.redotrail.scenario;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptParserTest {
    private static final Path F = Path.of("t.scn");

    private static List<Step> parse(String body) {
        return ScriptParser.parse(F, "redotrail-scenario 1\n" + body);
    }

    @Test
    void parsesTheControlPlaneSteps() {
        List<Step> s = parse("""
                param pumha
                extract pumha
                -- seed 000's pump # not a script comment here
                table YDJK.*;
                END PARAM
                ggsci "start mgr" prints "Manager started."
                wait ggsci "info all" prints "EXTRACT RUNNING PUMHA" timeout 90s
                wait ggsci "lag exta" prints "At EOF"
                """);
        assertEquals(4, s.size());
        assertEquals(new Step.Param("pumha", List.of("extract pumha", "-- seed 000's pump # not a script comment here", "table YDJK.*;")), s.get(0).cmd());
        assertEquals(2, s.get(0).line());
        assertEquals(new Step.Ggsci("start mgr", "Manager started."), s.get(1).cmd());
        assertEquals(7, s.get(1).line());
        assertEquals(new Step.WaitGgsci("info all", "EXTRACT RUNNING PUMHA", Duration.ofSeconds(90)), s.get(2).cmd());
        assertEquals(new Step.WaitGgsci("lag exta", "At EOF", Duration.ofSeconds(60)), s.get(3).cmd());
        ScenarioException open = assertThrows(ScenarioException.class, () -> parse("param repa\nreplicat repa\n"));
        assertTrue(open.getMessage().startsWith("t.scn:2: 'param repa' has no 'end param' line"), open.getMessage());
        ScenarioException noText = assertThrows(ScenarioException.class, () -> parse("wait ggsci \"info all\"\n"));
        assertTrue(noText.getMessage().startsWith("t.scn:2: expected 'prints'"), noText.getMessage());
        assertTrue(ControlSteps.contains("EXTRACT     RUNNING     PUMHA       00:00:00", "EXTRACT RUNNING PUMHA"));
    }

    @Test
    void parsesEveryCommand() {
        List<Step> s = parse("""
                # comment
                set redotrail.redo.logSizeMb = 4
                create table MY.T (ID NUMBER(10) PRIMARY KEY, NAME VARCHAR2(30) NOT NULL, AMT NUMBER(12,2), AT TIMESTAMP, ON_DAY DATE)
                begin T1 thread 2
                insert T1 YDJK.ACCOUNT (ID=1, OWNER_NAME='李小龍 ''x''', BALANCE=12.3400, OPENED_ON=NULL)   # trailing comment
                insert T1 my.t rows 75372
                update T1 YDJK.ACCOUNT set BALANCE=-1.5, STATUS='#1' where ID=1
                delete T1 POS_USER9.ORDER_LINE where ORDER_ID=1 and LINE_NO=2
                commit T1
                rollback T2
                switch logfile
                switch logfile thread 2
                archive delete sequence 14878 thread 1
                archive delete sequence of T1
                clock advance 4h
                extract kill
                pipeline restart
                wait replicated timeout 30s
                wait trail ex files 3
                assert source equals target
                assert trail ex csn order
                expect abend "OGG-00446" within 30s
                ggsci "info extract EXT1, showch"
                sleep 500ms
                simulate 100 transactions seed 3
                archive delete sequence 7 thread 2 force
                """);
        assertEquals(25, s.size());
        assertEquals(new Step.Set("redotrail.redo.logSizeMb", "4"), s.get(0).cmd());
        Step.CreateTable ct = assertInstanceOf(Step.CreateTable.class, s.get(1).cmd());
        assertEquals("MY.T", ct.table().name());
        assertEquals(List.of("ID"), ct.table().keyColumns());
        assertEquals("BIGINT", ct.table().column(0).sqlType());
        assertEquals("DECIMAL(12,2)", ct.table().column(2).sqlType());
        assertEquals(new Step.Begin("T1", 2), s.get(2).cmd());
        Step.InsertRow ir = assertInstanceOf(Step.InsertRow.class, s.get(3).cmd());
        assertEquals("李小龍 'x'", ir.values().get("OWNER_NAME").text());
        assertEquals(Step.Literal.Kind.NULL, ir.values().get("OPENED_ON").kind());
        assertEquals(new Step.InsertRows("T1", "MY.T", 75372), s.get(4).cmd());
        Step.Update u = assertInstanceOf(Step.Update.class, s.get(5).cmd());
        assertEquals("#1", u.set().get("STATUS").text());
        assertEquals(2, assertInstanceOf(Step.Delete.class, s.get(6).cmd()).where().size());
        assertEquals(new Step.SwitchLog(null), s.get(9).cmd());
        assertEquals(new Step.SwitchLog(2), s.get(10).cmd());
        assertEquals(new Step.ArchiveDelete(14878L, null, 1, false), s.get(11).cmd());
        assertEquals(new Step.ArchiveDelete(null, "T1", null, false), s.get(12).cmd());
        assertEquals(new Step.ClockAdvance(Duration.ofHours(4)), s.get(13).cmd());
        assertEquals(new Step.Process("extract", "kill"), s.get(14).cmd());
        assertEquals(new Step.WaitReplicated(Duration.ofSeconds(30)), s.get(16).cmd());
        assertEquals(new Step.ExpectAbend("OGG-00446", Duration.ofSeconds(30)), s.get(20).cmd());
        assertEquals(new Step.ArchiveDelete(7L, null, 2, true), s.get(24).cmd());
        assertEquals(new Step.Ggsci("info extract EXT1, showch", null), s.get(21).cmd());
        assertEquals(new Step.Sleep(Duration.ofMillis(500)), s.get(22).cmd());
        assertEquals(new Step.Simulate(100, 3), s.get(23).cmd());
        assertEquals(6, s.get(3).line());
    }

    @Test
    void errorsNameFileAndLine() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> parse("commit T1\n\nfrobnicate\n"));
        assertTrue(e.getMessage().startsWith("t.scn:4: unknown command 'frobnicate'"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> parse("insert T1 YDJK.ACCOUNT (ID=1, NAME='x)\n"));
        assertTrue(e.getMessage().startsWith("t.scn:2: unterminated"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> parse("clock advance 4 hours\n"));
        assertTrue(e.getMessage().startsWith("t.scn:2: bad duration '4'"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> parse("extract pause\n"));
        assertTrue(e.getMessage().contains("start, stop, kill or restart"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> ScriptParser.parse(F, "# no version\ncommit T1\n"));
        assertTrue(e.getMessage().startsWith("t.scn:2: the first line must be 'redotrail-scenario 1'"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> ScriptParser.parse(F, "redotrail-scenario 2\n"));
        assertTrue(e.getMessage().contains("unsupported script version 2"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> parse("create table A.B (X VARCHAR(3))\n"));
        assertTrue(e.getMessage().contains("needs a primary key"), e.getMessage());
    }

    @Test
    void assertTargetRowsNamesTableAndCount() {
        List<Step> s = parse("assert target rows YDJK.ACCOUNT = 1\n");
        assertEquals(new Step.AssertTargetRows("YDJK.ACCOUNT", 1), s.get(0).cmd());
    }

    @Test
    void assertTargetValuesTakesTheKeyAndTheExpectedColumns() {
        List<Step> s = parse("assert target ydjk.account where id=1 has BALANCE=10.50, OWNER_NAME='O''Brien', CLOSED_ON=NULL\n"
                + "assert target POS_USER9.ORDER_LINE where ORDER_ID=7 and LINE_NO=2 has QTY=3\n");
        Step.AssertTargetValues a = assertInstanceOf(Step.AssertTargetValues.class, s.get(0).cmd());
        assertEquals("YDJK.ACCOUNT", a.table());
        assertEquals(java.util.Map.of("ID", new Step.Literal(Step.Literal.Kind.NUMBER, "1")), a.where());
        assertEquals(List.of("BALANCE", "OWNER_NAME", "CLOSED_ON"), List.copyOf(a.expected().keySet()));
        assertEquals(new Step.Literal(Step.Literal.Kind.NUMBER, "10.50"), a.expected().get("BALANCE"));
        assertEquals(new Step.Literal(Step.Literal.Kind.STRING, "O'Brien"), a.expected().get("OWNER_NAME"));
        assertEquals(Step.Literal.Kind.NULL, a.expected().get("CLOSED_ON").kind());
        Step.AssertTargetValues b = assertInstanceOf(Step.AssertTargetValues.class, s.get(1).cmd());
        assertEquals(List.of("ORDER_ID", "LINE_NO"), List.copyOf(b.where().keySet()));

        ScenarioException e = assertThrows(ScenarioException.class, () -> parse("assert target YDJK.ACCOUNT where ID=1\n"));
        assertTrue(e.getMessage().startsWith("t.scn:2: expected 'has' at the end of the line"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> parse("assert target YDJK.ACCOUNT has BALANCE=1\n"));
        assertTrue(e.getMessage().startsWith("t.scn:2: expected 'where', got 'has'"), e.getMessage());
    }

    @Test
    void targetCreateIsALineOfItsOwn() {
        assertEquals(new Step.TargetCreate(), parse("target create\n").get(0).cmd());
        ScenarioException e = assertThrows(ScenarioException.class, () -> parse("target create now\n"));
        assertTrue(e.getMessage().startsWith("t.scn:2: unexpected 'now' after the command"), e.getMessage());
    }

    @Test
    void inlineLinesNeedNoVersionLineAndKeepTheirLineNumbers() {
        List<Step> s = ScriptParser.parseLines(F, "commit T1\n\nrollback T2");
        assertEquals(new Step.Rollback("T2"), s.get(1).cmd());
        assertEquals(3, s.get(1).line());
        assertEquals(new Step.Commit("T1"), ScriptParser.parseLines(F, "redotrail-scenario 1\ncommit T1").get(0).cmd());
    }
}
