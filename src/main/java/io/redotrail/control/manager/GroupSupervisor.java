package io.redotrail.control.manager;

import io.redotrail.report.EventLog;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import io.redotrail.report.StartingMark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Manager's groups: starts each as its own JVM ({@link ChildCommand}, output appended to
 * {@code dirrpt/<GROUP>.out}), stops (SIGTERM, then waits for the exit), kills (SIGKILL) and watches them
 * ({@link Process#onExit}). A group logs its own start, normal stop and abend in ggserr.log (GroupProcess); the
 * Manager adds "killed" after KILL and ABENDED for an exit the group could not log (a signal, a crash: exit
 * code above 2). Any exit other than 0 is an abend, and then AUTORESTART applies unless a STOP or the Manager's shutdown asked for the exit:
 * after WAITMINUTES/WAITSECONDS, at most RETRIES + 1 restarts within RESETMINUTES (GoldenGate does not count the
 * first restart as a retry). A STOP or KILL cancels a pending restart, also when the group has already exited
 * (its reply then says it is already stopped), and the restart is decided under the same monitor as STOP, so a
 * group the operator stopped never comes back by AUTORESTART; only a START clears that. STOP and KILL also work
 * on a group another process started (its pid from {@code dirchk/<GROUP>.pid} whenever its OS lock is held, even
 * when the file already says ABENDED: a group hung while abending).
 * <p>
 * Thread-safe: state under this object's monitor; waits for exits happen outside it. Restarts run on the
 * Manager's scheduler.
 */
final class GroupSupervisor {
    private final Path home;
    private final ChildCommand command;
    private final EventLog log;
    private final ScheduledExecutorService scheduler;
    private final List<MgrParams.RestartRule> restartRules;
    private final Duration stopTimeout;
    private final Map<String, Child> children = new HashMap<>();
    private final Map<String, Deque<Long>> restarts = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> pendingRestarts = new HashMap<>();
    /** Groups the operator stopped or killed since their last START: AUTORESTART leaves them alone. */
    private final java.util.Set<String> operatorStopped = new java.util.HashSet<>();
    private boolean shuttingDown;

    /** One child JVM this Manager started. */
    private static final class Child {
        final String group;
        final String type;
        final Process process;
        final AbendReason.Marks marks;
        volatile boolean stopRequested;
        volatile boolean killRequested;
        volatile String killReason = "KILL request";
        /** Completes once the exit's event line is written. */
        volatile java.util.concurrent.CompletableFuture<Void> watched;

        Child(String group, String type, Process process, AbendReason.Marks marks) {
            this.group = group;
            this.type = type;
            this.process = process;
            this.marks = marks;
        }
    }

    /** A request refused: the reply's {@code ERROR:} text. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    GroupSupervisor(Path home, ChildCommand command, EventLog log, ScheduledExecutorService scheduler,
                    List<MgrParams.RestartRule> restartRules, Duration stopTimeout) {
        this.home = home;
        this.command = command;
        this.log = log;
        this.scheduler = scheduler;
        this.restartRules = List.copyOf(restartRules);
        this.stopTimeout = stopTimeout;
    }

    private GroupDefs.Def def(String group) {
        return GroupDefs.of(home, group).orElseThrow(() -> new Refused("Group " + group
                + " does not exist (no dirchk/" + group + ".cpe or dirchk/" + group + ".cpr): add it with GGSCI ADD EXTRACT or ADD REPLICAT."));
    }

    /** Starts {@code group}; {@code startOption} empty or ATCSN n / AFTERCSN n. The reply line. */
    synchronized String start(String group, List<String> startOption, String why) {
        if (shuttingDown) throw new Refused("Manager is stopping; " + group + " not started.");
        GroupDefs.Def d = def(group);
        String name = d.processType() + " " + d.group();
        if (running(d.group())) throw new Refused(name + " is already running.");
        cancelPendingRestart(d.group());
        operatorStopped.remove(d.group());
        Path out = AbendReason.outOf(home, d.group());
        Process p;
        AbendReason.Marks marks;
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, "---- " + java.time.LocalDateTime.now() + " Manager starts " + name
                    + (why.isEmpty() ? "" : " (" + why + ")") + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            marks = AbendReason.Marks.of(home, d.group());
            StartingMark starting = StartingMark.begin(home, d.group()); // STARTING from here, not STOPPED
            p = new ProcessBuilder(command.command(d.group(), startOption)).directory(command.workDir().toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
            try {
                starting.spawned(home, d.group(), p.pid());
            } catch (java.io.UncheckedIOException e) {
                // the mark keeps naming this Manager: STARTING until the child takes its lock or exits
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            StartingMark.clear(home, d.group());
            log.error("OGG-01668", name + " could not be started: " + e.getMessage());
            throw new Refused(name + " could not be started: " + e.getMessage());
        }
        Child c = new Child(d.group(), d.processType(), p, marks);
        children.put(d.group(), c);
        log.info("OGG-00975", name + " starting" + (why.isEmpty() ? "" : " (" + why + ")") + ".");
        c.watched = p.onExit().thenAccept(x -> exited(c));
        return name + " starting";
    }

    /** The Manager's INFO of one group: {@code EXTRACT PUMHA is STARTING (Process ID 4711).} */
    String info(String group) {
        GroupDefs.Def d = def(group);
        io.redotrail.report.GroupStatus st = io.redotrail.report.GroupStatus.of(home, d.group(), null);
        return d.processType() + " " + d.group() + " is " + st.status() + (st.pid() > 0 ? " (Process ID " + st.pid() + ")." : ".");
    }

    /** True when a live process runs {@code group}: one of ours, or whoever holds its lock. */
    synchronized boolean running(String group) {
        Child c = children.get(group);
        return (c != null && c.process.isAlive()) || GroupLock.held(home, group);
    }

    /**
     * STOP: SIGTERM to the group's process, then waits until it has exited. The reply line; for a group that does
     * not run, "already stopped" (and its pending AUTORESTART cancelled), as GGSCI says.
     */
    String stop(String group) {
        GroupDefs.Def d = def(group);
        String name = d.processType() + " " + d.group();
        ProcessHandle h;
        Child c;
        synchronized (this) {
            boolean cancelled = cancelPendingRestart(d.group());
            operatorStopped.add(d.group());
            c = children.get(d.group());
            if (c != null && c.process.isAlive()) {
                c.stopRequested = true;
                h = c.process.toHandle();
            } else {
                Optional<ProcessHandle> f = foreign(d);
                if (f.isEmpty()) {
                    if (cancelled) log.info("RTR-01108", name + ": pending AUTORESTART cancelled (STOP request).");
                    return name + " is already stopped." + (cancelled ? " Its pending AUTORESTART is cancelled." : "");
                }
                h = f.get();
            }
        }
        h.destroy();
        if (!waitFor(h, d.group(), stopTimeout)) {
            throw new Refused(name + " did not stop within " + stopTimeout.toSeconds() + " s of SIGTERM (pid " + h.pid()
                    + "); KILL " + d.processType() + " " + d.group() + " ends it.");
        }
        if (c != null && c.process.toHandle().equals(h)) awaitEvent(c);
        else log.info("OGG-00991", name + " stopped (STOP request to pid " + h.pid() + ", not started by this Manager).");
        return "Request processed.";
    }

    /** KILL: SIGKILL to the group's process; it shows ABENDED and is not restarted. The reply line. */
    String kill(String group) {
        GroupDefs.Def d = def(group);
        String name = d.processType() + " " + d.group();
        ProcessHandle h;
        boolean ours;
        Child c;
        synchronized (this) {
            cancelPendingRestart(d.group());
            operatorStopped.add(d.group());
            c = children.get(d.group());
            ours = c != null && c.process.isAlive();
            if (ours) {
                c.killRequested = true;
                h = c.process.toHandle();
            } else {
                h = foreign(d).orElseThrow(() -> new Refused(name + " is not running."));
            }
        }
        h.destroyForcibly();
        waitFor(h, d.group(), stopTimeout);
        if (ours) awaitEvent(c);
        else log.warning("RTR-01107", name + " killed (KILL request, pid " + h.pid() + ", not started by this Manager).");
        return "Killed process (" + h.pid() + ") for " + name;
    }

    /**
     * The process of a group this Manager did not start: the pid its pid file names, while it holds the lock,
     * whatever the file says (ABENDED while still holding the lock = hung while abending: STOP and KILL must reach it).
     */
    private Optional<ProcessHandle> foreign(GroupDefs.Def d) {
        if (!GroupLock.held(home, d.group())) return Optional.empty();
        return PidFile.read(PidFile.pathOf(home, d.group())).map(PidFile::pid).filter(p -> p > 0).flatMap(ProcessHandle::of);
    }

    private static void awaitEvent(Child c) {
        try {
            c.watched.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the event line is late or its handler failed: the reply does not wait longer
        }
    }

    private boolean waitFor(ProcessHandle h, String group, Duration timeout) {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        // the lock goes with the process; a foreign child's exit is seen by polling, the lock at once
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (GroupLock.held(home, group) && System.nanoTime() < end) sleep(20);
        return true;
    }

    private void exited(Child c) {
        int code = c.process.exitValue();
        synchronized (this) {
            if (children.get(c.group) == c) StartingMark.clear(home, c.group); // not a newer start's mark
        }
        String name = c.type + " " + c.group;
        Optional<MgrParams.RestartRule> rule;
        synchronized (this) {
            if (children.get(c.group) == c) children.remove(c.group);
            if (c.killRequested) {
                log.warning("RTR-01107", name + " killed (" + c.killReason + ", pid " + c.process.pid() + "); it shows ABENDED and is not restarted.");
                return;
            }
            if (code == 0) return; // the group logged "stopped normally" itself (GroupProcess)
            // exit 1 / 2: the group logged its abend or refusal itself; a signal or a crash left it no chance
            if (code > 2) {
                log.error("OGG-01668", name + " ABENDED (pid " + c.process.pid() + ", " + exitText(code) + "): "
                        + AbendReason.of(home, c.group, c.marks));
            }
            if (c.stopRequested || shuttingDown) return;
            rule = restartRules.stream().filter(r -> r.groups().matches(c.type, c.group)).findFirst();
            if (rule.isEmpty()) return;
            MgrParams.RestartRule r = rule.get();
            long now = System.currentTimeMillis();
            Deque<Long> done = restarts.computeIfAbsent(c.group, k -> new ArrayDeque<>());
            while (!done.isEmpty() && now - done.peekFirst() > r.resetMillis()) done.removeFirst();
            if (done.size() >= r.maxRestarts()) {
                log.warning("RTR-01103", name + " is not restarted: AUTORESTART " + r.groups().text() + " restarted it "
                        + done.size() + (done.size() == 1 ? " time" : " times") + " within " + r.resetMillis() / 1000 + " s (RETRIES " + r.retries()
                        + "); it stays ABENDED.");
                return;
            }
            done.addLast(now);
            int attempt = done.size();
            String why = "AUTORESTART " + r.groups().text() + ", restart " + attempt + " of " + r.maxRestarts();
            pendingRestarts.put(c.group, scheduler.schedule(() -> restart(c.group, why), r.waitMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /**
     * The decision and the start under one monitor: a STOP that cancelled this restart while it waited for the
     * monitor is seen here (the flag), so the group does not come back after the operator's STOP.
     */
    private synchronized void restart(String group, String why) {
        pendingRestarts.remove(group);
        if (shuttingDown || operatorStopped.contains(group)) return;
        try {
            start(group, List.of(), why);
        } catch (Refused e) {
            log.warning("RTR-01104", "AUTORESTART of " + group + " refused: " + e.getMessage());
        }
    }

    /** True when a restart was pending. */
    private boolean cancelPendingRestart(String group) {
        ScheduledFuture<?> f = pendingRestarts.remove(group);
        if (f != null) f.cancel(false);
        return f != null;
    }

    private static String exitText(int code) {
        return code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
    }

    /** The groups this Manager runs now. */
    synchronized List<String> runningChildren() {
        List<String> out = new ArrayList<>();
        children.forEach((g, c) -> {
            if (c.process.isAlive()) out.add(g);
        });
        return out;
    }

    /**
     * The Manager stops: no more starts or restarts; SIGTERM to every child at once, then each is waited for and
     * killed (with a ggserr.log line) when it has not exited within {@code timeout}.
     */
    void shutdown(Duration timeout) {
        List<Child> live = new ArrayList<>();
        synchronized (this) {
            shuttingDown = true;
            pendingRestarts.values().forEach(f -> f.cancel(false));
            pendingRestarts.clear();
            for (Child c : children.values()) {
                if (!c.process.isAlive()) continue;
                c.stopRequested = true;
                live.add(c);
            }
        }
        for (Child c : live) c.process.destroy();
        long end = System.nanoTime() + timeout.toNanos();
        for (Child c : live) {
            try {
                long left = Math.max(0, end - System.nanoTime());
                if (!c.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    log.warning("RTR-01105", c.type + " " + c.group + " did not stop within " + timeout.toSeconds()
                            + " s of SIGTERM; killed (pid " + c.process.pid() + ").");
                    c.killReason = "the Manager's stop timeout";
                    c.killRequested = true;
                    c.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                awaitEvent(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
