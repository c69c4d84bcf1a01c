package io.redotrail.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RoutesPatternTest {
    @TempDir
    Path dir;

    private Settings settings(String extra) throws Exception {
        Path f = dir.resolve("app.properties");
        Files.writeString(f, "redotrail.home = " + dir.resolve("home") + "\n" + extra);
        return Settings.load(f, Map.of());
    }

    private String refused(String extra) throws Exception {
        Settings s = settings(extra);
        return assertThrows(Settings.ConfigException.class, () -> RoutesPattern.require(s)).getMessage();
    }

    @Test
    void aMissingPatternIsRefusedNamingTheKeyAndTheFile() throws Exception {
        String m = refused("");
        assertTrue(m.startsWith(dir.resolve("app.properties") + ": key 'camel.main.routes-include-pattern' is missing"), m);
    }

    @Test
    void aPatternMatchingNoFileIsRefusedNamingItAndItsLine() throws Exception {
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes/pump.yml"), "- route: {}\n");
        for (String pattern : List.of("file:" + dir + "/routes/*.yaml", "file:" + dir + "/nosuch/*.yaml",
                "file:" + dir + "/routes/extract.yaml", "classpath:camel/*")) {
            String m = refused("camel.main.routes-include-pattern = " + pattern + "\n");
            assertTrue(m.startsWith(dir.resolve("app.properties") + ":2: key 'camel.main.routes-include-pattern' = '"
                    + pattern + "': matches no route file"), m);
            assertEquals(pattern.contains("nosuch"), m.contains("routes folder " + dir.resolve("nosuch") + " not found"), m);
        }
    }

    @Test
    void filesAreMatchedByGlobWithinAndAcrossFolders() throws Exception {
        Files.createDirectories(dir.resolve("routes/sub"));
        Files.writeString(dir.resolve("routes/a.yaml"), "");
        Files.writeString(dir.resolve("routes/b.yml"), "");
        Files.writeString(dir.resolve("routes/sub/c.yaml"), "");
        assertEquals(List.of(dir.resolve("routes/a.yaml")), RoutesPattern.files("file:" + dir + "/routes/*.yaml"));
        assertEquals(List.of(dir.resolve("routes/a.yaml"), dir.resolve("routes/sub/c.yaml")),
                RoutesPattern.files("file:" + dir + "/routes/**.yaml"));
        assertEquals(List.of(dir.resolve("routes/a.yaml"), dir.resolve("routes/b.yml")),
                RoutesPattern.files("file:" + dir + "/routes/*.yaml, file:" + dir + "/routes/b.yml"));
        assertEquals(2, RoutesPattern.require(settings("camel.main.routes-include-pattern = file:" + dir + "/routes/*.y*ml\n")).size());
    }

    @Test
    void theShippedPatternMatchesTheShippedRoutes() throws Exception {
        // routes/examples/ is not matched: its routes are loaded only when added to the pattern
        assertEquals(List.of(Path.of("routes/extract.yaml"), Path.of("routes/pump.yaml"), Path.of("routes/replicat.yaml"),
                Path.of("routes/target-datasource.yaml")), RoutesPattern.files("file:routes/*.yaml"));
    }
}
