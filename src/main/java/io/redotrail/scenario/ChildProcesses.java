package io.redotrail.scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline processes a scenario starts: each a separate JVM
 * {@code java -cp target/redotrail.jar:target/lib/* io.redotrail.cli.Main run --home H --config C} running from
 * the project directory, so {@code kill} is a real SIGKILL ({@link Process#destroyForcibly()}) and {@code stop}
 * a SIGTERM (Camel Main stops the routes gracefully). {@code extract}, {@code pump} and {@code replicat} run only
 * their own route ({@code camel.main.routes-include-pattern} in a per-process copy of the configuration);
 * {@code pipeline} runs all three. Output goes to {@code <home>/dirrpt/scenario-<name>-<n>.out}. Not thread-safe.
 */
public final class ChildProcesses implements AutoCloseable {
    private static final Map<String, Set<String>> ROUTES = Map.of(
            "extract", Set.of("extract"), "pump", Set.of("pump"), "replicat", Set.of("replicat"),
            "pipeline", Set.of("extract", "pump", "replicat"));

    private final Path projectDir;
    private final Path configFile;
    private final Path home;
    private final Map<String, String> overrides;
    private final PrintStream out;
    /** Options of every child JVM after the default heap (e.g. the JIT flags of the end-to-end tests). */
    private final List<String> jvmOptions;
    private final Map<String, Child> running = new LinkedHashMap<>();
    /** Processes that ended on their own (not stopped or killed by the script) and are not yet accounted for. */
    private final List<Child> exited = new ArrayList<>();
    private int started;

    static final class Child {
        final String name;
        final Process process;
        final Path output;

        Child(String name, Process process, Path output) {
            this.name = name;
            this.process = process;
            this.output = output;
        }

        String output() {
            try {
                return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "(cannot read " + output + ": " + e.getMessage() + ")";
            }
        }

        String tail(int lines) {
            String[] all = output().split("\n");
            StringBuilder sb = new StringBuilder();
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) sb.append("      | ").append(all[i]).append('\n');
            return sb.toString();
        }
    }

    public ChildProcesses(Path projectDir, Path configFile, Path home, Map<String, String> overrides, PrintStream out) {
        this(projectDir, configFile, home, overrides, out, List.of());
    }

    /** {@code jvmOptions}: added to every child JVM's command line after {@code -Xmx1g} (an -Xmx there wins). */
    public ChildProcesses(Path projectDir, Path configFile, Path home, Map<String, String> overrides, PrintStream out,
                          List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.projectDir = projectDir;
        this.configFile = configFile;
        this.home = home;
        this.overrides = overrides;
        this.out = out;
    }

    public void act(String name, String action) {
        switch (action) {
            case "start" -> start(name);
            case "stop" -> stop(name);
            case "kill" -> kill(name);
            case "restart" -> {
                stop(name);
                start(name);
            }
            default -> throw new IllegalArgumentException("unknown action " + action);
        }
    }

    public void start(String name) {
        collect();
        if (running.containsKey(name)) throw new IllegalArgumentException(name + " is already running (pid " + running.get(name).process.pid() + ")");
        for (Child c : running.values()) {
            Set<String> both = new java.util.HashSet<>(ROUTES.get(c.name));
            both.retainAll(ROUTES.get(name));
            if (!both.isEmpty()) throw new IllegalArgumentException(name + " would run " + both + " a second time: " + c.name + " is running");
        }
        Path log = home.resolve("dirrpt").resolve("scenario-" + name + "-" + (++started) + ".out");
        try {
            Path cfg = configCopy(name, name.equals("pipeline") ? null
                    : "file:" + projectDir.resolve("routes").resolve(name + ".yaml"));
            List<String> cmd = command("run", "--home", home.toString(), "--config", cfg.toString());
            Process p = new ProcessBuilder(cmd).directory(projectDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            running.put(name, new Child(name, p, log));
            out.printf("      %s started: pid %d, output %s%n", name, p.pid(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public void stop(String name) {
        Child c = require(name);
        c.process.destroy();
        try {
            if (!c.process.waitFor(60, TimeUnit.SECONDS)) {
                c.process.destroyForcibly().waitFor();
                running.remove(name);
                throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM; killed\n" + c.tail(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        running.remove(name);
        out.printf("      %s stopped (SIGTERM), exit code %d%n", name, c.process.exitValue());
    }

    public void kill(String name) {
        Child c = require(name);
        c.process.destroyForcibly();
        try {
            c.process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        running.remove(name);
        out.printf("      %s killed (SIGKILL), exit code %d%n", name, c.process.exitValue());
    }

    private Child require(String name) {
        collect();
        Child c = running.get(name);
        if (c == null) {
            for (Child e : exited) {
                if (e.name.equals(name)) {
                    throw new IllegalArgumentException(name + " is not running: it exited with code " + e.process.exitValue() + "\n" + e.tail(20));
                }
            }
            throw new IllegalArgumentException(name + " is not running");
        }
        return c;
    }

    /** Moves processes that exited on their own to {@link #exited}. */
    private void collect() {
        running.values().removeIf(c -> {
            if (c.process.isAlive()) return false;
            exited.add(c);
            return true;
        });
    }

    /** Fails when a process ended on its own that no {@code expect abend} accounted for. */
    public void checkNoneDied() {
        collect();
        if (exited.isEmpty()) return;
        Child c = exited.get(0);
        throw new IllegalStateException(c.name + " (pid " + c.process.pid() + ") exited unexpectedly with code "
                + c.process.exitValue() + "; last lines of " + c.output + ":\n" + c.tail(25));
    }

    /**
     * Waits until a process exits non-zero with {@code text} in its output; it is then accounted for.
     * Returns the process's name, or throws when none did within {@code millis}.
     */
    public String expectAbend(String text, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            collect();
            for (Child c : exited) {
                if (c.process.exitValue() != 0 && c.output().contains(text)) {
                    exited.remove(c);
                    out.printf("      %s abended (exit code %d):%n%s", c.name, c.process.exitValue(), grep(c.output(), text));
                    return c.name;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                StringBuilder sb = new StringBuilder("no process abended with \"" + text + "\" within " + millis / 1000.0 + " s");
                for (Child c : running.values()) sb.append("\n    ").append(c.name).append(" still running; last lines:\n").append(c.tail(10));
                for (Child c : exited) sb.append("\n    ").append(c.name).append(" exited with ").append(c.process.exitValue()).append(":\n").append(c.tail(10));
                throw new IllegalStateException(sb.toString());
            }
            Thread.sleep(100);
        }
    }

    private static String grep(String output, String text) {
        StringBuilder sb = new StringBuilder();
        for (String l : output.split("\n")) if (l.contains(text)) sb.append("      | ").append(l).append('\n');
        return sb.toString();
    }

    Set<String> running() {
        collect();
        return running.keySet();
    }

    private Path jar() {
        String j = System.getProperty("redotrail.jar");
        return j != null ? Path.of(j) : projectDir.resolve("target").resolve("redotrail.jar");
    }

    /**
     * The user's configuration with the script's {@code set} overrides appended (and, for one stage, only its
     * route), as {@code <home>/dirrpt/scenario-<name>.properties}: what every process the runner starts reads.
     */
    Path configCopy(String name, String routesPattern) throws IOException {
        Path dirrpt = Files.createDirectories(home.resolve("dirrpt"));
        Path cfg = dirrpt.resolve("scenario-" + name + ".properties");
        StringBuilder sb = new StringBuilder(Files.readString(configFile, StandardCharsets.UTF_8));
        sb.append("\n\n# ---- scenario runner overrides for process '").append(name).append("'\n");
        overrides.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        if (routesPattern != null) sb.append("camel.main.routes-include-pattern = ").append(routesPattern).append('\n');
        Files.writeString(cfg, sb.toString(), StandardCharsets.UTF_8);
        return cfg;
    }

    /** {@code java -cp <jar>:<lib>/* io.redotrail.cli.Main <args>} with the built jar. */
    List<String> command(String... mainArgs) {
        Path jar = jar();
        Path lib = jar.getParent().resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException(jar + " or " + lib + " missing: build with mvn -DskipTests package");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", jar + java.io.File.pathSeparator + lib + java.io.File.separator + "*", "io.redotrail.cli.Main"));
        cmd.addAll(List.of(mainArgs));
        return cmd;
    }

    /** Stops every running process: gracefully when {@code graceful}, else SIGKILL. */
    void shutdown(boolean graceful) {
        collect();
        for (String name : List.copyOf(running.keySet())) {
            try {
                if (graceful) stop(name);
                else kill(name);
            } catch (RuntimeException e) {
                out.println("      " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        shutdown(false);
    }
}
