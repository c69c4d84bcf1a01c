package io.redotrail.report;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code dirchk/<GROUP>.pid}: the file whose OS lock the running group holds ({@link GroupLock}), and what the
 * last run of the group said about itself: {@code pid}, {@code program}, {@code started}, {@code abended} and
 * {@code cause}, {@code stopped} (a graceful stop), {@code starting} (the process holds the lock but its route is not
 * up yet: GGSCI shows STARTING, the control channel may not answer; the route's start rewrites it). Whether the group runs is the lock's to say, not this text:
 * a file that says running while nobody holds the lock was left by a killed process. Read and written only
 * through {@link GroupLock} (in place, under the lock). Immutable value.
 */
public record PidFile(long pid, String program, long startedMillis, boolean abended, String cause, boolean stopped,
                      boolean starting) {

    public PidFile(long pid, String program, long startedMillis, boolean abended, String cause) {
        this(pid, program, startedMillis, abended, cause, false, false);
    }

    /** The record a process writes as it takes the group's lock, before its route is up. */
    public static PidFile starting(long pid, String program, long startedMillis) {
        return new PidFile(pid, program, startedMillis, false, null, false, true);
    }

    public static Path pathOf(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase() + ".pid");
    }

    public static Path controlPathOf(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase() + ".ctl");
    }

    /** The same record marked as ended by a graceful stop. */
    public PidFile asStopped() {
        return new PidFile(pid, program, startedMillis, abended, cause, true, false);
    }

    public String text() {
        return "pid=" + pid + "\nprogram=" + program + "\nstarted=" + startedMillis + "\nabended=" + abended
                + "\ncause=" + (cause == null ? "" : cause.replace('\n', ' ').replace('\\', '/')) + "\nstopped=" + stopped + (starting ? "\nstarting=true" : "") + "\n";
    }

    /**
     * Writes {@code file} ({@code <home>/dirchk/<GROUP>.pid}) in place; false (nothing written) when another live
     * process holds the group's lock.
     */
    public boolean write(Path file) {
        return GroupLock.write(homeOf(file), groupOf(file), text());
    }

    public static Optional<PidFile> read(Path file) {
        return GroupLock.read(homeOf(file), groupOf(file)).flatMap(PidFile::parse);
    }

    /** Parses the file's text; empty for an empty, half-written or foreign file. */
    public static Optional<PidFile> parse(String text) {
        return fields(text).flatMap(p -> {
            try {
                return Optional.of(new PidFile(Long.parseLong(p.getProperty("pid").trim()), p.getProperty("program", ""),
                        Long.parseLong(p.getProperty("started", "0").trim()), Boolean.parseBoolean(p.getProperty("abended")),
                        p.getProperty("cause", ""), Boolean.parseBoolean(p.getProperty("stopped")),
                        Boolean.parseBoolean(p.getProperty("starting"))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * The {@code key=value} lines of a pid file's text (a group's, or the Manager's {@code dirchk/MGR.pid} with its
     * {@code port=}, {@code address=} ...); empty for an empty, half-written or foreign file (no {@code pid=}).
     * The one parser of pid file text.
     */
    public static Optional<Properties> fields(String text) {
        try {
            if (text == null || text.isBlank()) return Optional.empty();
            Properties p = new Properties();
            p.load(new StringReader(text));
            return p.getProperty("pid") == null ? Optional.empty() : Optional.of(p);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@link #fields(String)} of {@code dirchk/<GROUP>.pid}, read under its lock protocol. */
    public static Optional<Properties> fields(Path home, String group) {
        return GroupLock.read(home, group).flatMap(PidFile::fields);
    }

    private static Path homeOf(Path pidFile) {
        return pidFile.toAbsolutePath().normalize().getParent().getParent();
    }

    private static String groupOf(Path pidFile) {
        String n = pidFile.getFileName().toString();
        return n.endsWith(".pid") ? n.substring(0, n.length() - 4) : n;
    }

    /** The control port in {@code dirchk/<GROUP>.ctl}, if the file exists. */
    public static Optional<Integer> controlPort(Path home, String group) {
        Path f = controlPathOf(home, group);
        try {
            if (!Files.exists(f)) return Optional.empty();
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
            return Optional.of(Integer.parseInt(p.getProperty("port").trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
