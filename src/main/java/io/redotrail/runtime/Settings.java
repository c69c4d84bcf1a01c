package io.redotrail.runtime;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's configuration ({@code config/application.properties}) as the command line sees it: the same file
 * Camel Main loads for the routes, with {@code {{key}}} placeholders resolved, {@code -Dredotrail.*} system
 * properties and the caller's overrides ({@code --set}, {@code --home}) over the file's values, and {@code redotrail.home}
 * made absolute. Every key remembers where its value came from ({@code file:line}, {@code -D}, {@code --set},
 * {@code --home}),
 * so an error names the place the user must edit. Immutable.
 */
public final class Settings {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    /** System properties the launcher and the tests set ({@code mvn verify -Dredotrail.it.kills=50}): not configuration keys. */
    private static final Set<String> NOT_CONFIG = Set.of("redotrail.project.dir", "redotrail.jar");
    private static final List<String> NOT_CONFIG_PREFIXES = List.of("redotrail.test.", "redotrail.it.");

    private final Path file;
    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final Map<String, String> overrides;

    private Settings(Path file, Map<String, String> values, Map<String, String> sources, Map<String, String> overrides) {
        this.file = file;
        this.values = values;
        this.sources = sources;
        this.overrides = Map.copyOf(overrides);
    }

    public static Settings load(Path file, Map<String, String> overrides) {
        return load(file, overrides, "override");
    }

    /** {@code overridesSource} names where the overrides came from in error messages, e.g. {@code --home}. */
    public static Settings load(Path file, Map<String, String> overrides, String overridesSource) {
        Map<String, String> sources = new HashMap<>();
        overrides.keySet().forEach(k -> sources.put(k, overridesSource));
        return load(file, overrides, sources);
    }

    /** {@code sourceOf} names, per overridden key, where its value came from ({@code --set}, {@code --home}). */
    public static Settings load(Path file, Map<String, String> overrides, Map<String, String> sourceOf) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file.toAbsolutePath() + " not found");
        }
        Map<String, String> m = new TreeMap<>();
        Map<String, String> src = new HashMap<>();
        try {
            readFile(file, m, src);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("configuration file " + file + " cannot be read: " + e.getMessage());
        }
        // -D overrides the file, as it does for Camel Main; the caller's overrides win over both
        System.getProperties().stringPropertyNames().stream()
                .filter(Settings::configProperty)
                .forEach(k -> {
                    m.put(k, System.getProperty(k));
                    src.put(k, "-D" + k + " (system property)");
                });
        overrides.forEach((k, v) -> {
            m.put(k, v);
            src.put(k, sourceOf.getOrDefault(k, "override"));
        });
        Settings s = new Settings(file, m, src, overrides);
        if (m.containsKey("redotrail.home")) {
            // H2 refuses relative file URLs, and {{redotrail.home}} ends up in one; relative = to the working directory
            m.put("redotrail.home", Path.of(s.get("redotrail.home")).toAbsolutePath().normalize().toString());
        }
        return s;
    }

    /** Reads the file with {@link Properties}' own syntax, one logical line at a time, to know each key's line. */
    private static void readFile(Path file, Map<String, String> values, Map<String, String> sources) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        StringBuilder logical = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (logical.isEmpty()) {
                String t = line.stripLeading();
                if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) continue;
                start = i + 1;
            }
            logical.append(line).append('\n');
            if (continues(line) && i + 1 < lines.size()) continue;
            Properties p = new Properties();
            p.load(new StringReader(logical.toString()));
            for (String k : p.stringPropertyNames()) {
                values.put(k, p.getProperty(k).trim());
                sources.put(k, file + ":" + start);
            }
            logical.setLength(0);
        }
    }

    /** True when the system property {@code -Dkey} sets a configuration key (a {@code redotrail.*} one). */
    public static boolean configProperty(String systemProperty) {
        return systemProperty.startsWith("redotrail.") && !notConfig(systemProperty);
    }

    static boolean notConfig(String systemProperty) {
        return NOT_CONFIG.contains(systemProperty) || NOT_CONFIG_PREFIXES.stream().anyMatch(systemProperty::startsWith);
    }

    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) n++;
        return n % 2 == 1;
    }

    public Path file() {
        return file;
    }

    /** The keys given to {@link #load} over the file's; the pipeline passes them on to Camel Main. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** Every key set, from the file, {@code -D} or the overrides. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** Where the key's value came from: {@code file:line}, {@code -Dkey (system property)}, {@code --set} or {@code --home}. */
    public String where(String key) {
        return sources.getOrDefault(key, file.toString());
    }

    /** A bad value: names where it came from, the key, the value and what is wrong. */
    public ConfigException invalid(String key, String reason) {
        return new ConfigException(where(key) + ": key '" + key + "' = '" + values.getOrDefault(key, "") + "': " + reason);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new ConfigException(file + ": required key '" + key + "' is missing");
        }
        return resolve(key, v, 0);
    }

    public String get(String key, String def) {
        return values.containsKey(key) ? get(key) : def;
    }

    public int getInt(String key, int def) {
        String v = get(key, Integer.toString(def));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(key, "must be an integer");
        }
    }

    public long getLong(String key, long def) {
        String v = get(key, Long.toString(def));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(key, "must be an integer");
        }
    }

    public double getDouble(String key, double def) {
        String v = get(key, Double.toString(def));
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a number");
        }
    }

    public Path home() {
        return Path.of(get("redotrail.home")).toAbsolutePath().normalize();
    }

    private String resolve(String key, String v, int depth) {
        if (depth > 10) throw new ConfigException(where(key) + ": key '" + key + "' has circular placeholders");
        Matcher m = PLACEHOLDER.matcher(v);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1).trim();
            String rv = values.get(ref);
            if (rv == null) {
                throw new ConfigException(where(key) + ": key '" + key + "' refers to undefined {{" + ref + "}}");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(resolve(ref, rv, depth + 1)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A configuration problem the user must fix; printed without a stack trace. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
