package io.redotrail.replicat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.redotrail.checkpoint.AtomicFiles;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A home's identity for the checkpoint table's GROUP_KEY ({@link GroupKey}): a random UUID in {@code dirchk/home.id},
 * made at first use. It travels with the home: a home copied or moved to another directory (or reached through a
 * link) is the same installation and resumes from its rows, while a home made elsewhere has its own. A copy meant
 * as a separate installation sharing the checkpoint table needs its own: delete its {@code dirchk/home.id}, and
 * DELETE and ADD its groups, before it first starts.
 * <p>
 * On disk: one line, the UUID, made with O_EXCL (concurrent first starts of one home's groups agree on one) and
 * fsynced with its directory. A reader that meets the file empty or half written waits for its maker a moment.
 * Stateless, thread-safe.
 */
public final class HomeIdentity {
    static final String FILE = "home.id";
    /** How long a file without a UUID may be one another process is still writing. */
    static final long MAKING_MILLIS = 2000;

    private HomeIdentity() {
    }

    /** The identity of {@code home}, made (with the home's dirchk/) when it has none yet. */
    public static String of(Path home) {
        Path file = home.resolve("dirchk").resolve(FILE);
        try {
            String id = read(file);
            if (id != null) return id;
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                // O_EXCL: of several groups of this home starting at once exactly one makes it; the others read it
                ch.write(StandardCharsets.UTF_8.encode(UUID.randomUUID() + "\n"));
                ch.force(true);
            } catch (FileAlreadyExistsException e) {
                // another group of this home made it first: its identity is the home's
            }
            AtomicFiles.fsyncDirectory(file.getParent()); // the name survives a power loss with the rows keyed by it
            id = read(file);
            if (id == null) throw new IllegalStateException("cannot make " + file + ": it is gone after it was made");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the home's identity " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The UUID in {@code file}, or null when there is no file. A file that holds no UUID is refused, naming it, once
     * it has held none for {@value #MAKING_MILLIS} ms: until then another group of the home may still be writing it.
     */
    private static String read(Path file) throws IOException {
        long deadline = System.currentTimeMillis() + MAKING_MILLIS;
        while (true) {
            if (!Files.exists(file)) return null;
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            try {
                // only the full 36 characters: UUID.fromString also takes short groups, e.g. a file cut short
                String id = UUID.fromString(text).toString();
                if (!id.equalsIgnoreCase(text)) throw new IllegalArgumentException(text);
                return id;
            } catch (IllegalArgumentException e) {
                if (System.currentTimeMillis() >= deadline) {
                    throw new IllegalStateException(file + " holds no home identity (a UUID), but '" + text + "': restore it "
                            + "from a backup of this home (the Replicat's checkpoint-table rows are keyed by it); deleting it "
                            + "makes the home a new installation that finds none of its rows"
                            + (text.isEmpty() ? " (an empty file is left by a crash while it was made, before anything was "
                            + "keyed by it: delete it)" : ""));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading " + file, ie);
                }
            }
        }
    }
}
