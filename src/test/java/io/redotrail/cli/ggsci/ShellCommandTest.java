package io.redotrail.cli.ggsci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SHELL, as seed 002 uses it ({@code shell ls -l ./BR/EXT1}): runs in the home, prints the output, fails on failure. */
class ShellCommandTest {
    @TempDir
    Path home;

    @Test
    void runsInTheHomeAndPrintsItsOutput() throws Exception {
        Files.createDirectories(home.resolve("BR/EXT1"));
        Files.writeString(home.resolve("BR/EXT1/CP.EXT1.000000001"), "x");
        GgsciOut ls = GgsciOut.run(home, k -> null, "shell ls ./BR/EXT1");
        assertEquals(new GgsciOut(0, "CP.EXT1.000000001\n"), ls);
        GgsciOut missing = GgsciOut.run(home, k -> null, "SHELL ls ./BR/EXT9");
        assertEquals(1, missing.rc(), missing.text());
        assertTrue(missing.text().contains("./BR/EXT9") && missing.text().contains("SHELL command exited with status 2: ls ./BR/EXT9"),
                missing.text());
        GgsciOut bare = GgsciOut.run(home, k -> null, "shell");
        assertTrue(bare.rc() == 1 && bare.text().contains("usage: SHELL <command>"), bare.text());
    }
}
