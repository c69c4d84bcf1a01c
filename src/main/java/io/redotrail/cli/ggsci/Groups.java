package io.redotrail.cli.ggsci;

import io.redotrail.control.params.Wildcards;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import io.redotrail.trail.TrailFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The groups a home knows, from {@code dirchk/}: {@code <G>.cpe} = EXTRACT, {@code <G>.cpr} = REPLICAT (or a pid file). */
final class Groups {
    private Groups() {
    }

    /** Groups of {@code program} (EXTRACT / REPLICAT) matching {@code pattern} ({@link Wildcards}), sorted. */
    static TreeSet<String> find(Path home, String program, String pattern) {
        TreeSet<String> out = new TreeSet<>();
        Path dir = home.resolve("dirchk");
        if (!Files.isDirectory(dir)) return out;
        String wildcard = pattern == null ? "*" : pattern;
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot <= 0) return;
                String g = name.substring(0, dot).toUpperCase(Locale.ROOT);
                if (Wildcards.matches(wildcard, g) && program.equals(programOf(home, g))) out.add(g);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /**
     * {program, group} pairs a command names: each group of {@code programs} matching {@code pattern} ({@code *},
     * {@code ?} wildcards), or the one plain name, which must exist. Errors say which.
     */
    static java.util.List<String[]> named(Path home, java.util.List<String> programs, String pattern) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        for (String p : programs) {
            if (Wildcards.isPattern(pattern)) {
                find(home, p, pattern).forEach(g -> out.add(new String[]{p, g}));
            } else if (p.equals(programOf(home, pattern))) {
                out.add(new String[]{p, pattern});
            }
        }
        if (out.isEmpty()) {
            throw new GgsciException(Wildcards.isPattern(pattern) ? "No " + String.join(" or ", programs) + " groups match "
                    + pattern + "." : String.join(" or ", programs) + " " + pattern + " does not exist.");
        }
        return out;
    }

    /**
     * EXTRACT, REPLICAT, or null when the group has neither a checkpoint file nor a group's pid file (the Manager's
     * and the collectors' pid files name no group).
     */
    static String programOf(Path home, String group) {
        if (Files.exists(CheckpointFile.extractFile(home, group))) return "EXTRACT";
        if (Files.exists(CheckpointFile.replicatFile(home, group))) return "REPLICAT";
        if (group.equalsIgnoreCase(ManagerClient.GROUP)) return null; // dirchk/MGR.pid is the Manager's
        Optional<PidFile> pid = PidFile.read(PidFile.pathOf(home, group));
        // only a group's own record names a group: a collector's (program COLLECTOR) lives in dirchk/ too
        String program = pid.map(PidFile::program).orElse("");
        return program.equals("REPLICAT") || program.equals("EXTRACT") ? program : null;
    }

    /**
     * Refuses to act on a group whose process is alive. The one place GGSCI asks "is it running?" before
     * changing a group's files: a live process holds the group's lock on {@code dirchk/<GROUP>.pid}.
     */
    static void requireStopped(Path home, String program, String group, String action) {
        if (GroupLock.held(home, group)) {
            long pid = GroupLock.read(home, group).flatMap(PidFile::parse).map(PidFile::pid).orElse(-1L);
            throw new GgsciException(program + " " + group + " is running (process " + (pid > 0 ? Long.toString(pid) : "unknown")
                    + ", it holds the lock on " + PidFile.pathOf(home, group) + "): cannot " + action + " while it runs; stop it first.");
        }
    }

    /**
     * A new group's name by GoldenGate's rules ("Naming Conventions for Processes"): 1 to 8 characters, letters,
     * digits and underscore. MGR and MANAGER name the Manager (its files are {@code dirchk/MGR.*}).
     */
    static String requireValidName(String program, String group) {
        if (group == null) throw new GgsciException(program + " needs a group name.");
        if (!group.matches("[A-Z0-9_]{1,8}")) {
            throw new GgsciException("Invalid group name " + group + ": a group name has 1 to 8 characters, letters, digits"
                    + " or underscore (_).");
        }
        if (group.equals(ManagerClient.GROUP) || group.equals("MANAGER")) {
            throw new GgsciException("Invalid group name " + group + ": it names the Manager.");
        }
        return group;
    }

    /**
     * A trail named in a command ({@code ./dirdat/ha}, {@code dirdat/ha}, or absolute) in the form checkpoints
     * store it ({@code ./dirdat/ha}). The route templates read and write trails by a prefix under the home's
     * {@code dirdat/}, so a trail anywhere else is refused, as is a prefix not of two characters (the first not a digit).
     */
    static String homeTrail(Path home, String typed) {
        if (typed == null || typed.isBlank()) throw new GgsciException("a trail name is needed, e.g. ./dirdat/ha");
        Path dirdat = home.resolve("dirdat").toAbsolutePath().normalize();
        Path p = trailPath(home, typed);
        if (p.getParent() == null || !p.getParent().equals(dirdat) || p.getFileName().toString().isBlank()) {
            throw new GgsciException("Trail " + typed + " is outside the home's trail directory " + dirdat + ": redotrail"
                    + " trails are files under dirdat/ of the home (e.g. ./dirdat/" + p.getFileName() + ").");
        }
        try {
            TrailFormat.checkPrefix(p);
        } catch (IllegalArgumentException e) {
            // the process would refuse it at start (OGG-01668): refused here, before a group is defined with it
            throw new GgsciException("Invalid trail name " + typed + ": a trail is named by two characters, the first"
                    + " not a digit (e.g. ./dirdat/ex).");
        }
        return "./dirdat/" + p.getFileName();
    }

    /** A trail path as a checkpoint records it: absolute, or relative to the home. */
    static Path trailPath(Path home, String recorded) {
        return io.redotrail.checkpoint.HomePaths.resolve(home, recorded); // "./dirdat/ex" without a "/./" in messages
    }

    /** The trail a reader's checkpoint names; a Replicat's may be blank: the configured remote trail. */
    static Path readTrail(GgsciContext ctx, TrailReadCheckpoint r) {
        String recorded = r.trail().isBlank()
                ? ctx.home().resolve("dirdat").resolve(ctx.config("redotrail.pump.trail", "ha")).toString() : r.trail();
        return trailPath(ctx.home(), recorded);
    }

    static boolean sameTrail(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** The write checkpoint of the extract or pump that writes {@code trail}, if any group does. */
    static Optional<WriteCheckpoint> writerOf(Path home, Path trail) {
        for (String g : find(home, "EXTRACT", "*")) {
            Optional<ProcessCheckpoint> cp = checkpoint(home, "EXTRACT", g);
            WriteCheckpoint w = cp.map(c -> c.write(0)).orElse(null);
            if (w != null && sameTrail(trailPath(home, w.trail()), trail)) return Optional.of(w);
        }
        return Optional.empty();
    }

    static Optional<ProcessCheckpoint> checkpoint(Path home, String program, String group) {
        Path f = "REPLICAT".equals(program) ? CheckpointFile.replicatFile(home, group) : CheckpointFile.extractFile(home, group);
        return new CheckpointFile(f).read();
    }
}
