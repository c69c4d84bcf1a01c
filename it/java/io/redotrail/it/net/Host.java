package io.redotrail.it.net;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.control.manager.Manager;
import io.redotrail.it.ItJvms;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupStatus;
import io.redotrail.report.PidFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One home as one host for the two-host tests: its Manager JVM ({@code redotrail mgr}), GGSCI JVMs (commands on
 * stdin) and the state of its groups and collectors read from the home's files (pid files, locks, checkpoints,
 * ggserr.log), which work from any namespace. The programs run in the root network namespace, or in one of a
 * {@link Netns} ({@code ip netns exec}) when this host is given one. Process output goes to
 * {@code target/it-logs/<test>-<host>-*.log}. Not thread-safe (one test thread drives it).
 */
public final class Host {
    /** An upper bound for anything to happen, generous for CI's 2 loaded cores (a passing wait ends sooner). */
    public static final Duration WAIT = Duration.ofSeconds(180);

    public final String name;
    public final Path home;
    private final String test;
    private final Netns netns; // null: the root namespace
    private final String ns;
    private Process manager;

    Host(String test, String name, Path home, Netns netns, String ns) {
        this.test = test;
        this.name = name;
        this.home = home;
        this.netns = netns;
        this.ns = ns;
    }

    /** The log file for {@code what}; its directory is made here (a clean build has none until some test makes it). */
    public Path log(String what) {
        Path dir = PROJECT.resolve("target/it-logs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir.resolve(test + "-" + name + "-" + what + ".log");
    }

    /** {@code redotrail args} in this host's namespace; output appended to {@code log}. */
    private ProcessBuilder jvm(List<String> jvmOptions, String... args) {
        ProcessBuilder pb = ItJvms.mainJvm(jvmOptions, new String[0], args);
        return netns == null ? pb : netns.in(ns, pb.command()).directory(pb.directory()).redirectErrorStream(true);
    }

    private Process start(ProcessBuilder pb) throws IOException {
        return netns == null ? pb.start() : netns.start(pb);
    }

    /** Starts the Manager and waits until ggserr.log says it started (once more than before) and it is alive. */
    public Process startManager(String... extra) throws IOException {
        awaitManager(launchManager(extra));
        return manager;
    }

    /**
     * Starts the Manager JVM without waiting (so two hosts' Managers start side by side); {@link #awaitManager} with
     * the returned count waits for it.
     */
    int launchManager(String... extra) throws IOException {
        int before = count(ggserr(), "Manager started (port ");
        List<String> args = new ArrayList<>(List.of("mgr", "--home", home.toString(), "--stop-timeout", "60"));
        args.addAll(List.of(extra));
        manager = start(jvm(List.of("-Xmx256m"), args.toArray(String[]::new))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log("mgr").toFile())));
        return before;
    }

    /** Waits until ggserr.log says the Manager started more often than {@code before} and it holds its lock. */
    void awaitManager(int before) {
        Process p = manager;
        await(name + "'s Manager to start", WAIT, () -> {
            assertTrue(p.isAlive(), name + "'s Manager exited " + (p.isAlive() ? "" : p.exitValue()) + "; see " + log("mgr"));
            return count(ggserr(), "Manager started (port ") > before && GroupLock.held(home, "MGR");
        }, this::ggserr);
    }

    public Process manager() {
        return manager;
    }

    /**
     * One request line to the running Manager over TCP, as GGSCI sends it (to the address and port its
     * {@code dirchk/MGR.pid} names; the root namespace only): the reply text.
     */
    public String send(String line) throws IOException {
        String text = GroupLock.read(home, Manager.PID_GROUP).orElseThrow(() -> new IOException(name + ": no dirchk/MGR.pid"));
        String address = PidFile.fields(text).map(p -> p.getProperty("address", "127.0.0.1").trim()).orElse("127.0.0.1");
        return send(InetAddress.getByName(address), Integer.parseInt(Manager.portOf(text)), line);
    }

    /** One request line to the Manager listening on {@code address:port}: the reply text. */
    public static String send(InetAddress address, int port, String line) throws IOException {
        try (Socket s = new Socket(address, port)) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** kill -9 of this host's Manager (its groups run on, as with GoldenGate). */
    public void killManager() throws InterruptedException {
        ItJvms.killMinus9(manager.pid());
        assertTrue(manager.waitFor(30, TimeUnit.SECONDS), "the killed Manager did not exit");
        assertEquals(137, manager.exitValue(), "the Manager dies of SIGKILL");
    }

    /** SIGTERM to the Manager: it stops its groups gracefully; its exit code. */
    public int stopManager() throws InterruptedException {
        if (manager == null || !manager.isAlive()) return manager == null ? -1 : manager.exitValue();
        manager.destroy();
        assertTrue(manager.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), name + "'s Manager did not stop on SIGTERM; see " + log("mgr"));
        return manager.exitValue();
    }

    /**
     * {@code redotrail process <group>} in this host's namespace, as a Manager starts a group but without one (the
     * test ends it); output appended to the log {@code <group>}.
     */
    public Process startProcess(String group, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("process", "--home", home.toString(), group));
        args.addAll(List.of(extra));
        return start(jvm(List.of("-Xmx256m"), args.toArray(String[]::new))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(group.toLowerCase()).toFile())));
    }

    /** GGSCI with one command per line on stdin, in this host's namespace; exit code and output. */
    public ItJvms.Cli ggsci(String... commands) throws IOException, InterruptedException {
        Process p = start(jvm(List.of("-Xmx256m"), "ggsci", "--home", home.toString()));
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "GGSCI did not finish: " + List.of(commands));
        String text = new String(out, StandardCharsets.UTF_8);
        Files.writeString(log("ggsci"), "$ ggsci " + List.of(commands) + " (exit " + p.exitValue() + ")\n" + text,
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return new ItJvms.Cli(p.exitValue(), text);
    }

    public void prm(String group, String text) throws IOException {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm").resolve(group.toLowerCase() + ".prm"), text);
    }

    public GroupStatus status(String group) {
        Path cpr = CheckpointFile.replicatFile(home, group);
        Path f = Files.exists(cpr) ? cpr : CheckpointFile.extractFile(home, group);
        return GroupStatus.of(home, group, new CheckpointFile(f).read().orElse(null));
    }

    /** Waits until {@code group} runs under a pid other than {@code notPid}; that pid. */
    public long awaitRunning(String group, long notPid) {
        long[] pid = {-1};
        await(name + " " + group + " RUNNING under a pid other than " + notPid, WAIT, () -> {
            GroupStatus st = status(group);
            pid[0] = st.pid();
            return st.running() && st.pid() > 0 && st.pid() != notPid && alive(st.pid());
        }, () -> status(group) + ggserr());
        return pid[0];
    }

    /** The pid of the collector writing trail {@code ./dirdat/<prefix>} while one holds its lock, else -1. */
    public long collectorPid(String prefix) {
        return lockPid("COLLECTOR_" + prefix);
    }

    /** The pid the record of {@code dirchk/<lock>.pid} names while a live process holds that lock, else -1. */
    public long lockPid(String lock) {
        if (!GroupLock.held(home, lock)) return -1;
        return GroupLock.read(home, lock).flatMap(PidFile::fields).map(p -> p.getProperty("pid"))
                .map(String::trim).map(Long::parseLong).orElse(-1L);
    }

    public long awaitCollector(String prefix, long notPid) {
        long[] pid = {-1};
        await(name + ": a collector of ./dirdat/" + prefix + " other than pid " + notPid, WAIT, () -> {
            pid[0] = collectorPid(prefix);
            return pid[0] > 0 && pid[0] != notPid && alive(pid[0]);
        }, this::ggserr);
        return pid[0];
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public String ggserr() {
        Path f = home.resolve("ggserr.log");
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    public static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) n++;
        return n;
    }

    @Override
    public String toString() {
        return name + " " + home + (netns == null ? "" : " in namespace " + ns);
    }
}
