package io.redotrail.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/redotrail scenario FILE [--home DIR] [--config FILE] [--keep]}: runs one scenario script. Without
 * {@code --home} a fresh temporary home is used and deleted after a passing run unless {@code --keep}; a failing
 * run keeps it for inspection. Exit 0 when every step passed, 1 when a step failed, 2 on bad usage.
 */
public final class ScenarioCommand {
    private ScenarioCommand() {
    }

    /**
     * Runs {@code file} on {@code home} (null: a fresh temporary one) with {@code config} and the command line's
     * {@code --set} overrides (the script's {@code set} lines over them).
     */
    public static int run(Path file, Path home, Path config, Map<String, String> sets, boolean keep) {
        Path script = file;
        if (!Files.isRegularFile(script)) {
            System.err.println("redotrail: scenario script " + script.toAbsolutePath() + " not found");
            return 2;
        }
        Path projectDir = Path.of(System.getProperty("redotrail.project.dir", ".")).toAbsolutePath().normalize();
        boolean temp = home == null;
        Path h;
        try {
            h = temp ? Files.createTempDirectory("redotrail-scenario-") : home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            new ScenarioRunner(projectDir, config, h, System.out, sets).run(script);
        } catch (ScenarioException e) {
            System.err.println("redotrail: scenario " + e.getMessage());
            if (temp) System.err.println("redotrail: home kept for inspection: " + h);
            return 1;
        }
        if (temp && !keep) deleteTree(h);
        else System.out.println("home: " + h);
        return 0;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(all::add);
        } catch (IOException e) {
            return;
        }
        for (Path p : all) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: a temporary directory
            }
        }
    }
}
