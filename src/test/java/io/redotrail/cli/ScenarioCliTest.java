package io.redotrail.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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
        assertTrue(r.out().contains("tables replicated: [YDJK.ACCOUNT, POS_USER9.ORDERS]"), r.out());

        Path own = Files.writeString(tmp.resolve("own.scn"), "redotrail-scenario 1\nset redotrail.pump.tables = YDJK.TRANSFER\n");
        CliTest.Result s = execute("scenario", own.toString(), "--home", tmp.resolve("h2").toString(),
                "--set", "redotrail.pump.tables=YDJK.ACCOUNT");
        assertEquals(0, s.exit(), s.toString());
        assertTrue(s.out().contains("tables replicated: [YDJK.TRANSFER]"), s.out());

        CliTest.Result missing = execute("scenario", tmp.resolve("nothing.scn").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nothing.scn not found"), missing.err());
    }
}
