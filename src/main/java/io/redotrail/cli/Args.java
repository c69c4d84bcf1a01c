package io.redotrail.cli;

import io.redotrail.runtime.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code <command> [--name value]... [positional]...}; unknown options are rejected by the command. */
public final class Args {
    final String command;
    final Map<String, String> options = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    public static Args parse(String[] argv) {
        if (argv.length == 0) return new Args("help");
        Args a = new Args(argv[0]);
        for (int i = 1; i < argv.length; i++) {
            String s = argv[i];
            if (s.startsWith("--")) {
                String name = s.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    value = argv[++i];
                } else {
                    value = "true";
                }
                a.options.put(name, value);
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    public String option(String name, String def) {
        return options.getOrDefault(name, def);
    }

    /** The integer option, null when not given. */
    public Long longOrNull(String name) {
        return options.containsKey(name) ? longOption(name, 0) : null;
    }

    public long longOption(String name, long def) {
        String v = options.get(name);
        if (v == null) return def;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Settings.ConfigException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    public void allow(String... names) {
        for (String k : options.keySet()) {
            if (!List.of(names).contains(k)) {
                throw new Settings.ConfigException("unknown option --" + k + " for command '" + command
                        + "' (allowed: --" + String.join(", --", names) + ")");
            }
        }
    }
}
