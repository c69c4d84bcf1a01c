package io.redotrail.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dirprm/heartbeat.properties: written and read back, GoldenGate's ranges, a damaged file named. */
class HeartbeatSettingsTest {
    @TempDir
    Path home;

    @Test
    void roundTripAndDelete() {
        assertEquals(Optional.empty(), HeartbeatSettings.read(home));
        HeartbeatSettings s = HeartbeatSettings.DEFAULTS.withFrequency(5).withRetention(2).withPurgeFrequency(3).withTargetOnly(true);
        s.write(home);
        assertEquals(Optional.of(s), HeartbeatSettings.read(home));
        assertTrue(HeartbeatSettings.delete(home));
        assertEquals(Optional.empty(), HeartbeatSettings.read(home));
    }

    @Test
    void rangesAreGoldenGates() {
        assertEquals(0, HeartbeatSettings.DEFAULTS.withFrequency(0).frequency()); // 0 pauses the job
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HeartbeatSettings.DEFAULTS.withFrequency(8000))
                .getMessage().contains("FREQUENCY 8000 is out of range: 0..7999"));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatSettings.DEFAULTS.withRetention(0));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatSettings.DEFAULTS.withPurgeFrequency(200));
    }

    @Test
    void aDamagedFileIsNamed() throws Exception {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(HeartbeatSettings.pathOf(home), "heartbeat.enabled=true\nheartbeat.frequency=often\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HeartbeatSettings.read(home));
        assertTrue(e.getMessage().contains("heartbeat.properties") && e.getMessage().contains("'often'"), e.getMessage());
    }
}
