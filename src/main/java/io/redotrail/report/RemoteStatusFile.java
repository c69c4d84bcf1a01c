package io.redotrail.report;

import io.redotrail.checkpoint.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code dirchk/<GROUP>.rmt}: a pump's remote host state as it last changed (connected, retrying, failed,
 * disconnected: one line, the text SEND ... STATUS shows), so GGSCI's INFO can show it when the pump does not run
 * (an abend after the TCP/IP retries). Written atomically by the pump at each change of state, not at each
 * acknowledgement; removed when the pump writes its trail locally. Stateless, thread-safe.
 */
public final class RemoteStatusFile {
    private RemoteStatusFile() {
    }

    public static Path pathOf(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase(java.util.Locale.ROOT) + ".rmt");
    }

    public static void write(Path home, String group, String text) {
        AtomicFiles.write(pathOf(home, group), (text.strip() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<String> read(Path home, String group) {
        try {
            return Optional.of(Files.readString(pathOf(home, group), StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pathOf(home, group), e);
        }
    }

    public static void delete(Path home, String group) {
        try {
            Files.deleteIfExists(pathOf(home, group));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + pathOf(home, group), e);
        }
    }
}
