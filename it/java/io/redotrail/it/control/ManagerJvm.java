package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.control.manager.Manager;
import io.redotrail.it.net.Host;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupStatus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code redotrail mgr --home H} in its own JVM for the Manager's tests, talking to it as GGSCI does: one request
 * line over TCP to the address and port of {@code dirchk/MGR.pid}, the reply text. The class path holds the test
 * classes too, so a test whose child is not under test may run {@link FakeGroupMain} as the group process.
 */
final class ManagerJvm implements AutoCloseable {
    final Path home;
    final Path log;
    final Process process;

    private ManagerJvm(Path home, Path log, Process process) {
        this.home = home;
        this.log = log;
        this.process = process;
    }

    /** A free TCP port on loopback, for PORT in mgr.prm. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void writeMgrPrm(Path home, String text) throws IOException {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/mgr.prm"), text);
    }

    /** Starts the Manager JVM (not waiting for it). {@code fake}: groups run as {@link FakeGroupMain}. */
    static ManagerJvm launch(Path home, String name, boolean fake, String... extra) throws IOException {
        Path log = PROJECT.resolve("target/it-logs/" + name + "-mgr.log");
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(io.redotrail.it.ItJvms.childJvmOptions());
        cmd.addAll(List.of("-Xmx256m", "-cp",
                        io.redotrail.it.ItSupport.programClassPath(PROJECT.resolve("target/test-classes").toString()),
                "io.redotrail.cli.Main", "mgr", "--home", home.toString()));
        if (!List.of(extra).contains("--stop-timeout")) cmd.addAll(List.of("--stop-timeout", "60"));
        if (fake) cmd.addAll(List.of("--child-main", FakeGroupMain.class.getName()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ManagerJvm(home, log, p);
    }

    /** Starts the Manager JVM and waits until it answers INFO. */
    static ManagerJvm start(Path home, String name, boolean fake, String... extra) throws IOException {
        ManagerJvm m = launch(home, name, fake, extra);
        await("the Manager to answer INFO", Duration.ofSeconds(60), () -> {
            assertTrue(m.process.isAlive(), "Manager exited " + (m.process.isAlive() ? "" : m.process.exitValue()) + "; see " + m.log);
            try {
                return m.send("INFO").startsWith("Manager is running");
            } catch (IOException | java.util.NoSuchElementException | NumberFormatException e) { // not listening / no MGR.pid yet
                return false;
            }
        }, () -> "log " + m.log);
        return m;
    }

    /** {@code group}'s status as INFO ALL shows it (its lock, pid file and checkpoint file). */
    static GroupStatus status(Path home, String group) {
        Path cpr = CheckpointFile.replicatFile(home, group);
        Path f = Files.exists(cpr) ? cpr : CheckpointFile.extractFile(home, group);
        return GroupStatus.of(home, group, new CheckpointFile(f).read().orElse(null));
    }

    /** Waits until every one of {@code groups} is RUNNING with a pid. */
    static void awaitRunning(Path home, List<String> groups, Duration timeout) {
        for (String g : groups) {
            await(g + " RUNNING", timeout, () -> status(home, g).running() && status(home, g).pid() > 0, () -> status(home, g).toString());
        }
    }

    /** The port MGR.pid names. */
    int port() {
        String text = GroupLock.read(home, Manager.PID_GROUP).orElseThrow();
        return Integer.parseInt(Manager.portOf(text));
    }

    String send(String line) throws IOException {
        String address = GroupLock.read(home, Manager.PID_GROUP).flatMap(io.redotrail.report.PidFile::fields)
                .map(p -> p.getProperty("address", "127.0.0.1").trim()).orElse("127.0.0.1");
        return Host.send(InetAddress.getByName(address), port(), line);
    }

    static String send(int port, String line) throws IOException {
        return Host.send(InetAddress.getLoopbackAddress(), port, line);
    }

    String ggserr() throws IOException {
        Path f = home.resolve("ggserr.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** SIGTERM and the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS), "Manager did not stop on SIGTERM; see " + log);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
