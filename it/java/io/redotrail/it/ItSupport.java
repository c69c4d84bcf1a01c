package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.verify.TableComparer;
import io.redotrail.verify.VerifyReport;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Everything the end-to-end tests share: settings for a temp home over the project's real configuration, playing
 * workloads, reading the redo and the trails back independently of the pipeline, the checkpoint table, the
 * source/target comparison, and the separate {@code run} JVM. Every helper works on real files and databases.
 */
public final class ItSupport {
    /** Failsafe runs in the project directory and also passes it as a system property. */
    public static final Path PROJECT = Path.of(System.getProperty("redotrail.project.dir", ".")).toAbsolutePath().normalize();
    public static final Path CONFIG = PROJECT.resolve("config/application.properties");
    public static final String REPLICAT = "REP1";

    private ItSupport() {
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
            return new CheckpointTable(s.get("redotrail.replicat.checkpointTable")).read(c, s.get("redotrail.replicat.group"));
        } catch (SQLException e) {
            return Optional.empty(); // table not created yet
        }
    }

    public static long logCsn(Settings s) {
        return checkpointRow(s).map(r -> r.logCsn().value()).orElse(0L);
    }

    /** Source vs target over the tables the pump selects; asserts equal, with both sides printed on failure. */
    public static VerifyReport assertIdentical(Settings s) {
        VerifyReport r;
        try {
            r = CliAccess.compare(s);
        } catch (SQLException e) {
            throw new AssertionError("cannot compare source and target: " + e.getMessage(), e);
        }
        return assertAllEqual(r, io.redotrail.sim.SourceSchema.demo().tables().size(), "source and target");
    }

    /**
     * {@code tables} compared by {@code comparer}, between any two databases (H2 upper-case and PostgreSQL
     * lower-case names are matched); asserts every table has rows and is equal, {@code what} naming the pair.
     */
    public static VerifyReport assertTablesEqual(TableComparer comparer, List<String> tables, String what) {
        VerifyReport r;
        try {
            r = comparer.compare(tables);
        } catch (SQLException e) {
            throw new AssertionError("cannot compare " + what + ": " + e.getMessage(), e);
        }
        return assertAllEqual(r, tables.size(), what);
    }

    /** Every one of {@code n} tables compared, non-empty and equal; the report is printed, and repeated on failure. */
    private static VerifyReport assertAllEqual(VerifyReport r, int n, String what) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        r.print(new PrintStream(b, true, StandardCharsets.UTF_8));
        String text = b.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(n, r.tables().size(), what + ": expected " + n + " tables to be compared:\n" + text);
        for (VerifyReport.TableResult t : r.tables()) {
            assertTrue(t.sourceCount() > 0, what + ": " + t.table() + " has no rows: the comparison would prove nothing\n" + text);
            assertEquals(t.sourceCount(), t.targetCount(), what + ": " + t.table() + " row counts differ\n" + text);
            assertTrue(t.equal(), what + ": " + t.table() + " differs: " + t.firstDifference() + "\n" + text);
        }
        assertTrue(r.allEqual(), what + " differ:\n" + text);
        return r;
    }

    // ---------------------------------------------------------------- PostgreSQL

    public static final String PG_BASE = System.getProperty("redotrail.test.pgBase", "jdbc:postgresql://127.0.0.1:5432/");

    /**
     * A fresh PostgreSQL database of the test's own on the local server (user postgres, trust auth), created and
     * dropped through the admin database {@code postgres}. An unreachable server fails the test, never skips it:
     * .ci/run guarantees the server.
     */
    public record PgDatabase(String name, String url) implements AutoCloseable {
        public static PgDatabase create(String prefix) {
            String name = prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            admin("CREATE DATABASE " + name);
            return new PgDatabase(name, PG_BASE + name);
        }

        /** FORCE: a connection a failed test left open must not keep the database alive. */
        @Override
        public void close() {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }

        private static void admin(String sql) {
            try (Connection c = DriverManager.getConnection(PG_BASE + "postgres", "postgres", "");
                 java.sql.Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new AssertionError("PostgreSQL at " + PG_BASE + " (user postgres): " + sql + " failed: "
                        + e.getMessage() + " (.ci/run starts the server)", e);
            }
        }
    }

    // ---------------------------------------------------------------- redo, read back independently

    /** One committed transaction in the redo: XID, commit SCN and where its COMMIT record is. */
    public record Commit(Xid xid, long csn, String file, long sequence, long rba) {
    }

    /**
     * The redo from the earliest log: commits in redo order, rolled-back XIDs, tables per committed XID, and how
     * many transactions began while another was still open (interleaving).
     */
    public record RedoScan(List<Commit> commits, Set<Xid> rolledBack, Map<Xid, Set<String>> tables, int interleaved) {
        public Set<Xid> committedXids() {
            return commits.stream().map(Commit::xid).collect(Collectors.toSet());
        }

        public long lastCsn() {
            return commits.isEmpty() ? 0 : commits.get(commits.size() - 1).csn();
        }
    }

    public static RedoScan readRedo(Path home) {
        List<Commit> commits = new ArrayList<>();
        Set<Xid> rolledBack = new HashSet<>();
        Map<Xid, Set<String>> tables = new LinkedHashMap<>();
        Set<Xid> open = new HashSet<>();
        int interleaved = 0;
        try (RedoLogReader r = new RedoLogReader(home.resolve("redo"), home.resolve("arch"), 1, null)) {
            for (List<RedoRecord> batch = r.poll(10_000); !batch.isEmpty(); batch = r.poll(10_000)) {
                for (RedoRecord rec : batch) {
                    if (rec.op().isRowChange()) {
                        if (open.add(rec.xid()) && open.size() > 1) interleaved++;
                        tables.computeIfAbsent(rec.xid(), x -> new HashSet<>()).add(rec.change().table());
                    } else if (rec.op() == RedoOp.COMMIT) {
                        open.remove(rec.xid());
                        commits.add(new Commit(rec.xid(), rec.scn().value(), rec.redoFile(),
                                rec.position().sequence(), rec.position().rba()));
                    } else if (rec.op() == RedoOp.ROLLBACK) {
                        open.remove(rec.xid());
                        tables.remove(rec.xid());
                        rolledBack.add(rec.xid());
                    }
                }
            }
        }
        return new RedoScan(commits, rolledBack, tables, interleaved);
    }

    // ---------------------------------------------------------------- trails, read back independently

    /** Every complete transaction of trail {@code dirdat/<prefix>*}, following all its files, in trail order. */
    public static List<Transaction> readTrail(Path home, String prefix) {
        return readTrail(home.resolve("dirdat").resolve(prefix), TrailPosition.START);
    }

    /** Every complete transaction of {@code trail} ({@code dirdat/ex}) from {@code from} to its end, in trail order. */
    public static List<Transaction> readTrail(Path trail, TrailPosition from) {
        List<Transaction> all = new ArrayList<>();
        try (TrailReader r = new TrailReader(trail, from)) {
            for (int empty = 0; empty < 2; ) {
                List<Transaction> batch = r.poll(100_000);
                if (batch.isEmpty()) empty++;
                all.addAll(batch);
            }
        }
        return all;
    }

    public static long[] trailSeqnos(Path home, String prefix) {
        return TrailFormat.seqnos(home.resolve("dirdat").resolve(prefix));
    }

    public static Path trailFile(Path home, String prefix, long seqno) {
        return TrailFormat.fileOf(home.resolve("dirdat").resolve(prefix), seqno);
    }

    /** Commit SCNs strictly increase through the whole trail (all its files). */
    public static void assertCsnOrder(List<Transaction> trail, String name) {
        assertTrue(trail.size() > 1, name + ": fewer than 2 transactions, order not testable");
        for (int i = 1; i < trail.size(); i++) {
            Transaction a = trail.get(i - 1), b = trail.get(i);
            assertTrue(b.csn().compareTo(a.csn()) > 0, name + ": CSN " + b.csn() + " (XID " + b.xid() + " at "
                    + b.trailStart() + ") follows CSN " + a.csn() + " (XID " + a.xid() + " at " + a.trailStart() + ")");
        }
    }

    /**
     * The trail holds every committed transaction of the redo exactly once, with its commit SCN, and no
     * rolled-back one.
     */
    public static void assertExactlyCommitted(List<Transaction> trail, RedoScan redo, String name) {
        assertTrue(!redo.rolledBack().isEmpty(), "the workload rolled nothing back: the check would prove nothing");
        Map<Xid, Long> count = new HashMap<>();
        for (Transaction t : trail) count.merge(t.xid(), 1L, Long::sum);
        List<String> dup = count.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).limit(10).toList();
        assertTrue(dup.isEmpty(), name + ": transactions written more than once: " + dup);
        Set<Xid> rolledBackInTrail = new HashSet<>(count.keySet());
        rolledBackInTrail.retainAll(redo.rolledBack());
        assertTrue(rolledBackInTrail.isEmpty(), name + ": rolled-back XIDs reached the trail: " + rolledBackInTrail);
        Set<Xid> missing = new HashSet<>(redo.committedXids());
        missing.removeAll(count.keySet());
        Set<Xid> extra = new HashSet<>(count.keySet());
        extra.removeAll(redo.committedXids());
        assertTrue(missing.isEmpty() && extra.isEmpty(), name + ": trail XIDs differ from the redo's committed XIDs: "
                + missing.size() + " missing (e.g. " + missing.stream().limit(5).toList() + "), " + extra.size()
                + " not committed in the redo (e.g. " + extra.stream().limit(5).toList() + ")");
        Map<Xid, Long> csnOf = redo.commits().stream().collect(Collectors.toMap(Commit::xid, Commit::csn));
        for (Transaction t : trail) {
            assertEquals(csnOf.get(t.xid()), t.csn().value(), name + ": XID " + t.xid() + " has the wrong CSN");
        }
        assertEquals(redo.commits().size(), trail.size(), name + ": transaction count");
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

    // ---------------------------------------------------------------- command line

    /** Exit code and everything printed by {@code Main.execute(argv)} in this JVM. */
    public record Cli(int exitCode, String output) {
    }

    public static synchronized Cli execute(String... argv) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream cap = new PrintStream(b, true, StandardCharsets.UTF_8);
        System.setOut(cap);
        System.setErr(cap);
        int rc;
        try {
            rc = io.redotrail.cli.Main.execute(argv);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = b.toString(StandardCharsets.UTF_8);
        out.print(text);
        return new Cli(rc, text);
    }

    /** Waits until {@code marker} occurs at least {@code n} times in {@code log}; false on timeout. */
    public static boolean awaitLogCount(Path log, String marker, int n, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                int count = 0;
                for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) count++;
                if (count >= n) return true;
            }
            sleep(50);
        }
        return false;
    }

    /**
     * {@code run} in its own JVM until the target applied {@code csn}, then SIGTERM: it must stop with exit code 0
     * and without an abend in {@code log}.
     */
    public static void runUntilApplied(Path home, Settings s, Path log, long csn, String... systemProperties) throws Exception {
        Process p = startRunJvm(home, log, systemProperties);
        try {
            awaitApplied(s, csn, Duration.ofSeconds(120));
        } finally {
            p.destroy();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "no stop on SIGTERM; see " + log);
        }
        assertEquals(0, p.exitValue(), "exit code after SIGTERM; see " + log);
        assertTrue(!Files.readString(log).contains("ABENDING"), "the run abended; see " + log);
    }

    /**
     * {@code kill -9 pid} of a process another JVM started (a group process of the Manager). Never with a pid <= 0:
     * {@code kill -9 -1} would end every process of the user (GroupStatus's pid is -1 while a group starts).
     */
    public static void killMinus9(long pid) {
        assertTrue(pid > 0, "no process to kill -9: pid " + pid);
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid + " to kill -9"));
        assertTrue(p.destroyForcibly(), "kill -9 " + pid);
    }

    /**
     * Copies a temp home's logs (ggserr.log, dirrpt/: reports, process output, discard files; dirchk/*.pid) to
     * target/it-logs/{@code name}-home/ so a failed test can be read after JUnit deleted the home.
     */
    public static Path keepLogs(Path home, String name) throws IOException {
        Path to = PROJECT.resolve("target/it-logs/" + name + "-home");
        if (Files.exists(to)) {
            try (var old = Files.walk(to)) {
                for (Path f : old.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        Files.createDirectories(to);
        for (String dir : List.of("", "dirrpt", "dirchk")) {
            Path from = home.resolve(dir);
            if (!Files.isDirectory(from)) continue;
            try (var files = Files.list(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String n = f.getFileName().toString();
                    if (dir.isEmpty() ? n.equals("ggserr.log") : dir.equals("dirrpt") || n.endsWith(".pid")) {
                        Files.createDirectories(to.resolve(dir));
                        Files.copy(f, to.resolve(dir).resolve(n));
                    }
                }
            }
        }
        return to;
    }

    /** {@code java -cp target/redotrail.jar:target/lib/* io.redotrail.cli.Main run --home home} as its own JVM. */
    public static Process startRunJvm(Path home, Path log, String... systemProperties) throws IOException {
        return startRunJvm(home, log, List.of("-Xmx384m"), systemProperties);
    }

    /** {@code redotrail run} in its own JVM with the given JVM options (heap, GC flags). */
    public static Process startRunJvm(Path home, Path log, List<String> jvmOptions, String... systemProperties)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        return mainJvm(jvmOptions, systemProperties, "run", "--home", home.toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** {@code redotrail <args>} as its own JVM (e.g. {@code process --home H EXT1}), its output appended to {@code log}. */
    public static Process startJvm(Path log, String... args) throws IOException {
        return mainJvm(List.of("-Xmx256m"), new String[0], args).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * {@code redotrail <args>} in its own JVM (e.g. {@code ggsci "alter extract EXT1, etrollover" --home H}), run
     * to completion within {@code timeout}: exit code and everything it printed.
     */
    public static Cli cliJvm(Duration timeout, List<String> systemProperties, String... args) throws Exception {
        Process p = mainJvm(List.of("-Xmx256m"), systemProperties.toArray(String[]::new), args).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail("redotrail " + String.join(" ", args) + " did not finish within " + timeout.toSeconds() + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("$ redotrail " + String.join(" ", args) + "  (exit " + p.exitValue() + ")\n" + text);
        return new Cli(p.exitValue(), text);
    }

    /** The builder of {@code java <options> -D<props> -cp redotrail.jar:lib/* io.redotrail.cli.Main <args>} (the two-host tests wrap it in {@code ip netns exec}). */
    public static ProcessBuilder mainJvm(List<String> jvmOptions, String[] systemProperties, String... args) {
        String jar = System.getProperty("redotrail.jar", PROJECT.resolve("target/redotrail.jar").toString());
        assertTrue(Files.isRegularFile(Path.of(jar)), jar + " not built (run through mvn verify)");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        for (String p : systemProperties) cmd.add("-D" + p);
        cmd.addAll(List.of("-cp", jar + File.pathSeparator + PROJECT.resolve("target/lib") + File.separator + "*",
                "io.redotrail.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true);
    }
}
