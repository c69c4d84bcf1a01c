package io.redotrail.report;

import io.redotrail.checkpoint.AtomicFiles;
import io.redotrail.checkpoint.CheckpointPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running side of a group, as GGSCI sees it: on start the group's lock and pid file
 * {@code dirchk/<GROUP>.pid} ({@link GroupLock}: a second process refuses to start the group), a control
 * channel (TCP, 127.0.0.1, ephemeral port written to {@code dirchk/<GROUP>.ctl}) and report lines; on a
 * graceful stop the pid file is marked stopped and the control file removed; on an abend the pid file is
 * marked abended, so {@code INFO} shows ABENDED. A start-up refusal (before or while the route starts) is an
 * abend too ({@link #abended(String, Throwable)}). One per group and CamelContext, part of the group's
 * {@link GroupRuntime}; {@link #started} throws {@link GroupLock.AlreadyRunningException} when another process
 * runs the group, every other method logs and carries on instead of throwing, so status bookkeeping can never
 * stop a route. Handlers for control commands ({@link #register}) may be registered before or after start.
 * The static methods write for a group outside any context (the command line before the routes start).
 * Thread-safe.
 */
public final class GroupProcess {
    private static final Logger LOG = LoggerFactory.getLogger(GroupProcess.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("(OGG-\\d{5}) (.*)", Pattern.DOTALL);

    private final GroupRuntime runtime;
    private final Path home;
    private final String group;
    private final ConcurrentMap<String, ControlHandler> handlers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile String program;
    private volatile long started;
    private ControlServer server;
    private volatile boolean abended;

    GroupProcess(GroupRuntime runtime) {
        this.runtime = runtime;
        this.home = runtime.home();
        this.group = runtime.group();
    }

    /** Registers the handler of control command {@code verb} (e.g. SHOWTRANS) for the group. */
    public void register(String verb, ControlHandler handler) {
        handlers.put(verb.toUpperCase(), handler);
    }

    public void unregister(String verb) {
        handlers.remove(verb.toUpperCase());
    }

    /**
     * The group's route starts: takes the group's lock, then pid file, control channel, report line
     * "EXTRACT EXT1 started."
     *
     * @throws GroupLock.AlreadyRunningException when another live process holds the group's lock (nothing written)
     */
    public synchronized void started(String program) {
        GroupLock.acquire(home, group);
        if (running) { // started twice without a stop in between: one reference to the lock is enough
            closeServer();
            GroupLock.release(home, group);
        }
        running = true;
        abended = false;
        this.program = program.toUpperCase();
        this.started = System.currentTimeMillis();
        try {
            ControlServer s = new ControlServer(this.program + " " + group, this::handler);
            server = s;
            AtomicFiles.write(PidFile.controlPathOf(home, group),
                    ("port=" + s.port() + "\npid=" + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            LOG.warn("{} {}: cannot set up the control channel: {}", this.program, group, e.toString());
        }
        // the record last: RUNNING (GroupStatus) means the control channel answers, STARTING until then
        try {
            new PidFile(ProcessHandle.current().pid(), this.program, started, false, null).write(PidFile.pathOf(home, group));
        } catch (Exception e) {
            LOG.warn("{} {}: cannot write the pid file: {}", this.program, group, e.toString());
        }
        runtime.report().info("OGG-00993", this.program + " " + group + " started.");
        event(home, this.program, group, "INFO", "OGG-00993", this.program + " " + group + " started.");
    }

    /**
     * The group's route stopped: "stopped normally" and the pid file marked stopped, unless it abended (the pid
     * file keeps saying so); then the lock is released.
     */
    public synchronized void stopped() {
        if (!running) return;
        running = false;
        try {
            closeServer();
            ReportFile rpt = runtime.report();
            rpt.flush();
            if (!abended) {
                writeStats();
                try {
                    Files.deleteIfExists(PidFile.controlPathOf(home, group));
                    new PidFile(ProcessHandle.current().pid(), program, started, false, null).asStopped()
                            .write(PidFile.pathOf(home, group));
                } catch (Exception e) {
                    LOG.warn("{} {}: cannot mark pid file stopped / remove control file: {}", program, group, e.toString());
                }
                rpt.info("OGG-00991", program + " " + group + " stopped normally.");
                event(home, program, group, "INFO", "OGG-00991", program + " " + group + " stopped normally.");
            }
        } finally {
            GroupLock.release(home, group);
        }
    }

    /**
     * The group abends, or refuses to start ({@code program} names it when the route never started: a trail that
     * cannot be recovered, a corrupt checkpoint file, an unreachable target...). A cause whose message starts
     * with a message id ({@code OGG-00446 ...}) gets its own ERROR line before OGG-01668. The pid file is marked
     * abended only while no other process holds the group's lock: a running group is never marked by another.
     */
    public void abended(String program, Throwable cause) {
        String prog = running ? this.program : program != null ? program.toUpperCase() : "EXTRACT";
        long since = running ? started : System.currentTimeMillis();
        if (running) {
            abended = true;
            closeServer();
        }
        writeAbend(home, group, runtime.report(), prog, since, cause);
    }

    /** {@link #abended(String, Throwable)} for a group with no context: the command line before its routes start. */
    public static void abendedOutside(Path home, String group, String program, Throwable cause) {
        String g = group.toUpperCase();
        writeAbend(home, g, ReportFile.open(home, g), program.toUpperCase(), System.currentTimeMillis(), cause);
    }

    private static void writeAbend(Path home, String g, ReportFile rpt, String prog, long since, Throwable cause) {
        String why = cause == null ? "unknown cause" : (cause.getMessage() == null ? cause.toString() : cause.getMessage());
        rpt.flush();
        Matcher id = MESSAGE_ID.matcher(why);
        if (id.matches() && !id.group(1).equals("OGG-01668")) rpt.error(id.group(1), id.group(2));
        rpt.error("OGG-01668", "PROCESS ABENDING: " + why);
        event(home, prog, g, "ERROR", "OGG-01668", prog + " " + g + " PROCESS ABENDING: " + why);
        try {
            if (!GroupLock.heldHere(home, g) && GroupLock.held(home, g)) {
                LOG.warn("{}: pid file not marked abended: another process runs the group", g);
                return;
            }
            Files.deleteIfExists(PidFile.controlPathOf(home, g));
            new PidFile(ProcessHandle.current().pid(), prog, since, true, why).write(PidFile.pathOf(home, g));
        } catch (Exception e) {
            LOG.warn("{}: cannot mark pid file abended: {}", g, e.toString());
        }
    }

    /**
     * The group's own line in the home's {@code ggserr.log} ({@link EventLog}), under GoldenGate's program names
     * ({@code redotrail Capture, ext1.prm} / {@code redotrail Delivery, rep1.prm}): its start, stop and abend are
     * logged whether a Manager, {@code process} or {@code run} started it (the Manager logs only what it does
     * and sees: starting, restarts, kills, exits by a signal). A log that cannot be written costs a warning, never the group.
     */
    public static void event(Path home, String program, String group, String severity, String id, String text) {
        String label = "redotrail " + ("REPLICAT".equalsIgnoreCase(program) ? "Delivery" : "Capture") + ", "
                + group.toLowerCase(java.util.Locale.ROOT) + ".prm";
        try {
            new EventLog(home, label).write(severity, id, text);
        } catch (RuntimeException e) {
            LOG.warn("{} {}: cannot write {}: {}", program, group, EventLog.fileOf(home), e.toString());
        }
    }

    /**
     * Takes the group's lock, then runs {@code start} (what touches the group's files or target); when that
     * fails, the failure is reported as the group's abend and the lock is released.
     *
     * @throws GroupLock.AlreadyRunningException when another process runs the group ({@code start} not run)
     */
    public void startLocked(String program, Runnable start) {
        GroupLock.acquire(home, group);
        try {
            start.run();
        } catch (RuntimeException e) {
            abended(program, e);
            GroupLock.release(home, group);
            throw e;
        }
    }

    /**
     * A start refused because another process runs the group: an ERROR line in the group's report, nothing else
     * (the running group's pid file, status and control file are its own).
     */
    public static void refusedRunning(Path home, String program, GroupLock.AlreadyRunningException e) {
        ReportFile.open(home, e.group()).error("OGG-00001", "Execution cannot continue - " + program + " " + e.group()
                + " not started by pid " + ProcessHandle.current().pid() + ": " + e.getMessage());
    }

    /** Report lines for where a redo thread starts reading (OGG-01513 Positioning ...). */
    public void positioned(int thread, CheckpointPoint at, boolean fromRecoveryCheckpoint) {
        if (at == null) {
            runtime.report().info("OGG-01513", "Positioning to (Thread " + thread
                    + ") the beginning of the earliest available redo log (no checkpoint).");
            return;
        }
        runtime.report().info("OGG-01513", "Positioning to (Thread " + thread + ") Sequence "
                + at.position().sequence() + ", RBA " + at.position().rba() + ", SCN " + at.scn().display()
                + (fromRecoveryCheckpoint ? " (recovery checkpoint)." : "."));
    }

    /**
     * Report line for the output trail at start: OGG-01056 when a torn tail of {@code file} was cut at {@code rba},
     * else OGG-01052 ({@code file}, {@code rba}: where writing goes on; {@code notOpened}: the trail had no file
     * yet, as GoldenGate says "(file not opened)"). The caller names the file ("./dirdat/ha000000000"): report
     * does not depend on the trail package.
     */
    public void trailOpened(String file, long rba, boolean recovered, boolean notOpened) {
        ReportFile rpt = runtime.report();
        if (recovered) {
            rpt.info("OGG-01056", "Recovery initialization completed for target file " + file + ", at RBA " + rba + ".");
        } else {
            rpt.info("OGG-01052", "No recovery is required for target file " + file + ", at RBA " + rba
                    + (notOpened ? " (file not opened)." : "."));
        }
    }

    /**
     * Answers one control command line ({@code SHOWTRANS}, {@code STATS TABLE X.Y}) as the control channel does,
     * for callers in this JVM (the group's MBean). A reply whose first line starts with {@code ERROR:} is a failure.
     * FORCESTOP halts the JVM shortly after returning, so the caller's reply can still be sent.
     */
    public String send(String line) {
        String reply = ControlServer.answer((program == null ? "EXTRACT" : program) + " " + group, this::handler, line);
        ControlServer s;
        synchronized (this) {
            s = server;
        }
        Runnable then = s == null ? null : s.takeAfterReply();
        if (then != null) {
            // no channel reply to wait for: give the in-JVM caller's reply (JMX) a moment to leave, then halt
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                then.run();
            }, "send-" + group + "-after-reply");
            t.setDaemon(true);
            t.start();
        }
        return reply;
    }

    /** A registered handler, else the built-in verbs every group answers (contract 5). */
    private ControlHandler handler(String verb) {
        ControlHandler h = handlers.get(verb);
        if (h != null) return h;
        return switch (verb) {
            case "STATUS" -> (v, a) -> GroupStatusText.status(runtime, program, abended);
            // what the group waits for (a trail file that does not exist...), empty when nothing: GGSCI INFO's extra line
            case "WAITING" -> (v, a) -> runtime.waiting() == null ? "" : runtime.waiting();
            case "STATS" -> (v, a) -> StatsText.parse(a).render(runtime.stats(), program, runtime.zone())
                    + (runtime.waiting() == null ? "" : "\n" + runtime.waiting() + "\n");
            case "LAG", "GETLAG" -> (v, a) -> GroupStatusText.lag(runtime.stats());
            case "FORCESTOP" -> (v, a) -> forceStop();
            case "REPORT" -> (v, a) -> {
                writeStats();
                return "Request processed.\n";
            };
            default -> null;
        };
    }

    /**
     * {@code SEND g, FORCESTOP}: stops at once, not waiting for the route to drain or for open transactions
     * (GoldenGate: "stop now, even with long-running transactions"). The checkpoints stay as the last one written,
     * as after a kill: the next start recovers from them (redo / BR / trail checkpoints), so nothing is lost. The
     * report, ggserr.log and the pid file (STOPPED: the operator asked) say so; the process halts with exit 0 once
     * the reply is sent.
     */
    private String forceStop() {
        String p = program == null ? "EXTRACT" : program;
        String line = p + " " + group + " stopped by FORCESTOP (checkpoints as last written; the next start recovers from them).";
        ControlServer s;
        synchronized (this) {
            runtime.report().warning("OGG-01021", "Command received from GGSCI: FORCESTOP");
            runtime.report().info("OGG-00991", line);
            runtime.report().flush();
            event(home, p, group, "WARNING", "OGG-00991", line);
            try {
                Files.deleteIfExists(PidFile.controlPathOf(home, group));
                new PidFile(ProcessHandle.current().pid(), p, started, false, null).asStopped().write(PidFile.pathOf(home, group));
            } catch (Exception e) {
                LOG.warn("{} {}: cannot mark pid file stopped: {}", p, group, e.toString());
            }
            s = server;
        }
        Runnable halt = () -> Runtime.getRuntime().halt(0); // no graceful shutdown: that is what FORCESTOP skips
        if (s != null) s.afterReply(halt);
        else halt.run();
        return "Request processed.";
    }

    /** The full statistics block into the report (SEND ... REPORT, and at a graceful stop). */
    public void writeStats() {
        String p = program == null ? "EXTRACT" : program;
        runtime.report().block("\n*** Statistics of " + p + " " + group + " ***\n"
                + StatsText.all().render(runtime.stats(), p, runtime.zone()));
    }

    private synchronized void closeServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
