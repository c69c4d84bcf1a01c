package io.redotrail.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static io.redotrail.cli.CliTest.execute;
import static org.junit.jupiter.api.Assertions.*;

/** {@code scenario FILE [--set KEY=VALUE]...}: the overrides reach the run; the script's own set lines win. */
class ScenarioCliTest {
    @TempDir
    Path tmp;

    @Test
    void setOverridesTheConfigurationAndTheScriptsSetLinesWin() throws Exception {
        Path plain = Files.writeString(tmp.resolve("plain.scn"), "redotrail-scenario 1\n");
        CliTest.Result r = execute("scenario", plain.toString(), "--home", tmp.resolve("h1").toString(),
                "--set", "redotrail.pump.tables=YDJK.ACCOUNT; POS_USER9.ORDERS");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("tables replicated: [POS_USER9.ORDERS, YDJK.ACCOUNT]"), r.out());

        Path own = Files.writeString(tmp.resolve("own.scn"), "redotrail-scenario 1\nset redotrail.pump.tables = YDJK.TRANSFER\n");
        CliTest.Result s = execute("scenario", own.toString(), "--home", tmp.resolve("h2").toString(),
                "--set", "redotrail.pump.tables=YDJK.ACCOUNT");
        assertEquals(0, s.exit(), s.toString());
        assertTrue(s.out().contains("tables replicated: [YDJK.TRANSFER]"), s.out());

        CliTest.Result missing = execute("scenario", tmp.resolve("nothing.scn").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nothing.scn not found"), missing.err());
    }

    /** The tables the pump selects are read from the source: a script's {@code create table} is one verify compares. */
    @Test
    void verifyComparesATableAScriptsCreateTableAdded() throws Exception {
        Path home = tmp.resolve("home");
        Path script = Files.writeString(tmp.resolve("notes.scn"), """
                redotrail-scenario 1
                create table YDJK.NOTES (ID BIGINT PRIMARY KEY, NOTE VARCHAR2(100))
                target create
                insert T1 YDJK.NOTES (ID=1, NOTE='first')
                commit T1
                """);
        CliTest.Result r = execute("scenario", script.toString(), "--home", home.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("YDJK.NOTES: created"), r.out());

        CliTest.Result differs = execute("verify", "--home", home.toString());
        assertEquals(1, differs.exit(), differs.toString());
        assertTrue(differs.out().lines().anyMatch(l -> l.matches("YDJK\\.NOTES +1 +0 .*DIFFERENT"))
                && differs.out().contains("1 of 7 table(s) differ"), differs.out());

        String target = "jdbc:h2:file:" + home.resolve("db/target") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0";
        try (Connection c = DriverManager.getConnection(target, "sa", ""); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO YDJK.NOTES (ID, NOTE) VALUES (1, 'first')");
        }
        CliTest.Result equal = execute("verify", "--home", home.toString());
        assertEquals(0, equal.exit(), equal.toString());
        assertTrue(equal.out().lines().anyMatch(l -> l.matches("YDJK\\.NOTES +1 +1 .*EQUAL")) && equal.out().contains("7 table(s) equal"),
                equal.out());
    }
}
