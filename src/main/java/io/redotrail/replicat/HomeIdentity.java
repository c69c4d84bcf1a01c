package io.redotrail.replicat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A home's identity for the checkpoint table's GROUP_KEY ({@link GroupKey}): a random UUID in {@code dirchk/home.id},
 * made at first use. It travels with the home: a home copied or moved to another directory (or reached through a
 * link) is the same installation and resumes from its rows, while a home made elsewhere has its own. A copy meant
 * as a separate installation sharing the checkpoint table needs its own: delete its {@code dirchk/home.id} before
 * its groups are added there.
 * <p>
 * On disk: one line, the UUID. Made with a hard link from a written, fsynced temporary file, so concurrent first
 * starts of one home's groups agree on one identity and no reader sees a partial file. Stateless, thread-safe.
 */
public final class HomeIdentity {
    static final String FILE = "home.id";

    private HomeIdentity() {
    }

    /** The identity of {@code home}; for a directory that does not exist (nothing runs there), its path stands for it. */
    public static String of(Path home) {
        if (!Files.isDirectory(home)) return "path:" + GroupKey.dirOf(home);
        Path file = home.resolve("dirchk").resolve(FILE);
        try {
            String id = read(file);
            if (id != null) return id;
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(StandardCharsets.UTF_8.encode(UUID.randomUUID() + "\n"));
                    ch.force(true);
                }
                try {
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    // another group of this home made it first: its identity is the home's
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                    try {
                        Files.move(tmp, file); // no hard links here: a rename that refuses an existing file
                    } catch (FileAlreadyExistsException made) {
                        // as above
                    }
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            id = read(file);
            if (id == null) throw new IllegalStateException("cannot make " + file + ": it is empty after it was made");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the home's identity " + file + ": " + e.getMessage(), e);
        }
    }

    /** The UUID in {@code file}, or null when there is no file; a file that holds no UUID is refused, naming it. */
    private static String read(Path file) throws IOException {
        if (!Files.exists(file)) return null;
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            return UUID.fromString(text).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " holds no home identity (a UUID), but '" + text + "': restore it from a "
                    + "backup of this home (the Replicat's checkpoint-table rows are keyed by it); deleting it makes the "
                    + "home a new installation that finds none of its rows");
        }
    }
}
