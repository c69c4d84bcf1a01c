package io.redotrail.cli;

import io.redotrail.runtime.Workloads;
import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SettingsTest {
    @TempDir
    Path dir;

    private Path config(String text) throws Exception {
        Path f = dir.resolve("app.properties");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aRelativeHomeIsMadeAbsoluteAlsoInsidePlaceholders() throws Exception {
        Settings s = Settings.load(config("""
                redotrail.home = home
                redotrail.target.jdbcUrl = jdbc:h2:file:{{redotrail.home}}/db/target
                """), Map.of());
        Path abs = Path.of("home").toAbsolutePath();
        assertEquals(abs, s.home());
        assertEquals(abs.toString(), s.get("redotrail.home"));
        assertEquals("jdbc:h2:file:" + abs + "/db/target", s.get("redotrail.target.jdbcUrl"));
    }

    @Test
    void eachKeyKnowsItsLineCountingCommentsAndContinuationLines() throws Exception {
        Path f = config("""
                # comment \\
                redotrail.pump.tables = A.*; \\
                    B.*

                ! another comment
                  redotrail.replicat.batchSql : maybe
                redotrail.replicat.batchSql = later
                """);
        Settings s = Settings.load(f, Map.of());
        assertEquals(f + ":2", s.where("redotrail.pump.tables"));
        assertEquals("A.*; B.*", s.get("redotrail.pump.tables"));
        // the last definition wins, as in java.util.Properties, and its line is the one reported
        assertEquals(f + ":7", s.where("redotrail.replicat.batchSql"));
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> ConfigCheck.validate(s));
        assertEquals(f + ":7: key 'redotrail.replicat.batchSql' = 'later': must be true or false", e.getMessage());
    }

    @Test
    void aSystemPropertyIsNamedAsTheSourceOfItsValue() throws Throwable {
        Path f = config("redotrail.replicat.groupTransOps = 10\n");
        withSystemProperty("redotrail.replicat.groupTransOps", "ten", () -> {
            Settings s = Settings.load(f, Map.of());
            Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> ConfigCheck.validate(s));
            assertEquals("-Dredotrail.replicat.groupTransOps (system property): key 'redotrail.replicat.groupTransOps'"
                    + " = 'ten': must be an integer", e.getMessage());
        });
    }

    /** Runs {@code body} with {@code -Dkey=value} set, as bin/redotrail's REDOTRAIL_JAVA_OPTS would. */
    static void withSystemProperty(String key, String value, Executable body) throws Throwable {
        System.setProperty(key, value);
        try {
            body.execute();
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void aHomeFromTheCommandLineIsNamedAsTheSourceOfItsValue() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Settings s = Settings.load(config("redotrail.home = home\n"), Map.of("redotrail.home", file.resolve("home").toString()), "--home");
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> HomeSetup.prepare(s));
        assertTrue(e.getMessage().startsWith("--home: key 'redotrail.home' = '" + file.resolve("home")
                + "': cannot create the home directory"), e.getMessage());
    }

    @Test
    void aWorkloadValueOutOfRangeNamesItsLine() throws Exception {
        Path f = config(Files.readString(Path.of("config/application.properties")) + "redotrail.workload.rollbackRatio = 1.5\n");
        Settings s = Settings.load(f, Map.of());
        int line = Files.readAllLines(f).size();
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class,
                () -> Workloads.config(s, null, null, "redotrail.workload.transactions"));
        assertTrue(e.getMessage().startsWith(f + ":" + line + ": key 'redotrail.workload.rollbackRatio' = '1.5': workload parameter"
                + " rollbackRatio must be between 0 and 1"), e.getMessage());
        e = assertThrows(Settings.ConfigException.class,
                () -> Workloads.config(s, -5, null, "redotrail.workload.transactions"));
        assertTrue(e.getMessage().startsWith("--transactions: workload parameter transactions must be >= 0"), e.getMessage());
    }
}
