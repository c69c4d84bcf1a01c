package io.redotrail.control.group;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.control.params.BrFiles;
import io.redotrail.control.params.GroupParams;
import io.redotrail.extract.BoundedRecovery;
import io.redotrail.extract.br.BrCheckpoint;
import io.redotrail.extract.br.BrStore;
import io.redotrail.redo.ArchiveLogs;
import io.redotrail.redo.ControlFile;
import io.redotrail.redo.RedoFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The redo each primary Extract of a home still needs to restart, read from its files: per thread, the log of its
 * Recovery checkpoint ({@code dirchk/<GROUP>.cpe}), or of its newest Bounded Recovery checkpoint's restart position
 * when the group's BR files ({@link BrFiles}: its BRDIR) hold one its next start would restore (BR on, no BRRESET, not
 * superseded: then BR holds the older transactions); every log of a thread the source has and the checkpoint lacks
 * (a restart reads such a thread from its oldest log). {@code archive delete} keeps those archived logs, as Oracle
 * keeps the logs a registered capture needs (RMAN-08137). Where the files cannot tell (a parameter file that does not
 * read, a BR checkpoint that does not load) the Recovery checkpoint counts: it keeps more, never less; a checkpoint
 * file that does not read refuses every deletion ({@link ArchiveLogs.RefusedException}). Reads only;
 * safe while the Extracts run.
 */
public final class RedoRetention {
    private RedoRetention() {
    }

    /** Per primary Extract of {@code home} and thread, the first log sequence it needs and why; {@code config}: the home's settings. */
    public static List<ArchiveLogs.Retained> of(Path home, Function<String, String> config) {
        Path dirchk = home.resolve("dirchk");
        List<ArchiveLogs.Retained> out = new ArrayList<>();
        if (!Files.isDirectory(dirchk)) return out;
        List<Path> files;
        try (Stream<Path> s = Files.list(dirchk)) {
            files = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".cpe")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dirchk + " for the Extracts' checkpoints", e);
        }
        Set<Integer> sourceThreads = sourceThreads(home);
        for (Path f : files) {
            ProcessCheckpoint cp;
            try {
                cp = new CheckpointFile(f).read().orElse(null);
            } catch (RuntimeException e) {
                // which redo that group needs is unknown: nothing may go unless forced
                throw new ArchiveLogs.RefusedException("cannot tell which redo the group of " + f + " still needs: "
                        + e.getMessage() + " (repair or delete that checkpoint file, or --force)");
            }
            if (cp == null || cp.redoReads().isEmpty()) continue; // a pump reads a trail, not redo
            String group = cp.group().toUpperCase(Locale.ROOT);
            BrCheckpoint br = brCheckpoint(home, group, cp, config).orElse(null);
            Set<Integer> missing = new TreeSet<>(sourceThreads);
            for (RedoReadCheckpoint r : cp.redoReads()) {
                missing.remove(r.thread());
                CheckpointPoint restart = br == null ? null : br.restart().get(r.thread());
                if (restart != null) {
                    out.add(new ArchiveLogs.Retained(r.thread(), restart.position().sequence(), "Extract " + group
                            + " (its Bounded Recovery checkpoint " + br.number() + " restarts at " + at(restart) + ")"));
                    continue;
                }
                CheckpointPoint recovery = r.recovery() != null ? r.recovery() : r.current() != null ? r.current() : r.startup();
                if (recovery == null) {
                    missing.add(r.thread());
                    continue;
                }
                out.add(new ArchiveLogs.Retained(r.thread(), recovery.position().sequence(), "Extract " + group
                        + " (its Recovery checkpoint: " + at(recovery) + ")"));
            }
            for (int t : missing) {
                out.add(new ArchiveLogs.Retained(t, 0, "Extract " + group + " (it has no checkpoint on thread " + t
                        + " yet: a restart reads that thread from its oldest log)"));
            }
        }
        return out;
    }

    /** The BR checkpoint the group's next start would restore from, if any. */
    private static Optional<BrCheckpoint> brCheckpoint(Path home, String group, ProcessCheckpoint cp, Function<String, String> config) {
        try {
            Map<String, String> prm = Files.exists(GroupParams.fileOf(home, group))
                    ? GroupParams.read(home, group, cp).overrides() : Map.of();
            // BR BROFF and BRRESET (a start option for the next run) both start from the Recovery checkpoint
            if (on(prm, config, "redotrail.extract.brOff") || on(prm, config, "redotrail.extract.brReset")) return Optional.empty();
            Path dir = BrFiles.of(home, group, cp, config).dir();
            if (!Files.isDirectory(dir)) return Optional.empty();
            return new BrStore(dir, group, true).load().filter(c -> BoundedRecovery.restoredFrom(c, cp));
        } catch (RuntimeException e) { // BrException among them
            return Optional.empty(); // a parameter file or BR checkpoint that does not read: the Recovery checkpoint counts
        }
    }

    private static boolean on(Map<String, String> prm, Function<String, String> config, String key) {
        String v = prm.containsKey(key) ? prm.get(key) : config.apply(key);
        return v != null && Boolean.parseBoolean(v.trim());
    }

    /** The redo threads the source's control file knows (none when it has none yet). */
    private static Set<Integer> sourceThreads(Path home) {
        try {
            return ControlFile.read(RedoFormat.controlFile(home.resolve("redo"))).map(c -> (Set<Integer>) new TreeSet<>(c.threads.keySet()))
                    .orElse(Set.of());
        } catch (RuntimeException e) {
            return Set.of(); // archive delete reads the control file itself and names what is wrong with it
        }
    }

    private static String at(CheckpointPoint p) {
        return "Thread " + p.position().thread() + ", Seqno " + p.position().sequence() + ", RBA " + p.position().rba();
    }
}
