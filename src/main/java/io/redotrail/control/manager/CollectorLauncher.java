package io.redotrail.control.manager;

import io.redotrail.control.collector.CollectorMain;
import io.redotrail.report.ControlHandler;
import io.redotrail.report.EventLog;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import io.redotrail.trail.remote.RemoteTrails;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Manager's {@code COLLECTOR ./dirdat/ha GROUP} request (a pump asks for a collector of its remote trail):
 * refuses a pump that does not own the trail (RTR-01205: the group in the header of the trail's last file, else in
 * the lock record of the collector running for a trail without files) without touching the running collector;
 * then stops the trail's previous collector — this Manager's child, or one an earlier Manager started (its pid
 * from {@code dirchk/COLLECTOR_ha.pid} while its lock is held) — with SIGKILL, waiting until its lock is free,
 * so a half-open connection never keeps the trail; then starts {@code redotrail collector} in its own JVM
 * (output appended to {@code dirrpt/COLLECTOR_ha.out}) on LISTENADDRESS and DYNAMICPORTLIST, waits for the port
 * file it writes after binding, and replies the port (followed by {@code TLS} when mgr.prm's COLLECTORTLS makes
 * collectors speak TLS). While it stops and starts, it sends the pump a blank every second ({@link ControlHandler.Slow}):
 * the pump bounds each read of the reply by its TIMEOUT. Requests for one trail are served one at a time.
 * Thread-safe.
 */
final class CollectorLauncher {
    private static final long START_MILLIS = 90_000;
    private static final long STOP_MILLIS = 30_000;
    private static final long ALIVE_MILLIS = 1_000;

    private final Path home;
    private final ChildCommand command;
    private final MgrParams params;
    private final EventLog log;
    private final Map<Path, Process> children = new HashMap<>();
    private final Map<Path, java.util.concurrent.locks.ReentrantLock> locks = new HashMap<>();

    CollectorLauncher(Path home, ChildCommand command, MgrParams params, EventLog log) {
        this.home = home;
        this.command = command;
        this.params = params;
        this.log = log;
    }

