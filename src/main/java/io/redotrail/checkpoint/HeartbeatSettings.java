package io.redotrail.checkpoint;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The heartbeat table's options of a home, {@code dirprm/heartbeat.properties} (written by GGSCI's ADD / ALTER
 * HEARTBEATTABLE, removed by DELETE): {@code heartbeat.enabled}, {@code heartbeat.frequency} (seconds, 0 pauses
 * the source's heartbeat job), {@code heartbeat.retention_time} and {@code heartbeat.purge.frequency} (days, the
 * target's history purge), {@code heartbeat.targetonly} (no source heartbeat job in this home). Read by the source's
 * heartbeat job and the Replicat; written atomically. Immutable value.
 */
public record HeartbeatSettings(int frequency, int retentionDays, int purgeFrequencyDays, boolean targetOnly) {
    public static final int DEFAULT_FREQUENCY = 60;
    public static final int DEFAULT_RETENTION = 30;
    public static final int DEFAULT_PURGE_FREQUENCY = 1;
    public static final HeartbeatSettings DEFAULTS = new HeartbeatSettings(DEFAULT_FREQUENCY, DEFAULT_RETENTION,
            DEFAULT_PURGE_FREQUENCY, false);

    public HeartbeatSettings {
        check("FREQUENCY", frequency, 0, 7999);
        check("RETENTION_TIME", retentionDays, 1, 2147483646);
        check("PURGE_FREQUENCY", purgeFrequencyDays, 1, 199);
    }

    private static void check(String option, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("heartbeat " + option + " " + v + " is out of range: " + min + ".." + max);
        }
    }

    public static Path pathOf(Path home) {
        return home.resolve("dirprm").resolve("heartbeat.properties");
    }

    /** The home's settings, empty when no heartbeat table was added; a damaged file is an error naming it. */
    public static Optional<HeartbeatSettings> read(Path home) {
        Path f = pathOf(home);
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
            if (!Boolean.parseBoolean(p.getProperty("heartbeat.enabled", "false"))) return Optional.empty();
            return Optional.of(new HeartbeatSettings(num(p, "heartbeat.frequency"), num(p, "heartbeat.retention_time"),
                    num(p, "heartbeat.purge.frequency"), Boolean.parseBoolean(p.getProperty("heartbeat.targetonly", "false"))));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(f + ": " + e.getMessage(), e);
        }
    }

    private static int num(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("missing " + key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + v + "' is not a whole number");
        }
    }

    /** Writes the home's settings (enabled) atomically. */
    public void write(Path home) {
        String text = "# written by GGSCI ADD / ALTER HEARTBEATTABLE\n"
                + "heartbeat.enabled=true\n"
                + "heartbeat.frequency=" + frequency + "\n"
                + "heartbeat.retention_time=" + retentionDays + "\n"
                + "heartbeat.purge.frequency=" + purgeFrequencyDays + "\n"
                + "heartbeat.targetonly=" + targetOnly + "\n";
        try {
            Files.createDirectories(pathOf(home).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + pathOf(home).getParent(), e);
        }
        AtomicFiles.write(pathOf(home), text.getBytes(StandardCharsets.UTF_8));
    }

    public static boolean delete(Path home) {
        try {
            return Files.deleteIfExists(pathOf(home));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + pathOf(home), e);
        }
    }

    public HeartbeatSettings withFrequency(int f) {
        return new HeartbeatSettings(f, retentionDays, purgeFrequencyDays, targetOnly);
    }

    public HeartbeatSettings withRetention(int days) {
        return new HeartbeatSettings(frequency, days, purgeFrequencyDays, targetOnly);
    }

    public HeartbeatSettings withPurgeFrequency(int days) {
        return new HeartbeatSettings(frequency, retentionDays, days, targetOnly);
    }

    public HeartbeatSettings withTargetOnly(boolean t) {
        return new HeartbeatSettings(frequency, retentionDays, purgeFrequencyDays, t);
    }
}
