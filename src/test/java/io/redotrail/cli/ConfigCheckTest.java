package io.redotrail.cli;

import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConfigCheckTest {
    @TempDir
    Path dir;

    private Settings settings(String key, String value) throws Exception {
        Path f = dir.resolve("app.properties");
        Files.writeString(f, Files.readString(Path.of("config/application.properties")) + "\n" + key + " = " + value + "\n");
        return Settings.load(f, Map.of());
    }

    private void rejects(String key, String value, String reason) throws Exception {
        Settings s = settings(key, value);
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> ConfigCheck.validate(s));
        assertTrue(e.getMessage().contains("app.properties") && e.getMessage().contains("'" + key + "'")
                && e.getMessage().contains(value) && e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void theShippedConfigurationIsValid() throws Exception {
        ConfigCheck.validate(Settings.load(Path.of("config/application.properties"), Map.of()));
    }

    @Test
    void aBadRouteParameterNamesFileKeyAndValue() throws Exception {
        rejects("redotrail.extract.brInterval", "5X", "must end with M or H");
        rejects("redotrail.extract.brInterval", "10M", "20M..96H");
        rejects("redotrail.extract.cacheSizeMb", "-1", "must be 0..");
        rejects("redotrail.replicat.groupTransOps", "abc", "must be an integer");
        rejects("redotrail.replicat.batchSql", "yes", "true or false");
        rejects("redotrail.replicat.stageAhead", "on", "true or false");
        rejects("redotrail.pump.tables", "YDJK", "OWNER.TABLE");
        rejects("redotrail.replicat.onOlderTable", "MAYBE", "WARN_USE_TABLE");
        // set by a group's process from REPORTCOUNT and START ... ATCSN / AFTERCSN (issue #11)
        rejects("redotrail.reportCount", "EVERY 5 DAYS", "EVERY n RECORDS");
        rejects("redotrail.replicat.atCsn", "-3", "a CSN");
        rejects("redotrail.replicat.afterCsn", "x", "a CSN");
        rejects("redotrail.extract.warnLongTrans", "soon", "warnLongTrans");
        // MIN/MAX_APPLY_PARALLELISM: MAX alone (MIN unset, 0) is not a range; the tuning interval has bounds
        rejects("redotrail.replicat.maxApplyParallelism", "6", "go together");
        rejects("redotrail.replicat.minApplyParallelism", "2", "go together");
        rejects("redotrail.replicat.applyTuneMillis", "10", "must be 100..60000");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheNearestValidOne() throws Exception {
        Path f = dir.resolve("app.properties");
        for (String[] typo : new String[][]{{"redotrail.replicat.grouptransops", "redotrail.replicat.groupTransOps"},
                {"redotrail.extract.brIntervall", "redotrail.extract.brInterval"},
                {"redotrail.target.jdbcURL", "redotrail.target.jdbcUrl"}}) {
            Settings s = settings(typo[0], "5");
            int line = (int) Files.readAllLines(f).size();
            Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> ConfigCheck.validate(s));
            assertEquals(f + ":" + line + ": unknown key '" + typo[0] + "' (nearest valid key: '" + typo[1] + "')", e.getMessage());
        }
    }

    /** camel.main.* keys are Camel Main's options, in camel case or dashed; one it does not know is refused here. */
    @Test
    void anUnknownCamelMainKeyIsRefusedWithTheNearestOption() throws Exception {
        Path f = dir.resolve("app.properties");
        Settings s = settings("camel.main.shutdownTimout", "5");
        int line = (int) Files.readAllLines(f).size();
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> ConfigCheck.validate(s));
        assertEquals(f + ":" + line + ": unknown key 'camel.main.shutdownTimout' (nearest valid key: 'camel.main.shutdownTimeout')",
                e.getMessage());
        ConfigCheck.validate(settings("camel.main.shutdown-timeout", "5"));
        ConfigCheck.validate(settings("camel.main.SHUTDOWNTIMEOUT", "5"));
    }

    @Test
    void anUnknownSystemPropertyIsRefusedNamingMinusD() throws Throwable {
        SettingsTest.withSystemProperty("redotrail.pump.table", "YDJK.*", () -> {
            Settings s = Settings.load(Path.of("config/application.properties"), Map.of());
            Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> ConfigCheck.validate(s));
            assertEquals("-Dredotrail.pump.table (system property): unknown key 'redotrail.pump.table'"
                    + " (nearest valid key: 'redotrail.pump.tables')", e.getMessage());
        });
    }

    @Test
    void aKeyThatACustomisedRouteReadsIsValid() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("mine.yaml"), "- route:\n    from:\n      uri: \"timer:x?period={{redotrail.my.period:1000}}\"\n");
        Settings s = settings("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml\nredotrail.my.period = 5");
        ConfigCheck.validate(s);
        Settings other = settings("redotrail.my.period", "5");
        assertThrows(Settings.ConfigException.class, () -> ConfigCheck.validate(other));
    }

    @Test
    void tablePatternsThatSelectNothingAreRefusedForTheComparison() throws Exception {
        Settings s = settings("redotrail.pump.tables", "NOSUCH.*\nredotrail.home = " + dir.resolve("home"));
        Settings.ConfigException noSource = assertThrows(Settings.ConfigException.class, () -> VerifyCommand.selectedTables(s));
        assertTrue(noSource.getMessage().contains("redotrail.home") && noSource.getMessage().contains("has no source database"),
                noSource.getMessage());
        HomeSetup.prepareHome(s);
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> VerifyCommand.selectedTables(s));
        assertTrue(e.getMessage().contains("redotrail.pump.tables") && e.getMessage().contains("selects none")
                && e.getMessage().contains("YDJK.ACCOUNT"), e.getMessage());
    }
}
