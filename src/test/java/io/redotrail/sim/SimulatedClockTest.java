package io.redotrail.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedClockTest {
    @TempDir
    Path home;

    @Test
    void timeIsSharedThroughTheHomeAndOnlyMovesForward() throws Exception {
        SimulatedClock a = SimulatedClock.of(home);
        assertEquals(SimulatedClock.DEFAULT_START, a.instant());
        assertFalse(Files.exists(home.resolve("redo/clock")), "reading does not create the file");
        a.advance(Duration.ofMinutes(20));
        SimulatedClock b = SimulatedClock.of(home); // another process would do the same
        assertEquals(SimulatedClock.DEFAULT_START.plusSeconds(1200), b.instant());
        assertEquals(Long.toString(b.millis()), Files.readString(home.resolve("redo/clock")).trim());
        b.advance(Duration.ofMillis(5));
        assertEquals(b.millis(), a.millis());
        Instant now = a.instant();
        assertEquals(now, a.advanceTo(now.minusSeconds(60)), "advanceTo never goes back");
        assertEquals(now.plusSeconds(1), a.advanceTo(now.plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> a.advance(Duration.ofMillis(-1)));
        assertEquals(a.instant(), a.withZone(java.time.ZoneId.of("Asia/Shanghai")).instant());
        assertFalse(Files.exists(home.resolve("redo/clock.tmp")));
    }

    @Test
    void aCorruptClockFileIsNamed() throws Exception {
        Files.createDirectories(home.resolve("redo"));
        Files.writeString(home.resolve("redo/clock"), "noon\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SimulatedClock.of(home).millis());
        assertTrue(e.getMessage().contains("redo/clock"), e.getMessage());
    }
}
