package io.redotrail.runtime;

import io.redotrail.extract.BoundedRecovery;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.pump.TablePatterns;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.trail.TrailFormat;
import io.redotrail.replicat.error.DiscardFile;
import io.redotrail.replicat.error.RepError;
import io.redotrail.replicat.mapping.MapParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the {@code redotrail.*} keys the routes and commands use before anything starts, with the same parsers
 * the components use, so a bad value is reported as "config/application.properties:42: key 'k' = 'v': reason"
 * instead of surfacing later as a bean or endpoint error that names neither the place nor the key. An unknown
 * key (a typo would otherwise be ignored silently, leaving the default in force) is refused with the nearest
 * valid one.
 * <p>
 * {@link #RULES} is the one list of valid keys: every key the commands read is declared here (ConfigKeysTest
 * fails when code, routes or config/application.properties use one that is not), and a route may read keys of
 * its own through {@code {{redotrail.*}}} placeholders, which are valid too.
 */
public final class ConfigCheck {
    private static final Pattern ROUTE_PLACEHOLDER = Pattern.compile("\\{\\{\\s*(redotrail\\.[^}:\\s]+)");

    private interface Rule {
        void check(Settings s, String value);
    }

    private static final Rule ANY = (s, v) -> {
    };
    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        any("redotrail.home", "redotrail.source.name", "redotrail.extract.group", "redotrail.extract.trail",
                "redotrail.extract.brDir", "redotrail.pump.group", "redotrail.pump.trail", "redotrail.replicat.group",
                "redotrail.replicat.checkpointTable", "redotrail.target.jdbcUrl", "redotrail.target.user",
                "redotrail.target.password", "redotrail.workload.tables");
        intIn("redotrail.redo.threads", 1, 64);
        intIn("redotrail.redo.groups", 2, 64);
        intIn("redotrail.redo.logSizeMb", 1, 4096);
        intIn("redotrail.extract.megabytes", TrailFormat.MIN_MEGABYTES, TrailFormat.MAX_MEGABYTES);
        intIn("redotrail.pump.megabytes", TrailFormat.MIN_MEGABYTES, TrailFormat.MAX_MEGABYTES);
        intIn("redotrail.extract.checkpointSecs", 1, 86_400);
        // RMTHOST host, MGRPORT port, COMPRESS, TIMEOUT n of a pump (docs/parameters.md), TCPERRS entries
        any("redotrail.pump.rmtHost");
        intIn("redotrail.pump.mgrPort", 1, 65535);
        intIn("redotrail.pump.rmtTimeout", 1, 86_400);
        rule("redotrail.pump.tcpErrors", (s, v) -> io.redotrail.trail.remote.TcpErrors.parse(v));
        // COMPRESSALGORITHM, COMPRESSTHRESHOLD; TLS with its credential aliases (docs/security.md)
        rule("redotrail.pump.compressAlgorithm", (s, v) -> io.redotrail.net.compress.Compression.ofAlgorithm(v));
        intIn("redotrail.pump.compressThreshold", 0, io.redotrail.net.compress.CompressionOptions.MAX_THRESHOLD);
        any("redotrail.pump.tlsTrustAlias");
        any("redotrail.pump.tlsKeyAlias");
        intIn("redotrail.extract.cacheSizeMb", 0, 1 << 20);
        intIn("redotrail.extract.readAheadMb", 0, 4096);
        intIn("redotrail.extract.maxBatchRecords", 1, 1_000_000);
        // metrics and health (docs/observability.md): empty port = run serves none, a group process an ephemeral one
        rule("redotrail.http.port", (s, v) -> {
            if (!v.isBlank()) checkIntIn(v.strip(), 0, 65535);
        });
        any("redotrail.http.host");
        rule("redotrail.health.lagCriticalSeconds", (s, v) -> {
            if (!v.isBlank()) checkIntIn(v.strip(), 0, 10L * 365 * 86_400);
        });
        intIn("redotrail.replicat.groupTransOps", 1, 1_000_000);
        intIn("redotrail.replicat.applyParallelism", 1, 256);
        // MIN/MAX_APPLY_PARALLELISM: both or neither, MIN not above MAX (the range the appliers are tuned in)
        rule("redotrail.replicat.minApplyParallelism", (s, v) -> applyRange(s, v, "redotrail.replicat.maxApplyParallelism", true));
        rule("redotrail.replicat.maxApplyParallelism", (s, v) -> applyRange(s, v, "redotrail.replicat.minApplyParallelism", false));
        intIn("redotrail.replicat.applyTuneMillis", 100, 60_000);
        intIn("redotrail.replicat.mapParallelism", 1, 256);
        intIn("redotrail.replicat.splitTransRecs", 0, 256_000_000); // 0: not set
        rule("redotrail.replicat.commitSerialization", (s, v) -> new ReplicatApplier().setCommitSerialization(v));
        intIn("redotrail.trail.spillRows", 0, Integer.MAX_VALUE);
        intIn("redotrail.trail.readAheadMb", 0, 4096);
        // the example routes of routes/examples/ (docs/events.md), checked when a user sets them
        any("redotrail.jsonSink.group");
        intIn("redotrail.checkpointReport.period", 1, Long.MAX_VALUE);
        intIn("redotrail.workload.transactions", 0, Integer.MAX_VALUE);
        intIn("redotrail.bench.transactions", 0, Integer.MAX_VALUE);
        intIn("redotrail.workload.seed", Long.MIN_VALUE, Long.MAX_VALUE);
        intIn("redotrail.workload.minOps", 0, Integer.MAX_VALUE);
        intIn("redotrail.workload.maxOps", 0, Integer.MAX_VALUE);
        intIn("redotrail.workload.maxOpen", 1, Integer.MAX_VALUE);
        intIn("redotrail.workload.threads", 1, 64);
        intIn("redotrail.workload.longTxMillis", 0, Long.MAX_VALUE);
        intIn("redotrail.workload.longTxOtherCommits", 0, Integer.MAX_VALUE);
        for (String k : new String[]{"redotrail.workload.rollbackRatio", "redotrail.workload.rate",
                "redotrail.workload.longTxRatio", "redotrail.workload.lobRatio"}) {
            rule(k, (s, v) -> {
                try {
                    Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number");
                }
            });
        }
        for (String k : new String[]{"redotrail.extract.brOff", "redotrail.extract.brReset", "redotrail.extract.brKeepStaleFiles",
                "redotrail.extract.simulatedClock", "redotrail.extract.overlapForce", "redotrail.replicat.handleCollisions", "redotrail.replicat.batchSql", "redotrail.replicat.stageAhead",
                "redotrail.replicat.parallel",
                "redotrail.pump.decrypt", "redotrail.pump.compress", "redotrail.pump.tls"}) {
            rule(k, (s, v) -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) throw new IllegalArgumentException("must be true or false");
            });
        }
        rule("redotrail.extract.brInterval", (s, v) -> BoundedRecovery.parseInterval(v,
                Boolean.parseBoolean(s.get("redotrail.extract.simulatedClock", "false"))
                        || "simulated".equalsIgnoreCase(s.get("redotrail.clock", "real"))));
        rule("redotrail.extract.warnLongTrans", (s, v) -> new TransactionAggregator().setWarnLongTrans(v));
        rule("redotrail.extract.checkInterval", (s, v) -> new TransactionAggregator().setCheckInterval(v));
        // ENCRYPTTRAIL of a group's parameter file (EncryptionParams): an algorithm, or empty for a clear trail
        for (String k : new String[]{"redotrail.extract.encrypt", "redotrail.pump.encrypt"}) {
            rule(k, (s, v) -> {
                if (!v.isBlank()) io.redotrail.trail.crypto.TrailCipher.parse(v);
            });
        }
        any("redotrail.extract.keyName", "redotrail.pump.keyName");
        rule("redotrail.pump.tables", (s, v) -> TablePatterns.parse(v));
        rule("redotrail.replicat.onOlderTable", (s, v) -> new ReplicatApplier().setOnOlderTable(v));
        rule("redotrail.replicat.repError", (s, v) -> {
            if (!v.isBlank()) RepError.parse(v);
        });
        rule("redotrail.replicat.discardFileOptions", (s, v) -> DiscardFile.Options.parse(v));
        rule("redotrail.replicat.map", (s, v) -> {
            if (!v.isBlank()) MapParser.parse(v);
        });
        rule("redotrail.reportCount", (s, v) -> io.redotrail.report.ReportCount.validate(v));
        for (String k : new String[]{"redotrail.replicat.atCsn", "redotrail.replicat.afterCsn"}) {
            rule(k, (s, v) -> {
                if (v.isBlank()) return;
                try {
                    if (Long.parseLong(v.trim()) < 0) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a CSN (a decimal number >= 0) or empty (off)");
                }
                String other = k.endsWith("atCsn") ? "redotrail.replicat.afterCsn" : "redotrail.replicat.atCsn";
                if (!s.get(other, "").isBlank()) throw new IllegalArgumentException("and " + other + " are both set: one of them");
            });
        }
        rule("redotrail.clock", (s, v) -> {
            String c = v.toLowerCase(Locale.ROOT);
            if (!c.equals("real") && !c.equals("simulated")) throw new IllegalArgumentException("must be real or simulated");
        });
    }

    private ConfigCheck() {
    }

    /** The keys the commands read (routes may add their own through placeholders). */
    static Set<String> keys() {
        return RULES.keySet();
    }

    public static void validate(Settings s) {
        Set<String> valid = new TreeSet<>(RULES.keySet());
        valid.addAll(routeKeys(s));
        for (String key : s.keys()) {
            if (key.startsWith("redotrail.") && !valid.contains(key)) {
                throw new Settings.ConfigException(s.where(key) + ": unknown key '" + key + "' (nearest valid key: '"
                        + nearest(key, valid) + "')");
            }
            checkCamelMain(s, key);
        }
        RULES.forEach((key, rule) -> {
            if (!s.has(key)) return;
            String v = s.get(key);
            try {
                rule.check(s, v);
            } catch (Settings.ConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                throw s.invalid(key, e.getMessage());
            }
        });
    }

    /**
     * A {@code camel.main.*} key Camel Main does not know: Camel refuses it too, but only as the routes start (after
     * {@code demo}'s workload, say); here it is refused with the others, naming where it was set and the nearest
     * option of Camel's {@code MainConfigurationProperties} (its generated configurer lists them).
     */
    private static void checkCamelMain(Settings s, String key) {
        String prefix = "camel.main.";
        if (!key.startsWith(prefix) || key.indexOf('.', prefix.length()) >= 0) return;
        String name = org.apache.camel.util.StringHelper.dashToCamelCase(key.substring(prefix.length()));
        Set<String> options = CAMEL_MAIN_OPTIONS;
        if (options.stream().anyMatch(o -> o.equalsIgnoreCase(name))) return;
        throw new Settings.ConfigException(s.where(key) + ": unknown key '" + key + "' (nearest valid key: '" + prefix
                + nearest(name, options) + "')");
    }

    // the configurer names them as its setters do (ShutdownTimeout); the key spells them shutdownTimeout
    private static final Set<String> CAMEL_MAIN_OPTIONS = new TreeSet<>(
            new org.apache.camel.main.MainConfigurationPropertiesConfigurer().getAllOptions(null).keySet().stream()
                    .map(o -> Character.toLowerCase(o.charAt(0)) + o.substring(1)).toList());

    /** The {@code {{redotrail.*}}} placeholders of the route files the configuration loads. */
    static Set<String> routeKeys(Settings s) {
        Set<String> keys = new TreeSet<>();
        for (Path f : RoutesPattern.files(s)) {
            try {
                Matcher m = ROUTE_PLACEHOLDER.matcher(Files.readString(f));
                while (m.find()) keys.add(m.group(1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read route file " + f.toAbsolutePath(), e);
            }
        }
        return keys;
    }

    /** The valid key closest to {@code key} by edit distance, ignoring case. */
    static String nearest(String key, Set<String> valid) {
        String k = key.toLowerCase(Locale.ROOT);
        return valid.stream().min(Comparator.comparingInt((String v) -> distance(k, v.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder())).orElse("");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static void any(String... keys) {
        for (String k : keys) rule(k, ANY);
    }

    private static void rule(String key, Rule rule) {
        if (RULES.put(key, rule) != null) throw new IllegalStateException("key declared twice: " + key);
    }

    /** {@code v}, one end of MIN/MAX_APPLY_PARALLELISM, with the other end's key {@code other}: a range, or neither. */
    private static void applyRange(Settings s, String v, String other, boolean isMin) {
        checkIntIn(v.strip(), 0, 256);
        int o;
        try {
            o = Integer.parseInt(s.get(other, "0").strip());
        } catch (NumberFormatException e) {
            return; // reported by the other key's own rule
        }
        int n = Integer.parseInt(v.strip());
        if (n == 0) return; // unset: a range set at one end only is reported at that end
        ReplicatApplier r = new ReplicatApplier();
        r.setMinApplyParallelism(Math.max(0, isMin ? n : o));
        r.setMaxApplyParallelism(Math.max(0, isMin ? o : n));
        r.isApplyParallelismTuned();
    }

    private static void intIn(String key, long min, long max) {
        rule(key, (s, v) -> checkIntIn(v, min, max));
    }

    private static void checkIntIn(String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer");
        }
        if (n < min || n > max) throw new IllegalArgumentException("must be " + min + ".." + max);
    }
}
