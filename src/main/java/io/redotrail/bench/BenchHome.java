package io.redotrail.bench;

import io.redotrail.core.FileTrees;
import io.redotrail.runtime.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The scratch home of a benchmark: made and marked by a bench run, so that the next run may delete it. */
public final class BenchHome {
    static final String MARKER = ".redotrail-bench";

    private BenchHome() {
    }

    /**
     * Empties {@code home} for a bench run: deletes a scratch home bench made earlier (marked), never a user's
     * directory that happens to be named — a non-empty unmarked one is a configuration error.
     */
    public static void wipe(Path home) throws IOException {
        if (Files.exists(home)) {
            boolean empty;
            try (var s = Files.list(home)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(home.resolve(MARKER))) {
                throw new Settings.ConfigException("bench home " + home + " is not empty and was not made by bench; "
                        + "refusing to wipe it (bench deletes its home): give --home a new or bench-made directory");
            }
            FileTrees.delete(home);
        }
        Files.createDirectories(home);
        Files.writeString(home.resolve(MARKER), "made by bin/redotrail bench; deleted by the next bench run\n");
    }

    /** Deletes the H2 file database {@code name} in {@code dir}, if there. */
    static void deleteDb(Path dir, String name) throws IOException {
        for (String suffix : new String[]{".mv.db", ".trace.db", ".lock.db"}) Files.deleteIfExists(dir.resolve(name + suffix));
    }
}
