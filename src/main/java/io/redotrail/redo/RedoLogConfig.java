package io.redotrail.redo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how one redo thread writes its logs. {@code groups} online log files per thread are reused in
 * turn; each holds at most {@code logSizeBytes} bytes (header included) before a log switch.
 */
public record RedoLogConfig(Path redoDir, Path archiveDir, int thread, int groups, long logSizeBytes, String dbName) {

    public static final int DEFAULT_GROUPS = 3;
    public static final long DEFAULT_LOG_SIZE = 50L * 1024 * 1024;

    public RedoLogConfig {
        Objects.requireNonNull(redoDir, "redoDir");
        Objects.requireNonNull(archiveDir, "archiveDir");
        Objects.requireNonNull(dbName, "dbName");
        if (thread < 1 || thread > 0xFFFF) throw new IllegalArgumentException("redo thread must be 1..65535: " + thread);
        if (groups < 2) throw new IllegalArgumentException("a redo thread needs at least 2 log groups: " + groups);
        if (logSizeBytes < RedoFormat.HEADER_SIZE + 4096 || logSizeBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("log size must be between " + (RedoFormat.HEADER_SIZE + 4096)
                    + " and " + Integer.MAX_VALUE + " bytes: " + logSizeBytes);
        }
    }

    /** home/redo and home/arch, 3 groups of 50 MB. */
    public static RedoLogConfig defaults(Path home, int thread, String dbName) {
        return new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), thread, DEFAULT_GROUPS, DEFAULT_LOG_SIZE, dbName);
    }

    public RedoLogConfig withLogSize(long bytes) {
        return new RedoLogConfig(redoDir, archiveDir, thread, groups, bytes, dbName);
    }

    public RedoLogConfig withGroups(int n) {
        return new RedoLogConfig(redoDir, archiveDir, thread, n, logSizeBytes, dbName);
    }

    public Path onlineLog(int group) {
        return RedoFormat.onlineLog(redoDir, thread, group);
    }

    public Path archivedLog(long sequence) {
        return RedoFormat.archivedLog(archiveDir, thread, sequence);
    }

    public Path controlFile() {
        return RedoFormat.controlFile(redoDir);
    }
}
