package io.redotrail.it.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two hosts on one machine: two network namespaces joined by a veth pair, the source host at
 * {@link #SOURCE_ADDRESS} and the target host at {@link #TARGET_ADDRESS} (seed 000's {@code rmthost}), each with its
 * own loopback up, neither reachable from the root namespace (no interface there). Commands and JVMs run inside one
 * of them through {@code ip netns exec NS}, which execs the command itself, so {@link Process#pid()} is the
 * command's pid (a kill -9 hits it). Names are unique per run ({@code rtnet-<pid>-<n>-src|tgt}); {@link #create}
 * first deletes the namespaces of earlier runs whose JVM is gone (a killed run leaves them behind); {@link #close}
 * ends the processes this object started, then deletes both namespaces (with them the veth pair).
 *
 * <p>Needs root and iproute2: without them it fails loudly (CI runs as root; {@code .ci/run} installs iproute2),
 * it never skips. Thread-safety: {@link #start} and {@link #run} may be called from any thread.
 */
public final class Netns implements AutoCloseable {
    public static final String SOURCE_ADDRESS = "10.230.51.142";
    public static final String TARGET_ADDRESS = "10.230.51.143";
    private static final String PREFIX = "rtnet-";
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-\\d+-(src|tgt)\\b.*");
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** Namespace names. */
    public final String source;
    public final String target;
    private final List<Process> started = new CopyOnWriteArrayList<>();

    private Netns(String source, String target) {
        this.source = source;
        this.target = target;
    }

    /** The output and exit code of a command run to completion. */
    public record Result(int exitCode, String output) {
        Result orFail(List<String> command) {
            if (exitCode != 0) throw new IllegalStateException("`" + String.join(" ", command) + "` failed (exit " + exitCode + "): " + output);
            return this;
        }
    }

    /** Creates both namespaces and the veth pair between them, addresses up. */
    public static Netns create() throws IOException, InterruptedException {
        String user = System.getProperty("user.name");
        Result id = host(Duration.ofSeconds(10), List.of("id", "-u"));
        if (!id.output().strip().equals("0")) {
            throw new IllegalStateException("network namespaces need root (CI runs as root); this JVM runs as " + user + " (uid " + id.output().strip() + ")");
        }
        removeLeftovers();
        String base = PREFIX + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        Netns n = new Netns(base + "-src", base + "-tgt");
        try {
            ip("netns", "add", n.source);
            ip("netns", "add", n.target);
            // both ends born inside their namespaces: a run killed here leaves nothing in the root namespace
            ip("link", "add", "veth-src", "netns", n.source, "type", "veth", "peer", "name", "veth-tgt", "netns", n.target);
            n.up(n.source, "veth-src", SOURCE_ADDRESS);
            n.up(n.target, "veth-tgt", TARGET_ADDRESS);
        } catch (IOException | InterruptedException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    private void up(String ns, String dev, String address) throws IOException, InterruptedException {
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "addr", "add", address + "/24", "dev", dev);
        ip("-n", ns, "link", "set", dev, "up");
    }

    /** Deletes the namespaces of earlier runs whose JVM no longer lives. */
    static void removeLeftovers() throws IOException, InterruptedException {
        for (String line : ip("netns", "list").output().split("\n")) {
            Matcher m = OURS.matcher(line.strip());
            if (!m.matches()) continue;
            long pid = Long.parseLong(m.group(1));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue; // a run going on now
            String ns = line.strip().split("\\s+")[0];
            String pids = host(Duration.ofSeconds(10), List.of("ip", "netns", "pids", ns)).output().strip();
            System.err.println("Netns: deleting namespace " + ns + " of a run that is gone"
                    + (pids.isEmpty() ? "" : "; processes still in it (not ours to kill): " + pids.replace('\n', ' ')));
            ip("netns", "delete", ns);
        }
    }

    /**
     * Pulls the cable ({@code false}: the source's end of the veth down, so neither host hears the other: no FIN,
     * no RST, packets go nowhere) or plugs it back in (addresses and the route come back with the link).
     */
    public void cable(boolean connected) throws IOException, InterruptedException {
        ip("-n", source, "link", "set", "veth-src", connected ? "up" : "down");
    }

    /** The namespace names of runs on this machine (ours and leftovers). */
    static List<String> existing() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (String line : ip("netns", "list").output().split("\n")) {
            if (OURS.matcher(line.strip()).matches()) names.add(line.strip().split("\\s+")[0]);
        }
        return names;
    }

    /** {@code ip netns exec ns command...} as a process builder (the caller may redirect it, then {@link #start}). */
    public ProcessBuilder in(String ns, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        return new ProcessBuilder(cmd);
    }

    /** Starts the builder (made by {@link #in}); the process is ended by {@link #close} if still alive. */
    public Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Starts {@code command} in {@code ns}, output and errors appended to {@code log}. */
    public Process start(String ns, Path log, List<String> command) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        return start(in(ns, command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
    }

    /** Runs {@code command} in {@code ns} to completion within {@code timeout}. */
    public Result run(String ns, Duration timeout, List<String> command) throws IOException, InterruptedException {
        return exec(in(ns, command), timeout);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) p.waitFor(30, TimeUnit.SECONDS);
        List<String> failures = new ArrayList<>();
        for (String ns : List.of(source, target)) {
            if (!existing().contains(ns)) continue;
            Result r = exec(new ProcessBuilder("ip", "netns", "delete", ns), Duration.ofSeconds(30));
            if (r.exitCode() != 0) failures.add(ns + ": " + r.output());
        }
        if (!failures.isEmpty()) throw new IllegalStateException("could not delete network namespaces " + failures);
    }

    private static Result ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return host(Duration.ofSeconds(30), cmd).orFail(cmd);
    }

    /** Runs {@code command} in the root namespace. */
    static Result host(Duration timeout, List<String> command) throws IOException, InterruptedException {
        try {
            return exec(new ProcessBuilder(command), timeout);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run `" + String.join(" ", command) + "` (iproute2 installed? .ci/run installs it): " + e.getMessage(), e);
        }
    }

    private static Result exec(ProcessBuilder pb, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("netns", ".out"); // a file, not a pipe: the timeout holds even if it hangs
        try {
            Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", pb.command()) + "` did not finish within " + timeout
                        + "; output: " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
