package io.redotrail.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/redotrail scenario FILE [--home DIR] [--config FILE] [--keep]}: runs one scenario script. Without
 * {@code --home} a fresh temporary home is used and deleted after a passing run unless {@code --keep}; a failing
 * run keeps it for inspection. Exit 0 when every step passed, 1 when a step failed, 2 on bad usage.
 */
public final class ScenarioCommand {
    static final String USAGE = "usage: bin/redotrail scenario FILE [--home DIR] [--config FILE] [--keep]";

    private ScenarioCommand() {
    }

    public static int run(String[] argv) {
        String file = null, home = null, config = "config/application.properties";
        boolean keep = false;
        for (int i = 1; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--home" -> home = value(argv, ++i, a);
                case "--config" -> config = value(argv, ++i, a);
                case "--keep" -> keep = true;
                default -> {
                    if (a.startsWith("--home=")) home = a.substring(7);
                    else if (a.startsWith("--config=")) config = a.substring(9);
                    else if (a.startsWith("--") || file != null) {
                        System.err.println("redotrail: unexpected argument '" + a + "'\n" + USAGE);
                        return 2;
                    } else file = a;
                }
            }
            if ((a.equals("--home") && home == null) || config == null) return 2; // value missing
        }
        if (file == null) {
            System.err.println("redotrail: scenario needs a script file\n" + USAGE);
            return 2;
        }
        Path script = Path.of(file);
        if (!Files.isRegularFile(script)) {
            System.err.println("redotrail: scenario script " + script.toAbsolutePath() + " not found");
            return 2;
        }
        Path projectDir = Path.of(System.getProperty("redotrail.project.dir", ".")).toAbsolutePath().normalize();
        boolean temp = home == null;
        Path h;
        try {
            h = temp ? Files.createTempDirectory("redotrail-scenario-") : Path.of(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            new ScenarioRunner(projectDir, Path.of(config), h, System.out).run(script);
        } catch (ScenarioException e) {
            System.err.println("redotrail: scenario " + e.getMessage());
            if (temp) System.err.println("redotrail: home kept for inspection: " + h);
            return 1;
        }
        if (temp && !keep) deleteTree(h);
        else System.out.println("home: " + h);
        return 0;
    }

    private static String value(String[] argv, int i, String option) {
        if (i >= argv.length) {
            System.err.println("redotrail: " + option + " needs a value\n" + USAGE);
            return null;
        }
        return argv[i];
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
