package io.redotrail.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ConfigCheck's declarations are the one list of valid keys: every redotrail.* key that the code, the shipped
 * routes or the shipped configuration use must be declared there, and every declared key must be used, so
 * the list cannot drift from what is read.
 */
class ConfigKeysTest {
    private static final Pattern JAVA_KEY = Pattern.compile("\"(redotrail\\.[A-Za-z0-9.]*[A-Za-z0-9])\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(redotrail\\.[^}:\\s]+)");

    private static Set<String> scan(Path root, String suffix, Pattern p) throws IOException {
        return scan(root, Integer.MAX_VALUE, suffix, p);
    }

    private static Set<String> scan(Path root, int depth, String suffix, Pattern p) throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root, depth)) {
            files.filter(f -> f.toString().endsWith(suffix) && !f.endsWith("ConfigCheck.java")).forEach(f -> {
                try {
                    Matcher m = p.matcher(Files.readString(f));
                    while (m.find()) keys.add(m.group(1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        keys.removeIf(Settings::notConfig);
        return keys;
    }

    @Test
    void everyKeyTheCodeTheRoutesAndTheConfigurationUseIsDeclaredAndEveryDeclaredKeyIsUsed() throws Exception {
        Set<String> code = scan(Path.of("src/main/java"), ".java", JAVA_KEY);
        // the shipped routes; routes/examples/ (not loaded by default) may read keys of their own, as a user's route
        // may: ConfigCheck accepts those once the route file is loaded
        Set<String> routes = scan(Path.of("routes"), 1, ".yaml", PLACEHOLDER);
        Set<String> config = new TreeSet<>(Settings.load(Path.of("config/application.properties"), java.util.Map.of()).keys());
        config.removeIf(k -> !k.startsWith("redotrail."));
        assertFalse(code.isEmpty() || routes.isEmpty() || config.isEmpty());

        Set<String> used = new TreeSet<>(code);
        used.addAll(routes);
        used.addAll(config);
        Set<String> undeclared = new TreeSet<>(used);
        undeclared.removeAll(ConfigCheck.keys());
        assertEquals(Set.of(), undeclared, "keys used but not declared in ConfigCheck");

        Set<String> unused = new TreeSet<>(ConfigCheck.keys());
        unused.removeAll(code);
        unused.removeAll(routes);
        // keys ConfigCheck validates for the example routes (a bad value is refused once the example is loaded)
        unused.removeAll(scan(Path.of("routes/examples"), ".yaml", PLACEHOLDER));
        assertEquals(Set.of(), unused, "keys declared in ConfigCheck that neither the code nor the routes read");
    }
}
