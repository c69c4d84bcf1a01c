package io.redotrail.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code ggserr.log} at the home root: GoldenGate's event log, one line per event, appended and forced to disk
 * (O_APPEND, so lines of several processes never interleave within a line):
 * <pre>
 * 2026-12-02 12:00:00  INFO    OGG-00975  redotrail Manager, mgr.prm:  EXTRACT EXT1 starting.
 * </pre>
 * Columns: local time, severity (INFO, WARNING, ERROR) padded to 8, message id, program and parameter file,
 * text. Usable by any process of the home ({@code program} names it). Thread-safe (one monitor per instance).
 */
public final class EventLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path file;
    private final String program;
    private final Clock clock;

    /** {@code program}: e.g. {@code "redotrail Manager, mgr.prm"}. */
    public EventLog(Path home, String program) {
        this(home, program, Clock.systemDefaultZone());
    }

    EventLog(Path home, String program, Clock clock) {
        this.file = fileOf(home);
        this.program = program;
        this.clock = clock;
    }

    public static Path fileOf(Path home) {
        return home.resolve("ggserr.log");
    }

    public Path file() {
        return file;
    }

    public void info(String id, String text) {
        write("INFO", id, text);
    }

    public void warning(String id, String text) {
        write("WARNING", id, text);
    }

    public void error(String id, String text) {
        write("ERROR", id, text);
    }

    /** The line as written (without the newline). */
    public synchronized String write(String severity, String id, String text) {
        String line = LocalDateTime.now(clock).format(TIME) + "  " + String.format("%-8s", severity) + id + "  "
                + program + ":  " + text.replace('\n', ' ');
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) ch.write(b);
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
        return line;
    }
}
