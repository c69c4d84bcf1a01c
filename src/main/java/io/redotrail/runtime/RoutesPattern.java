package io.redotrail.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code camel.main.routes-include-pattern}: the route files Camel Main loads, e.g. {@code file:routes/*.yaml}
 * (comma-separated, relative to the working directory, {@code *} within a folder, {@code **} across folders).
 * Camel Main starts happily with no routes at all and would then replicate nothing, forever; so the command
 * line requires the pattern to match at least one file on disk.
 */
public final class RoutesPattern {
    public static final String KEY = "camel.main.routes-include-pattern";

    private RoutesPattern() {
    }

    /** Fails (exit 2) naming the pattern and the configuration file unless it matches at least one route file. */
    public static List<Path> require(Settings s) {
        if (!s.has(KEY)) {
            throw new Settings.ConfigException(s.file() + ": key '" + KEY + "' is missing, so no routes would be loaded"
                    + " (the shipped configuration has " + KEY + " = file:routes/*.yaml)");
        }
        String pattern = s.get(KEY);
        List<Path> files = files(pattern);
        if (files.isEmpty()) {
            List<String> missing = new ArrayList<>();
            for (String entry : pattern.split(",")) {
                entry = entry.trim();
                if (!entry.startsWith("file:")) continue;
                String glob = entry.substring(5);
                Path base = base(glob);
                Path folder = (base.toString().equals(glob) ? base.toAbsolutePath().getParent() : base.toAbsolutePath()).normalize();
                if (!Files.isDirectory(folder)) missing.add("routes folder " + folder + " not found; ");
            }
            throw s.invalid(KEY, "matches no route file (" + String.join("", missing) + "file: paths are relative to "
                    + Path.of("").toAbsolutePath() + "), so no routes would be loaded");
        }
        return files;
    }

    /** The files the pattern's {@code file:} entries match; empty when none (or the key is missing). */
    static List<Path> files(Settings s) {
        return s.has(KEY) ? files(s.get(KEY)) : List.of();
    }

    static List<Path> files(String pattern) {
        List<Path> out = new ArrayList<>();
        for (String entry : pattern.split(",")) {
            entry = entry.trim();
            if (!entry.startsWith("file:")) continue;
            String glob = entry.substring(5);
            if (glob.isEmpty()) continue;
            Path base = base(glob);
            if (base.toString().equals(glob)) {
                if (Files.isRegularFile(base)) out.add(base);
                continue;
            }
            if (!Files.isDirectory(base)) continue;
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            try (Stream<Path> s = Files.walk(base)) {
                // normalize: a walk from "." yields "./x.yaml", which the glob "*.yaml" does not match
                s.map(Path::normalize).filter(Files::isRegularFile).filter(m::matches).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list route folder " + base.toAbsolutePath(), e);
            }
        }
        return out;
    }

    /** The part of the glob before its first wildcard segment: the folder to walk ("." when it starts there). */
    private static Path base(String glob) {
        Path p = Path.of(glob.startsWith("/") ? "/" : "");
        for (String seg : glob.split("/")) {
            if (seg.isEmpty()) continue;
            if (seg.matches(".*[*?\\[{].*")) return p.toString().isEmpty() ? Path.of(".") : p;
            p = p.resolve(seg);
        }
        return p;
    }
}
