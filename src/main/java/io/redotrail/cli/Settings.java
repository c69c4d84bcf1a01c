package io.redotrail.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's configuration ({@code config/application.properties}) as the command line sees it: the same file
 * Camel Main loads for the routes, with {@code {{key}}} placeholders resolved and {@code redotrail.home}
 * overridden by {@code --home}. Every lookup error names the file and the key. Immutable.
 */
public final class Settings {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");

    private final Path file;
    private final Map<String, String> values;
    private final Map<String, String> overrides;

    private Settings(Path file, Map<String, String> values, Map<String, String> overrides) {
        this.file = file;
        this.values = values;
        this.overrides = Map.copyOf(overrides);
    }

    public static Settings load(Path file, Map<String, String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file.toAbsolutePath() + " not found");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("configuration file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        m.putAll(overrides);
        // -D and environment override the file, as they do for Camel Main
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("redotrail."))
                .filter(k -> !k.equals("redotrail.project.dir") && !k.equals("redotrail.jar"))
                .forEach(k -> m.put(k, System.getProperty(k)));
        return new Settings(file, m, overrides);
    }

    public Path file() {
        return file;
    }

    /** The keys given to {@link #load} over the file's; the pipeline passes them on to Camel Main. */
    public Map<String, String> overrides() {
        return overrides;
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
            throw new ConfigException(file + ": key '" + key + "' must be an integer, got '" + v + "'");
        }
    }

    public long getLong(String key, long def) {
        String v = get(key, Long.toString(def));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(file + ": key '" + key + "' must be an integer, got '" + v + "'");
        }
    }

    public double getDouble(String key, double def) {
        String v = get(key, Double.toString(def));
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(file + ": key '" + key + "' must be a number, got '" + v + "'");
        }
    }

    public Path home() {
        return Path.of(get("redotrail.home")).toAbsolutePath().normalize();
    }

    private String resolve(String key, String v, int depth) {
        if (depth > 10) throw new ConfigException(file + ": key '" + key + "' has circular placeholders");
        Matcher m = PLACEHOLDER.matcher(v);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1).trim();
            String rv = values.get(ref);
            if (rv == null) {
                throw new ConfigException(file + ": key '" + key + "' refers to undefined {{" + ref + "}}");
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
