package io.redotrail.bench;

import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class BenchHomeTest {
    @TempDir
    Path dir;

    @Test
    void wipeMakesAMarkedHomeAndEmptiesOnlyABenchMadeOne() throws Exception {
        Path home = dir.resolve("bench");
        BenchHome.wipe(home); // new
        assertTrue(Files.exists(home.resolve(BenchHome.MARKER)));
        Files.createDirectories(home.resolve("dirdat"));
        Files.writeString(home.resolve("dirdat/aa000000000"), "trail");
        BenchHome.wipe(home); // bench-made: emptied, marked again
        assertFalse(Files.exists(home.resolve("dirdat")));
        assertTrue(Files.exists(home.resolve(BenchHome.MARKER)));

        Path empty = Files.createDirectories(dir.resolve("empty"));
        BenchHome.wipe(empty);
        assertTrue(Files.exists(empty.resolve(BenchHome.MARKER)));
    }

    @Test
    void wipeRefusesANonEmptyDirectoryBenchDidNotMake() throws Exception {
        Path user = Files.createDirectories(dir.resolve("home"));
        Files.writeString(user.resolve("data.txt"), "keep me");
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> BenchHome.wipe(user));
        assertTrue(e.getMessage().contains(user.toString()) && e.getMessage().contains("refusing to wipe"), e.getMessage());
        assertEquals("keep me", Files.readString(user.resolve("data.txt")));
        assertFalse(Files.exists(user.resolve(BenchHome.MARKER)));
    }
}