    /**
     * {@code args}: the trail ({@code ./dirdat/ha}) and the asking group. The reply: the port, or ERROR. {@code alive}
     * tells the pump, about every second, that the request is being worked on.
     */
    String request(List<String> args, Runnable alive) {
        if (args.isEmpty() || args.size() > 2) return "ERROR: COLLECTOR takes a trail (./dirdat/xx) and the asking group.";
        String trail = args.get(0);
        String group = args.size() > 1 ? args.get(1) : "?";
        Path t;
        try {
            t = RemoteTrails.resolve(home, trail);
        } catch (IllegalArgumentException e) {
            return "ERROR: " + e.getMessage();
        }
        log.info("OGG-00963", "Command received from EXTRACT " + group + " (START SERVER for trail " + trail + ").");
        // before anything is stopped: a misconfigured second pump naming this RMTTRAIL must not disturb its owner
        Optional<String> owner = owner(t);
        if (owner.isPresent() && !owner.get().equalsIgnoreCase(group)) {
            String why = "RTR-01205 trail " + trail + " is written by " + owner.get() + ", not by " + group + ": one pump per remote"
                    + " trail (give " + group + " an RMTTRAIL of its own); the collector of " + owner.get() + " is left as it is";
            log.error("RTR-01205", "Collector for " + trail + " refused to EXTRACT " + group + ": " + why.substring("RTR-01205 ".length()) + ".");
            return "ERROR: " + why;
        }
        java.util.concurrent.locks.ReentrantLock lock;
        synchronized (locks) {
            lock = locks.computeIfAbsent(t, k -> new java.util.concurrent.locks.ReentrantLock());
        }
        Alive every = new Alive(alive);
        try {
            // blanks while an earlier request of the trail is served too: the pump's TIMEOUT bounds each of its reads
            while (!lock.tryLock(ALIVE_MILLIS, TimeUnit.MILLISECONDS)) every.tick();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "ERROR: interrupted while starting the collector for " + trail;
        } catch (java.io.UncheckedIOException e) {
            return abandoned(trail, group);
        }
        try {
            stopPrevious(t, trail, every);
            // "TLS" after the port: the pump checks that it speaks TLS too, and says which side to change if not
            return start(t, trail, group, every) + (params.collectorTls() != null ? " TLS" : "");
        } catch (StartFailed e) {
            log.error("RTR-01203", "Collector for " + trail + " (asked by " + group + "): " + e.getMessage());
            return "ERROR: " + e.getMessage();
        } catch (java.io.UncheckedIOException e) {
            return abandoned(trail, group);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "ERROR: interrupted while starting the collector for " + trail;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The pump closed its request (its TIMEOUT passed, it asks again): serving it would only kill the collector its
     * next request gets, so the work stops here (a collector started for it is killed) and the next request is served.
     */
    private String abandoned(String trail, String group) {
        log.info("RTR-01203", "Collector for " + trail + ": request of EXTRACT " + group + " abandoned, the pump closed it.");
        return "ERROR: the pump closed the request";
    }

    /**
     * Who owns the trail: the group in the header of its last file (a collector writes the pump's group there), else,
     * for a trail without files yet, the pump the running collector was started for (its lock record).
     */
    private Optional<String> owner(Path t) {
        Optional<String> writer = io.redotrail.trail.TrailFiles.writerOf(t);
        if (writer.isPresent()) return writer;
        String name = RemoteTrails.collectorName(t);
        if (!GroupLock.held(home, name)) return Optional.empty();
        return GroupLock.read(home, name).flatMap(PidFile::fields).map(p -> p.getProperty("group")).map(String::trim)
                .filter(g -> !g.isEmpty());
    }

    /** Calls the request's keep-alive at most every {@link #ALIVE_MILLIS}. */
    private static final class Alive {
        private final Runnable alive;
        private long last = System.currentTimeMillis();

        Alive(Runnable alive) {
            this.alive = alive;
        }

        void tick() {
            long now = System.currentTimeMillis();
            if (now - last >= ALIVE_MILLIS) {
                last = now;
                alive.run();
            }
        }
    }

    private static final class StartFailed extends Exception {
        StartFailed(String message) {
            super(message);
        }
    }

    private void stopPrevious(Path t, String trail, Alive alive) throws InterruptedException, StartFailed {
        String name = RemoteTrails.collectorName(t);
        Process own;
        synchronized (children) {
            own = children.remove(t);
        }
        if (own != null && own.isAlive()) {
            log.warning("RTR-01204", "Collector for " + trail + " (pid " + own.pid() + ") killed: the pump asked for a new one.");
            own.destroyForcibly();
            own.waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS);
        }
        long deadline = System.currentTimeMillis() + STOP_MILLIS;
        while (GroupLock.held(home, name)) {
            Optional<Long> pid = GroupLock.read(home, name).flatMap(PidFile::fields).map(p -> p.getProperty("pid"))
                    .map(String::trim).map(Long::parseLong);
            Optional<ProcessHandle> h = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            if (h.isPresent() && h.get().info().command().map(c -> c.contains("java")).orElse(true)) {
                log.warning("RTR-01204", "Collector for " + trail + " (pid " + h.get().pid() + ", started by an earlier Manager) killed:"
                        + " the pump asked for a new one.");
                h.get().destroyForcibly();
                try {
                    h.get().onExit().get(STOP_MILLIS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // the lock below says whether it is gone
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new StartFailed("the previous collector of " + trail + " still holds " + PidFile.pathOf(home, name));
            }
            alive.tick();
            Thread.sleep(50);
        }
    }

    private int start(Path t, String trail, String group, Alive alive) throws StartFailed, InterruptedException {
        String name = RemoteTrails.collectorName(t);
        Path portFile = home.resolve("dirtmp").resolve(name + ".port");
        Path out = home.resolve("dirrpt").resolve(name + ".out");
        List<String> args = new ArrayList<>(List.of("collector", "--home", home.toString(), "--trail", trail,
                "--listen", params.listenAddress(), "--ports", CollectorMain.ranges(params.dynamicPorts()),
                "--port-file", portFile.toString(), "--group", group));
        if (params.collectorTls() != null) {
            // aliases only: the collector reads the passwords from the credential store itself
            args.addAll(List.of("--tls-key-alias", params.collectorTls().keyAlias(), "--tls-trust-alias", params.collectorTls().trustAlias()));
            if (params.collectorTls().clientAuth()) args.add("--tls-client-auth");
        }
        List<String> cmd = new ChildCommand(command.java(), command.jvmOptions(), command.classpath(), ChildCommand.MAIN,
                List.of(), command.workDir()).main(args.toArray(String[]::new));
        Process p;
        try {
            Files.createDirectories(portFile.getParent());
            Files.createDirectories(out.getParent());
            Files.deleteIfExists(portFile);
            Files.writeString(out, "---- " + java.time.LocalDateTime.now() + " Manager starts the collector of " + trail
                    + " for " + group + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            p = new ProcessBuilder(cmd).directory(command.workDir().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        } catch (IOException e) {
            throw new StartFailed("cannot start the collector of " + trail + ": " + e.getMessage());
        }
        synchronized (children) {
            children.put(t, p);
        }
        long deadline = System.currentTimeMillis() + START_MILLIS;
        while (true) {
            Optional<Integer> port = readPort(portFile);
            if (port.isPresent()) return port.get();
            if (!p.isAlive()) {
                int code = p.exitValue();
                throw new StartFailed((code == CollectorMain.NO_PORT ? "NODYNPORTS " : "") + "the collector of " + trail + " (pid " + p.pid()
                        + ") exited with code " + code + " before it listened (see ggserr.log and " + home.relativize(out) + ")");
            }
            if (System.currentTimeMillis() > deadline) {
                p.destroyForcibly();
                throw new StartFailed("the collector of " + trail + " (pid " + p.pid() + ") did not listen within " + START_MILLIS / 1000 + " s");
            }
            try {
                alive.tick();
            } catch (java.io.UncheckedIOException e) {
                p.destroyForcibly(); // nobody will connect to it: it would hold the trail's lock until its accept timed out
                synchronized (children) {
                    children.remove(t, p);
                }
                throw e;
            }
            Thread.sleep(20);
        }
    }

    private static Optional<Integer> readPort(Path f) {
        try {
            String s = Files.readString(f).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(s));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // written atomically: a partial read cannot happen, a failed one is tried again
        }
    }

    /** Kills the collectors this Manager started (its own stop: a pump reconnects through the next Manager). */
    void shutdown() {
        List<Process> all;
        synchronized (children) {
            all = new ArrayList<>(children.values());
            children.clear();
        }
        for (Process p : all) {
            if (p.isAlive()) p.destroy();
        }
    }
}
