package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the end-to-end tests share: settings for a temp home over the project's real configuration, playing
 * workloads, waiting on observable conditions, the pipeline's abends, the target and its checkpoint row, files.
 * Comparing databases: {@link ItDatabases}; the redo and trails read back: {@link ItReadBack}; separate JVMs:
 * {@link ItJvms}. Every helper works on real files and databases.
 */
public final class ItSupport {
    private ItSupport() {
    }

    /** Failsafe runs in the project directory and also passes it as a system property. */
    public static final Path PROJECT = Path.of(System.getProperty("redotrail.project.dir", ".")).toAbsolutePath().normalize();
    public static final Path CONFIG = PROJECT.resolve("config/application.properties");
    public static final String REPLICAT = "REP1";

    /** The program jar under test: {@code -Dredotrail.jar}, else target/redotrail.jar; fails the test if not built. */
    public static Path programJar() {
        Path jar = Path.of(System.getProperty("redotrail.jar", PROJECT.resolve("target/redotrail.jar").toString()));
        if (!Files.isRegularFile(jar)) fail(jar + " not built (run through mvn verify)");
        return jar;
    }

    /**
     * The class path of the program JVMs the tests start: the jar, target/lib/*, then {@code more}. One spelling
     * for all of them, because {@link ItClassData}'s archive is made with it and a JVM maps the archive only when
     * its class path begins with the same entries.
     */
    public static String programClassPath(String... more) {
        List<String> entries = new ArrayList<>(List.of(programJar().toString(), PROJECT.resolve("target/lib") + File.separator + "*"));
        entries.addAll(List.of(more));
        return String.join(File.pathSeparator, entries);
    }

    // ---------------------------------------------------------------- settings, workload, pipeline

    /** The project's configuration with {@code redotrail.home = home} and extra {@code key, value} overrides. */
    public static Settings settings(Path home, String... keyValues) {
        return settings(CONFIG, home, keyValues);
    }

    public static Settings settings(Path config, Path home, String... keyValues) {
        Map<String, String> o = new HashMap<>();
        o.put("redotrail.home", home.toAbsolutePath().toString());
        for (int i = 0; i < keyValues.length; i += 2) o.put(keyValues[i], keyValues[i + 1]);
        return Settings.load(config, o);
    }

    public static CliAccess.Played play(Settings s, int transactions, long seed) {
        return CliAccess.play(s, transactions, seed, System.out);
    }

    /**
     * What {@code demo} does, in this JVM: plays a workload, runs the real routes until the target has applied the
     * last selected commit, and stops them gracefully.
     */
    public static CliAccess.Played replicate(Settings s, int transactions, long seed, Duration timeout) {
        CliAccess.Played played = play(s, transactions, seed);
        Pipeline p = Pipeline.start(s);
        try (p) {
            awaitApplied(p, s, played.lastSelectedCsn(), timeout);
        }
        if (p.abended()) fail("abended while stopping: " + abendMessages(p));
        return played;
    }

    public static ReplicatApplier replicat(Pipeline p) {
        return p.bean("replicat", ReplicatApplier.class);
    }

    /** Polls {@code condition} every 50 ms; fails with {@code what} and {@code state} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out after " + timeout.toSeconds() + " s waiting for " + what
                    + "; state: " + state.get());
            sleep(50);
        }
    }

    /** Waits until the checkpoint-table row reaches {@code csn}, applied by a {@code run} in another JVM. */
    public static void awaitApplied(Settings s, long csn, Duration timeout) {
        await("LOG_CSN " + csn + " in " + s.get("redotrail.replicat.checkpointTable"), timeout, () -> logCsn(s) >= csn,
                () -> "LOG_CSN " + logCsn(s));
    }

    /** Waits until the replicat of {@code p} has its checkpoint-table row at {@code csn}, failing early on an abend. */
    public static void awaitApplied(Pipeline p, Settings s, long csn, Duration timeout) {
        await("LOG_CSN " + csn + " in " + s.get("redotrail.replicat.checkpointTable"), timeout, () -> {
            if (p.abended()) fail("pipeline abended while catching up: " + abendMessages(p));
            return logCsn(s) >= csn;
        }, () -> "LOG_CSN " + logCsn(s));
    }

    /** Waits for any group of {@code p} to abend and returns its message chain. */
    public static String awaitAbend(Pipeline p, Duration timeout) {
        await("an abend", timeout, p::abended, () -> "no abend");
        return abendMessages(p);
    }

    /** The abends of {@code p}'s groups (its own CamelContext), group: message chain. */
    public static String abendMessages(Pipeline p) {
        return p.abends().entrySet().stream().map(e -> e.getKey() + ": " + chain(e.getValue()))
                .collect(Collectors.joining(" | "));
    }

    /** Messages of a throwable and its causes, so an assertion can look for a detail at any depth. */
    public static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (sb.length() > 0) sb.append(" / caused by ");
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return sb.toString();
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- target database

    public static Connection target(Settings s) throws SQLException {
        return DriverManager.getConnection(s.get("redotrail.target.jdbcUrl"), s.get("redotrail.target.user", ""),
                s.get("redotrail.target.password", ""));
    }

    /** The replicat's row in the checkpoint table, read over a fresh JDBC connection; empty before its first apply. */
    public static Optional<CheckpointTable.Row> checkpointRow(Settings s) {
        try (Connection c = target(s)) {
            return new CheckpointTable(s.get("redotrail.replicat.checkpointTable"), s.get("redotrail.home"))
                    .read(c, s.get("redotrail.replicat.group"));
        } catch (SQLException e) {
            return Optional.empty(); // table not created yet
        }
    }

    public static long logCsn(Settings s) {
        return checkpointRow(s).map(r -> r.logCsn().value()).orElse(0L);
    }

    // ---------------------------------------------------------------- files

    public static void flipByte(Path file, long offset) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) ~b.get(0)).rewind();
            ch.write(b, offset);
            ch.force(true);
        }
    }

    /** Copies directory {@code from} and everything under it to {@code to} (a stopped home: homes are portable). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
    }

    /** Copies the project configuration to {@code target}, replacing (or adding) {@code key = value}. */
    public static Path configWith(Path target, String key, String value) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        for (String l : Files.readAllLines(CONFIG)) {
            if (l.trim().startsWith(key + " ") || l.trim().startsWith(key + "=")) {
                lines.add(key + " = " + value);
                replaced = true;
            } else {
                lines.add(l);
            }
        }
        if (!replaced) lines.add(key + " = " + value);
        Files.write(target, lines);
        return target;
    }

}
