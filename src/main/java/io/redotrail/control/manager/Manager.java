package io.redotrail.control.manager;

import io.redotrail.observe.web.LiveServer;
import io.redotrail.report.EventLog;
import io.redotrail.report.ControlHandler;
import io.redotrail.report.ControlServer;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Manager of one home (GoldenGate's MGR): holds the OS lock on {@code dirchk/MGR.pid} (pid, port; a second
 * Manager of the home is refused), listens on PORT (LISTENADDRESS, default 127.0.0.1) for one-line requests
 * (protocol of {@link ControlServer}; requests in docs/operations.md), starts, stops, kills and watches the groups
 * ({@link GroupSupervisor}), starts a collector for a pump that asks ({@link CollectorLauncher}), runs AUTOSTART at start, PURGEOLDEXTRACTS every FREQUENCY and the lag report every
 * LAGREPORT interval on one scheduler thread, and writes every event to {@code ggserr.log} ({@link EventLog}).
 * With HTTPPORT it serves the live page, its JSON, {@code /metrics} and {@code /health} on LISTENADDRESS:HTTPPORT ({@link LiveServer}).
 * {@link #stop} stops its groups gracefully (SIGTERM, wait, KILL after the timeout), marks MGR.pid stopped and
 * releases the lock. Thread-safe.
 */
public final class Manager {
    public static final String PID_GROUP = "MGR";

    private final Path home;
    private final MgrParams params;
    private final EventLog log;
    private final ScheduledExecutorService scheduler;
    private final GroupSupervisor groups;
    private final CollectorLauncher collectors;
    private final Duration stopTimeout;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final long started = System.currentTimeMillis();
    private ControlServer server;
    private LiveServer live; // null without HTTPPORT
    private boolean stopped;

    /** A Manager that cannot start: another runs the home, the port is taken. Exit code 2. */
    public static final class StartException extends RuntimeException {
        public StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Manager(Path home, MgrParams params, ChildCommand command, Duration stopTimeout) {
        this.home = home.toAbsolutePath().normalize();
        this.params = params;
        this.stopTimeout = stopTimeout;
        this.log = new EventLog(this.home, "redotrail Manager, mgr.prm");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "manager-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.groups = new GroupSupervisor(this.home, command, log, scheduler, params.autoRestart(), stopTimeout);
        this.collectors = new CollectorLauncher(this.home, command, params, log);
    }

    public EventLog eventLog() {
        return log;
    }

    /** The live page's port (HTTPPORT, or the one chosen for HTTPPORT 0); -1 without HTTPPORT. */
    public synchronized int httpPort() {
        return live == null ? -1 : live.port();
    }

    /** The port the listener is bound to (PORT, or the ephemeral one of PORT 0). */
    public synchronized int port() {
        return server.port();
    }

    /**
     * Takes the home's Manager lock, binds the listener, writes MGR.pid, runs AUTOSTART and schedules the purge
     * and lag tasks.
     *
     * @throws StartException when another Manager runs the home or the port cannot be bound (nothing started)
     */
    public synchronized void start() {
        try {
            GroupLock.acquire(home, PID_GROUP);
        } catch (GroupLock.AlreadyRunningException e) {
            String port = GroupLock.read(home, PID_GROUP).map(Manager::portOf).orElse("unknown");
            throw new StartException("Manager is already running on home " + home + " (pid " + e.pid() + ", port " + port
                    + ", it holds the lock on " + PidFile.pathOf(home, PID_GROUP) + ")", e);
        }
        try {
            server = new ControlServer("MANAGER", InetAddress.getByName(params.listenAddress()), params.port(), this::handler, true);
        } catch (IOException e) {
            GroupLock.release(home, PID_GROUP);
            throw new StartException("Manager cannot listen on " + params.listenAddress() + ":" + params.port() + " (PORT / LISTENADDRESS of "
                    + MgrParams.fileOf(home) + "): " + e.getMessage(), e);
        }
        if (params.httpPort() != MgrParams.NO_HTTP) {
            try {
                live = LiveServer.start(home, params.listenAddress(), params.httpPort(), () -> GroupDefs.pageRefs(home),
                        params.lagCriticalMillis());
            } catch (IllegalStateException e) {
                server.close();
                GroupLock.release(home, PID_GROUP);
                throw new StartException("Manager cannot serve HTTP on " + params.listenAddress() + ":" + params.httpPort()
                        + " (HTTPPORT / LISTENADDRESS of " + MgrParams.fileOf(home) + "): " + e.getMessage(), e);
            }
        }
        writePidFile(false);
        log.info("OGG-00983", "Manager started (port " + server.port() + ").");
        if (live != null) log.info("RTR-01120", "Live page on http://" + params.listenAddress() + ":" + live.port() + "/ (HTTPPORT).");
        warnUnmatched("AUTORESTART", params.autoRestart().stream().map(MgrParams.RestartRule::groups).toList());
        autoStart();
        TrailPurger purger = new TrailPurger(home, log);
        for (MgrParams.PurgeRule r : params.purge()) {
            scheduler.scheduleWithFixedDelay(() -> guarded("PURGEOLDEXTRACTS " + r.trail(),
                    () -> purger.purge(r, System.currentTimeMillis())), r.frequencyMillis(), r.frequencyMillis(), TimeUnit.MILLISECONDS);
        }
        if (params.lagReportMillis() > 0 && (params.lagInfoMillis() >= 0 || params.lagCriticalMillis() >= 0)) {
            LagMonitor lag = new LagMonitor(home, log, params.lagInfoMillis(), params.lagCriticalMillis());
            scheduler.scheduleWithFixedDelay(() -> guarded("lag report", () -> lag.check(System.currentTimeMillis())),
                    params.lagReportMillis(), params.lagReportMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void autoStart() {
        warnUnmatched("AUTOSTART", params.autoStart());
        List<String> done = new ArrayList<>();
        for (MgrParams.GroupRule rule : params.autoStart()) {
            for (GroupDefs.Def d : GroupDefs.all(home)) {
                if (!rule.matches(d.processType(), d.group()) || done.contains(d.group())) continue;
                done.add(d.group());
                if (groups.running(d.group())) continue;
                try {
                    groups.start(d.group(), List.of(), "AUTOSTART " + rule.text());
                } catch (GroupSupervisor.Refused e) {
                    log.warning("RTR-01104", "AUTOSTART " + rule.text() + ": " + e.getMessage());
                }
            }
        }
    }

    /** A rule no defined group matches is a warning, not a reason to stop (groups may be added later). */
    private void warnUnmatched(String param, List<MgrParams.GroupRule> rules) {
        List<GroupDefs.Def> defs = GroupDefs.all(home);
        for (MgrParams.GroupRule r : rules) {
            if (defs.stream().noneMatch(d -> r.matches(d.processType(), d.group()))) {
                log.warning("RTR-01102", param + " " + r.text() + " in " + MgrParams.fileOf(home)
                        + ": no such group (no matching checkpoint file in dirchk/).");
            }
        }
    }

    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warning("RTR-01106", what + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private ControlHandler handler(String verb) {
        return switch (verb) {
            case "START" -> (v, a) -> request(v, a, () -> {
                List<String> opt = a.size() > 1 ? a.subList(1, a.size()) : List.of();
                if (!opt.isEmpty() && !(opt.size() == 2 && opt.get(0).toUpperCase(Locale.ROOT).matches("ATCSN|AFTERCSN")
                        && opt.get(1).matches("\\d+"))) {
                    throw new GroupSupervisor.Refused("START takes a group and optionally ATCSN n or AFTERCSN n, not: " + String.join(" ", opt));
                }
                return groups.start(group(a), opt.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(), "");
            });
            case "STOP" -> (v, a) -> request(v, a, () -> groups.stop(only(a)));
            case "KILL" -> (v, a) -> request(v, a, () -> groups.kill(only(a)));
            // a pump's RMTHOST: the port alone, or ERROR; blanks ahead of it while the collector's JVM starts
            case "COLLECTOR" -> (ControlHandler.Slow) (v, a, alive) -> collectors.request(a, alive);
            case "INFO" -> (v, a) -> !a.isEmpty() ? groupInfo(a) : "Manager is running (IP port " + hostName() + "." + port() + ", Process ID "
                    + ProcessHandle.current().pid() + ").";
            case "STOPMGR" -> (v, a) -> {
                log.info("OGG-00963", "Command received from GGSCI (STOP MANAGER).");
                stopRequested.countDown();
                return "Manager stopping.";
            };
            default -> null;
        };
    }

    /** INFO of one group (STARTING from the spawn, RUNNING once its control channel answers); not logged. */
    private String groupInfo(List<String> args) {
        try {
            return groups.info(only(args));
        } catch (GroupSupervisor.Refused e) {
            return "ERROR: " + e.getMessage();
        }
    }

    private String request(String verb, List<String> args, java.util.function.Supplier<String> action) {
        log.info("OGG-00963", "Command received from GGSCI (" + verb + " " + String.join(" ", args) + ").");
        try {
            return action.get();
        } catch (GroupSupervisor.Refused e) {
            return "ERROR: " + e.getMessage();
        }
    }

    private static String group(List<String> args) {
        if (args.isEmpty()) throw new GroupSupervisor.Refused("a group name is missing.");
        String g = args.get(0).toUpperCase(Locale.ROOT);
        if (!g.matches("[A-Z0-9_$#]{1,8}")) {
            throw new GroupSupervisor.Refused("'" + args.get(0) + "' is not a group name (no wildcards: GGSCI expands them).");
        }
        return g;
    }

    private static String only(List<String> args) {
        if (args.size() != 1) throw new GroupSupervisor.Refused("exactly one group name expected, got: " + String.join(" ", args));
        return group(args);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private void writePidFile(boolean stoppedNow) {
        // stopTimeoutSeconds: GGSCI waits that long (and more) for the reply to STOP, which waits for the group
        GroupLock.write(home, PID_GROUP, "pid=" + ProcessHandle.current().pid() + "\nprogram=MANAGER\nport=" + server.port()
                + "\naddress=" + params.listenAddress() + (live == null ? "" : "\nhttpPort=" + live.port()) + "\nstopTimeoutSeconds=" + stopTimeout.toSeconds() + "\nstarted=" + started
                + "\nabended=false\ncause=\nstopped=" + stoppedNow + "\n");
    }

    /** The {@code port=} of a MGR.pid text. */
    public static String portOf(String pidText) {
        return PidFile.fields(pidText).map(p -> p.getProperty("port")).map(String::trim).orElse("unknown");
    }

    /** Asks {@link #awaitStopRequest} to return (SIGTERM, Ctrl-C, STOPMGR). */
    public void requestStop() {
        stopRequested.countDown();
    }

    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    /** Stops the groups this Manager started (gracefully, KILL after the timeout), then the listener and the lock. */
    public void stop() {
        synchronized (this) {
            if (stopped || server == null) return;
            stopped = true;
        }
        scheduler.shutdownNow();
        if (live != null) live.close(); // first: the page would only watch the groups stop
        groups.shutdown(stopTimeout);
        server.close();
        collectors.shutdown();
        writePidFile(true);
        log.info("RTR-01101", "Manager stopped.");
        GroupLock.release(home, PID_GROUP);
    }
}
