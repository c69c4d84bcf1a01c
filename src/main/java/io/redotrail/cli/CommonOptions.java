package io.redotrail.cli;

import io.redotrail.runtime.Settings;
import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.Settings.ConfigException;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The options of every command that reads the configuration: {@code --home}, {@code --config}, {@code --set
 * key=value} (repeatable; the same effect as {@code -Dkey=value}, and a value may hold spaces and ';', e.g. a MAP
 * statement), {@code --set-file F} (a properties file of overrides, under {@code --set}: how the Manager hands its
 * overrides to a group without showing them in {@code ps}) and {@code -h/--help}.
 */
final class CommonOptions {
    @Option(names = "--home", paramLabel = "DIR", description = "runtime home (default: redotrail.home, home/)")
    Path home;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/application.properties",
            description = "configuration file (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a configuration key (repeatable; as -DKEY=VALUE, over the configuration file)")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--set-file", paramLabel = "FILE",
            description = "overrides as a properties file (under --set); what the Manager hands its groups, so no value shows in ps")
    Path setFile;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this usage and exit")
    boolean help;

    /** The configuration, {@code --set} and {@code --home} over the file and {@code -D}, checked before use. */
    Settings settings() {
        Settings s = load();
        ConfigCheck.validate(s);
        return s;
    }

    /** The overrides of {@code --set-file}, in key order; empty without one. */
    Map<String, String> setFileOverrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (setFile == null) return overrides;
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(setFile)) {
            p.load(in);
        } catch (IOException e) {
            throw new ConfigException("--set-file " + setFile + " cannot be read: " + e.getMessage());
        }
        for (String k : new TreeSet<>(p.stringPropertyNames())) overrides.put(k, p.getProperty(k));
        return overrides;
    }

    /** The configuration as {@link #settings()}, unchecked. */
    Settings load() {
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> sources = new HashMap<>();
        setFileOverrides().forEach((k, v) -> {
            overrides.put(k, v);
            sources.put(k, "--set-file " + setFile);
        });
        set.forEach((k, v) -> {
            overrides.put(k, v);
            sources.put(k, "--set");
        });
        if (home != null) {
            overrides.put("redotrail.home", home.toAbsolutePath().normalize().toString());
            sources.put("redotrail.home", "--home");
        }
        return Settings.load(config, overrides, sources);
    }
}
