package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.report.PidFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The groups a home knows, from {@code dirchk/}: {@code <G>.cpe} = EXTRACT, {@code <G>.cpr} = REPLICAT (or a pid file). */
final class Groups {
    private Groups() {
    }

    /** Groups of {@code program} (EXTRACT / REPLICAT) matching {@code pattern} ({@code *} wildcards), sorted. */
    static TreeSet<String> find(Path home, String program, String pattern) {
        TreeSet<String> out = new TreeSet<>();
        Path dir = home.resolve("dirchk");
        if (!Files.isDirectory(dir)) return out;
        Pattern p = Pattern.compile(("\\Q" + (pattern == null ? "*" : pattern).toUpperCase(Locale.ROOT) + "\\E")
                .replace("*", "\\E.*\\Q"));
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot <= 0) return;
                String g = name.substring(0, dot).toUpperCase(Locale.ROOT);
                if (p.matcher(g).matches() && program.equals(programOf(home, g))) out.add(g);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /** EXTRACT, REPLICAT, or null when the group has neither a checkpoint file nor a pid file. */
    static String programOf(Path home, String group) {
        if (Files.exists(CheckpointFile.extractFile(home, group))) return "EXTRACT";
        if (Files.exists(CheckpointFile.replicatFile(home, group))) return "REPLICAT";
        Optional<PidFile> pid = PidFile.read(PidFile.pathOf(home, group));
        if (pid.isPresent()) return pid.get().program().equals("REPLICAT") ? "REPLICAT" : "EXTRACT";
        return null;
    }

    static Optional<ProcessCheckpoint> checkpoint(Path home, String program, String group) {
        Path f = "REPLICAT".equals(program) ? CheckpointFile.replicatFile(home, group) : CheckpointFile.extractFile(home, group);
        return new CheckpointFile(f).read();
    }
}
