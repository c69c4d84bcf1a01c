package io.redotrail.cli;

import io.redotrail.extract.BoundedRecovery;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.pump.TablePatterns;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.replicat.error.RepError;
import io.redotrail.replicat.mapping.MapParser;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Checks the {@code redotrail.*} keys the routes and commands use before anything starts, with the same parsers
 * the components use, so a bad value is reported as "file: key 'k' = 'v': reason" instead of surfacing later
 * as a bean or endpoint error that names neither the configuration file nor the key.
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    static void validate(Settings s) {
        intIn(s, "redotrail.redo.threads", 1, 64);
        intIn(s, "redotrail.redo.groups", 2, 64);
        intIn(s, "redotrail.redo.logSizeMb", 1, 4096);
        intIn(s, "redotrail.extract.megabytes", 1, 2000);
        intIn(s, "redotrail.pump.megabytes", 1, 2000);
        intIn(s, "redotrail.extract.checkpointSecs", 1, 86_400);
        intIn(s, "redotrail.extract.cacheSizeMb", 0, 1 << 20);
        intIn(s, "redotrail.replicat.groupTransOps", 1, 1_000_000);
        intIn(s, "redotrail.trail.spillRows", 0, Integer.MAX_VALUE);
        for (String k : new String[]{"redotrail.extract.brOff", "redotrail.extract.brReset", "redotrail.extract.brKeepStaleFiles",
                "redotrail.extract.simulatedClock", "redotrail.replicat.handleCollisions", "redotrail.replicat.batchSql"}) {
            check(s, k, v -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) throw new IllegalArgumentException("must be true or false");
            });
        }
        boolean simulated = Boolean.parseBoolean(s.get("redotrail.extract.simulatedClock", "false"))
                || "simulated".equalsIgnoreCase(s.get("redotrail.clock", "real"));
        check(s, "redotrail.extract.brInterval", v -> BoundedRecovery.parseInterval(v, simulated));
        check(s, "redotrail.extract.warnLongTrans", v -> new TransactionAggregator().setWarnLongTrans(v));
        check(s, "redotrail.extract.checkInterval", v -> new TransactionAggregator().setCheckInterval(v));
        check(s, "redotrail.pump.tables", TablePatterns::parse);
        check(s, "redotrail.replicat.onOlderTable", v -> new ReplicatApplier().setOnOlderTable(v));
        check(s, "redotrail.replicat.repError", v -> {
            if (!v.isBlank()) RepError.parse(v);
        });
        check(s, "redotrail.replicat.discardFileOptions", io.redotrail.replicat.error.DiscardFile.Options::parse);
        check(s, "redotrail.replicat.map", v -> {
            if (!v.isBlank()) MapParser.parse(v);
        });
        check(s, "redotrail.clock", v -> {
            String c = v.toLowerCase(Locale.ROOT);
            if (!c.equals("real") && !c.equals("simulated")) throw new IllegalArgumentException("must be real or simulated");
        });
    }

    private static void intIn(Settings s, String key, long min, long max) {
        check(s, key, v -> {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer");
            }
            if (n < min || n > max) throw new IllegalArgumentException("must be " + min + ".." + max);
        });
    }

    private static void check(Settings s, String key, Consumer<String> parse) {
        if (!s.has(key)) return;
        String v = s.get(key);
        try {
            parse.accept(v);
        } catch (RuntimeException e) {
            throw new Settings.ConfigException(s.file() + ": key '" + key + "' = '" + v + "': " + e.getMessage());
        }
    }
}
