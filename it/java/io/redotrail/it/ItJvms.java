package io.redotrail.it;

import io.redotrail.runtime.Settings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.awaitApplied;
import static io.redotrail.it.ItSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The command line in this JVM ({@link #execute}) and in JVMs of their own: {@code run}, {@code process},
 * {@code ggsci} and any {@code redotrail} command from the packaged jar; kill -9 of a process another JVM started;
 * a temp home's logs kept for a failed test.
 */
public final class ItJvms {
    private ItJvms() {
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

    /** What the Replicat logs once it holds its target connection (TargetSession). */
    private static final String CONNECTED = ": connected to ";

    private static int count(Path log, String marker) throws IOException {
        if (!Files.exists(log)) return 0;
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) count++;
        return count;
    }

    /** Waits until {@code marker} occurs at least {@code n} times in {@code log}; false on timeout. */
    public static boolean awaitLogCount(Path log, String marker, int n, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (count(log, marker) >= n) return true;
            sleep(50);
        }
        return false;
    }

    /**
     * {@code run} in its own JVM until the target applied {@code csn}, then SIGTERM: it must stop with exit code 0
     * and without an abend in {@code log}.
     */
    public static void runUntilApplied(Path home, Settings s, Path log, long csn, String... systemProperties) throws Exception {
        int connectedBefore = count(log, CONNECTED);
        Process p = startRunJvm(home, log, systemProperties);
        try {
            // the target is read only once the run holds it (then through its AUTO_SERVER): polled from here while
            // the run starts, every poll opened the H2 file itself and kept its lock file "recently modified", and
            // the run's Replicat, slow to start under load, gave up opening it (StartupRefusalIT, PortableHomeIT)
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (count(log, CONNECTED) <= connectedBefore) {
                if (!p.isAlive() || System.nanoTime() > end) {
                    throw new AssertionError("the run's Replicat did not connect to the target\n" + diagnose(p, log));
                }
                sleep(50);
            }
            awaitApplied(s, csn, Duration.ofSeconds(120));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnose(p, log), e);
        } finally {
            p.destroy();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "no stop on SIGTERM; see " + log);
        }
        assertEquals(0, p.exitValue(), "exit code after SIGTERM; see " + log);
        assertTrue(!Files.readString(log).contains("ABENDING"), "the run abended; see " + log);
    }

    /**
     * What a JVM that did not get there was doing: its threads ({@code jcmd <pid> Thread.print}) and the end of its
     * log, for a failure message (the log is in a temporary home that is gone once the test ends).
     */
    public static String diagnose(Process p, Path log) {
        StringBuilder out = new StringBuilder();
        try {
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                out.append("--- last lines of ").append(log).append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()))).append('\n');
            }
            if (p.isAlive()) {
                Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
                Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
                        .redirectErrorStream(true).start();
                byte[] threads = dump.getInputStream().readAllBytes();
                dump.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                out.append("--- threads of pid ").append(p.pid()).append(":\n").append(new String(threads, StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            out.append("(diagnosis failed: ").append(e).append(')');
        }
        System.out.println(out);
        return out.toString();
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

    /** A test body that may throw anything. */
    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}; when it fails, {@link #keepLogs} first, the place named in the failure. */
    public static void keepingLogs(Path home, String name, Body body) throws Throwable {
        try {
            body.run();
        } catch (Throwable t) { // the temp home goes with the test: keep what explains the failure
            t.addSuppressed(new AssertionError("home's logs kept in " + keepLogs(home, name)));
            throw t;
        }
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

    /** {@code redotrail ggsci --home home command} in its own JVM, as an operator types it. */
    public static Cli ggsci(Path home, Duration timeout, String command) throws Exception {
        return cliJvm(timeout, List.of(), "ggsci", "--home", home.toString(), command);
    }

    /** {@link #ggsci}, which must succeed (exit 0, else the command and its output fail the test); its output. */
    public static String ggsciOk(Path home, Duration timeout, String command) throws Exception {
        Cli c = ggsci(home, timeout, command);
        assertEquals(0, c.exitCode(), command + ":\n" + c.output());
        return c.output();
    }

    /**
     * JVM options of every program JVM a test starts, before the test's own (a Manager hands them on to its groups
     * and collectors): {@code -XX:TieredStopAtLevel=1}, C1 only, and the class-data archive of {@link ItClassData}.
     * These JVMs live seconds to a minute on small workloads, where the C2 compiler's threads cost more CPU than its
     * code saves (GGSCI: about 40 % less CPU) and loading the same classes again is much of the rest; on CI's 2 cores
     * that CPU is what every other JVM waits for. {@code -Dredotrail.it.childJvmOptions=...} replaces them (blank:
     * none), e.g. to measure.
     */
    public static List<String> childJvmOptions() {
        return childJvmOptions(ItClassData::options);
    }

    /** {@link #childJvmOptions()} with the class-data archive options {@code classData} gives. */
    public static List<String> childJvmOptions(java.util.function.Supplier<List<String>> classData) {
        String o = System.getProperty("redotrail.it.childJvmOptions");
        if (o == null) {
            List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
            options.addAll(classData.get());
            return options;
        }
        return o.isBlank() ? List.of() : List.of(o.strip().split("\\s+"));
    }

    public static ProcessBuilder mainJvm(List<String> jvmOptions, String[] systemProperties, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(childJvmOptions());
        cmd.addAll(jvmOptions);
        for (String p : systemProperties) cmd.add("-D" + p);
        cmd.addAll(List.of("-cp", ItSupport.programClassPath(), "io.redotrail.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true);
    }
}
