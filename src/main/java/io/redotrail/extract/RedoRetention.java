package io.redotrail.extract;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.extract.br.BrCheckpoint;
import io.redotrail.extract.br.BrException;
import io.redotrail.extract.br.BrStore;
import io.redotrail.redo.ArchiveLogs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The redo each primary Extract of a home still needs to restart, read from its files: per thread, the log of its
 * Recovery checkpoint ({@code dirchk/<GROUP>.cpe}), or of its newest Bounded Recovery checkpoint's restart position
 * when one is usable under {@code BR/<GROUP>} and not superseded (a restart restores what BR persisted and re-reads
 * only from there).
 * {@code archive delete} keeps those archived logs, as Oracle keeps the logs a registered capture needs (RMAN-08137).
 * Where a file cannot tell (no BR checkpoint in the default BRDIR, one that does not load), the Recovery checkpoint
 * counts: it keeps more, never less. Reads only; safe while the Extracts run.
 */
public final class RedoRetention {
    private RedoRetention() {
    }

    /** Per primary Extract of {@code home} and thread, the first log sequence it needs and why. */
    public static List<ArchiveLogs.Retained> of(Path home) {
        Path dirchk = home.resolve("dirchk");
        List<ArchiveLogs.Retained> out = new ArrayList<>();
        if (!Files.isDirectory(dirchk)) return out;
        List<Path> files;
        try (Stream<Path> s = Files.list(dirchk)) {
            files = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".cpe")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dirchk + " for the Extracts' checkpoints", e);
        }
        for (Path f : files) {
            ProcessCheckpoint cp = new CheckpointFile(f).read().orElse(null);
            if (cp == null || cp.redoReads().isEmpty()) continue; // a pump reads a trail, not redo
            String group = cp.group().toUpperCase(Locale.ROOT);
            // a BR checkpoint the extract checkpoint overtook is retired at the next start (RTR-01401)
            BrCheckpoint br = brCheckpoint(home, group).filter(c -> !BoundedRecovery.supersededBy(c, cp)).orElse(null);
            for (RedoReadCheckpoint r : cp.redoReads()) {
                CheckpointPoint restart = br == null ? null : br.restart().get(r.thread());
                if (restart != null) {
                    out.add(new ArchiveLogs.Retained(r.thread(), restart.position().sequence(), "Extract " + group
                            + " (its Bounded Recovery checkpoint " + br.number() + " restarts at " + at(restart) + ")"));
                    continue;
                }
                CheckpointPoint recovery = r.recovery() != null ? r.recovery() : r.current() != null ? r.current() : r.startup();
                if (recovery == null) continue;
                out.add(new ArchiveLogs.Retained(r.thread(), recovery.position().sequence(), "Extract " + group
                        + " (its Recovery checkpoint: " + at(recovery) + ")"));
            }
        }
        return out;
    }

    private static Optional<BrCheckpoint> brCheckpoint(Path home, String group) {
        Path dir = BoundedRecovery.dirOf(home.resolve("BR"), group);
        if (!Files.isDirectory(dir)) return Optional.empty();
        try {
            return new BrStore(dir, group, true).load();
        } catch (BrException e) {
            return Optional.empty(); // a restart would fall back to normal recovery: the Recovery checkpoint counts
        }
    }

    private static String at(CheckpointPoint p) {
        return "Thread " + p.position().thread() + ", Seqno " + p.position().sequence() + ", RBA " + p.position().rba();
    }
}
