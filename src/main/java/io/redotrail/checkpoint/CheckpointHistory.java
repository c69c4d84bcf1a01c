package io.redotrail.checkpoint;

import io.redotrail.core.CorruptFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group's previous checkpoints, for {@code INFO EXTRACT|REPLICAT g, SHOWCH n}: beside {@code dirchk/G.cpe}
 * (or {@code .cpr}), {@code G.cpe.history} holds, oldest first, each checkpoint a write replaced with one that
 * moved (any position, start time or stop status changed; a checkpoint that only renewed its update time, lag or
 * write-checkpoint time is not history), appended once the replacement is written, as the very bytes of the checkpoint file it was, CRC line included. Past
 * {@value #ROTATE_BYTES} bytes the file becomes {@code G.cpe.history.1} (replacing the one before) and a new one
 * starts, so two files bound the history at some hundreds of checkpoints.
 * <p>
 * History is for the operator, not for recovery: it is appended without fsync, a crash may lose its newest entries
 * or tear the last one, and a damaged or torn entry is shown as such, naming file and offset, never guessed at.
 * Thread-safety: stateless; the checkpoint file's one writer appends, any process reads.
 */
public final class CheckpointHistory {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointHistory.class);
    static final long ROTATE_BYTES = 256 * 1024;
    /** Keys that change at every write without the checkpoint moving (also each write checkpoint's {@code ts}, stamped at the write). */
    private static final Set<String> RENEWED = Set.of("last.update", "lag.millis", "at.eof");

    private static boolean renewed(String key) {
        return RENEWED.contains(key) || (key.startsWith("write.") && key.endsWith(".ts"));
    }
    private static final String CRC_LINE = "crc32c=";
    private static final String FIRST_LINE = "redotrail-checkpoint=";

    private CheckpointHistory() {
    }

    /** One previous checkpoint, or why it cannot be shown ({@code damage}, naming file and offset). */
    public record Entry(ProcessCheckpoint checkpoint, String damage) {
    }

    public static Path file(Path checkpointFile) {
        return checkpointFile.resolveSibling(checkpointFile.getFileName() + ".history");
    }

    static Path rotated(Path checkpointFile) {
        return checkpointFile.resolveSibling(checkpointFile.getFileName() + ".history.1");
    }

    /** The group's history files, for DELETE. */
    public static List<Path> files(Path checkpointFile) {
        return List.of(file(checkpointFile), rotated(checkpointFile));
    }

    /**
     * Called before {@code checkpointFile} is replaced by a checkpoint of properties {@code next}: the bytes of the
     * one there now when {@code next} moved from it, for {@link #append} once the replacement is written; else null.
     * A failure is logged, never the checkpoint write's.
     */
    static byte[] replaced(Path checkpointFile, Map<String, String> next) {
        byte[] old;
        try {
            old = Files.readAllBytes(checkpointFile);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("Checkpoint history of {} not kept: {}", checkpointFile, e.toString());
            return null;
        }
        try {
            Map<String, String> previous = SealedTextFile.properties(SealedTextFile.unseal(old, checkpointFile, 0, CRC_LINE,
                    "checkpoint file"), checkpointFile, 0, "checkpoint file");
            return moved(previous, next) ? old : null;
        } catch (RuntimeException e) {
            // a damaged checkpoint being replaced is no history; reading it says so where it matters
            LOG.warn("Checkpoint history of {} not kept: {}", checkpointFile, e.toString());
            return null;
        }
    }

    /** Appends {@code previous} ({@link #replaced}; null: nothing) to the history, after its replacement was written. */
    static void append(Path checkpointFile, byte[] previous) {
        if (previous == null) return;
        try {
            Path h = file(checkpointFile);
            if (Files.exists(h) && Files.size(h) >= ROTATE_BYTES) {
                Files.move(h, rotated(checkpointFile), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.write(h, previous, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Checkpoint history of {} not kept: {}", checkpointFile, e.toString());
        }
    }

    private static boolean moved(Map<String, String> previous, Map<String, String> next) {
        for (Map.Entry<String, String> e : next.entrySet()) {
            if (!renewed(e.getKey()) && !e.getValue().equals(previous.get(e.getKey()))) return true;
        }
        for (String k : previous.keySet()) {
            if (!renewed(k) && !next.containsKey(k)) return true;
        }
        return false;
    }

    /** Up to {@code n} previous checkpoints of the group whose checkpoint file is {@code checkpointFile}, newest first. */
    public static List<Entry> previous(Path checkpointFile, int n) {
        List<Entry> all = new ArrayList<>();
        for (Path f : List.of(rotated(checkpointFile), file(checkpointFile))) all.addAll(entries(f, checkpointFile));
        List<Entry> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < n; i--) out.add(all.get(i));
        return out;
    }

    /** The entries of one history file, oldest first; a file that does not exist has none. */
    private static List<Entry> entries(Path f, Path checkpointFile) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of(new Entry(null, "cannot read " + f + ": " + e));
        }
        List<Entry> out = new ArrayList<>();
        int start = 0;
        int line = 0;
        while (line < bytes.length) {
            int end = line;
            while (end < bytes.length && bytes[end] != '\n') end++;
            if (line > start && startsWith(bytes, line, FIRST_LINE)) {
                // a new entry begins before the last one ended: that one was torn (appended again after a crash)
                out.add(new Entry(null, f + " at byte " + start + ": an entry without its CRC line (torn by a crash), "
                        + (line - start) + " bytes"));
                start = line;
            }
            boolean crcLine = end < bytes.length && startsWith(bytes, line, CRC_LINE);
            line = end + 1;
            if (!crcLine) continue;
            byte[] entry = java.util.Arrays.copyOfRange(bytes, start, line);
            try {
                Map<String, String> m = SealedTextFile.properties(SealedTextFile.unseal(entry, f, start, CRC_LINE,
                        "checkpoint history entry"), f, start, "checkpoint history entry");
                out.add(new Entry(CheckpointFile.parse(m, f), null));
            } catch (CorruptFileException e) {
                out.add(new Entry(null, e.getMessage()));
            }
            start = line;
        }
        if (start < bytes.length) {
            out.add(new Entry(null, f + " at byte " + start + ": the last entry is incomplete (" + (bytes.length - start)
                    + " bytes without a CRC line; its process stopped while appending it)"));
        }
        return out;
    }

    private static boolean startsWith(byte[] b, int at, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (at + p.length > b.length) return false;
        for (int i = 0; i < p.length; i++) if (b[at + i] != p[i]) return false;
        return true;
    }
}
