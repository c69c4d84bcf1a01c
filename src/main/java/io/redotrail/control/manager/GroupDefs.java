package io.redotrail.control.manager;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.observe.web.GroupRef;

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
 * The groups of a home as GoldenGate defines them: one checkpoint file each ({@code dirchk/<G>.cpe} an Extract or
 * pump, {@code dirchk/<G>.cpr} a Replicat; contract 1 of issue 11). Read fresh on every call: GGSCI adds and
 * deletes groups while the Manager runs. Stateless, thread-safe.
 */
public final class GroupDefs {
    private GroupDefs() {
    }

    /** One defined group; {@code checkpoint} empty when never written, {@code problem} set when unreadable. */
    public record Def(String group, String processType, Path file, Optional<ProcessCheckpoint> checkpoint, String problem) {
    }

    public static List<Def> all(Path home) {
        Path dir = home.resolve("dirchk");
        List<Def> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                String n = f.getFileName().toString();
                String type = n.endsWith(".cpe") ? "EXTRACT" : n.endsWith(".cpr") ? "REPLICAT" : null;
                if (type == null) continue;
                out.add(read(f, n.substring(0, n.length() - 4).toUpperCase(Locale.ROOT), type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /** The groups as the live page shows them (the Manager's and {@code run}'s). */
    public static List<GroupRef> pageRefs(Path home) {
        return all(home).stream().map(d -> new GroupRef(d.group(), d.processType(), d.checkpoint(), d.problem())).toList();
    }

    /** The group's definition, or empty when it has no checkpoint file. */
    public static Optional<Def> of(Path home, String group) {
        String g = group.toUpperCase(Locale.ROOT);
        Path cpe = CheckpointFile.extractFile(home, g);
        if (Files.exists(cpe)) return Optional.of(read(cpe, g, "EXTRACT"));
        Path cpr = CheckpointFile.replicatFile(home, g);
        if (Files.exists(cpr)) return Optional.of(read(cpr, g, "REPLICAT"));
        return Optional.empty();
    }

    private static Def read(Path f, String group, String type) {
        try {
            return new Def(group, type, f, new CheckpointFile(f).read(), null);
        } catch (RuntimeException e) {
            return new Def(group, type, f, Optional.empty(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
