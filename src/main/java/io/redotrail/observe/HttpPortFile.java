package io.redotrail.observe;

import io.redotrail.checkpoint.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * {@code dirchk/<GROUP>.http}: one line, the TCP port on 127.0.0.1 where the JVM running the group serves
 * {@code /metrics} and {@code /health}. Written (atomically) once the server listens, removed at a graceful stop; a
 * file left by a killed process stays until the group's next start, so a reader checks the group's pid file
 * ({@code GroupStatus}) before trusting it. The Manager's live page reads it to gather every group's metrics.
 * Stateless.
 */
public final class HttpPortFile {
    private HttpPortFile() {
    }

    public static Path pathOf(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase(java.util.Locale.ROOT) + ".http");
    }

    static void write(Path home, String group, int port) throws IOException {
        Path p = pathOf(home, group);
        Files.createDirectories(p.getParent());
        AtomicFiles.write(p, (port + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    static void remove(Path home, String group) throws IOException {
        Files.deleteIfExists(pathOf(home, group));
    }

    /** The port the file names; empty when there is no file or it holds no port. */
    public static OptionalInt read(Path home, String group) {
        try {
            String s = Files.readString(pathOf(home, group), StandardCharsets.US_ASCII).strip();
            int port = Integer.parseInt(s);
            return port > 0 && port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
