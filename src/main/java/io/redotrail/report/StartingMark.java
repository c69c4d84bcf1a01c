package io.redotrail.report;

import io.redotrail.checkpoint.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code dirchk/<GROUP>.starting}: a Manager is starting the group. Written (atomically, forced) before the
 * group's JVM is spawned with {@code child=-1}, rewritten with the child's pid once it runs, deleted when the child
 * exits or cannot be spawned. Text: {@code manager=<pid>}, {@code child=<pid>}, {@code since=<millis>} (before the
 * spawn), {@code spawned=<millis>} (after it). It says STARTING only while it is live: while the child it names is
 * alive (and started no later than {@code spawned}: a pid the OS gave again is another process), or, before the spawn,
 * while the Manager is alive; so a killed Manager or child leaves no group STARTING. Once the child holds the
 * group's lock its own pid file record speaks ({@link GroupStatus}). Immutable value.
 */
public record StartingMark(long manager, long child, long sinceMillis, long spawnedMillis) {
    /** Process start times come from the OS's boot time in whole seconds. */
    private static final long START_TIME_SLACK_MILLIS = 5_000;

    public static Path pathOf(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase() + ".starting");
    }

    /** Before the spawn: this process (the Manager) starts {@code group}. */
    public static StartingMark begin(Path home, String group) {
        StartingMark m = new StartingMark(ProcessHandle.current().pid(), -1, System.currentTimeMillis(), 0);
        m.write(home, group);
        return m;
    }

    /** After the spawn: the mark names the child. */
    public StartingMark spawned(Path home, String group, long childPid) {
        StartingMark m = new StartingMark(manager, childPid, sinceMillis, System.currentTimeMillis());
        m.write(home, group);
        return m;
    }

    /** The child exited (or was never spawned): no mark. */
    public static void clear(Path home, String group) {
        try {
            Files.deleteIfExists(pathOf(home, group));
        } catch (IOException e) {
            // a mark left behind is dead with its child: GroupStatus ignores it
        }
    }

    private void write(Path home, String group) {
        AtomicFiles.write(pathOf(home, group), ("manager=" + manager + "\nchild=" + child + "\nsince=" + sinceMillis
                + "\nspawned=" + spawnedMillis + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The group's mark, empty when there is none or it cannot be read. */
    public static Optional<StartingMark> read(Path home, String group) {
        Path f = pathOf(home, group);
        try {
            if (!Files.exists(f)) return Optional.empty();
            Properties p = new Properties();
            p.load(new java.io.StringReader(Files.readString(f, StandardCharsets.UTF_8)));
            return Optional.of(new StartingMark(Long.parseLong(p.getProperty("manager").trim()),
                    Long.parseLong(p.getProperty("child").trim()), Long.parseLong(p.getProperty("since").trim()),
                    Long.parseLong(p.getProperty("spawned", "0").trim())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The mark of a start still under way (see the class comment), empty otherwise. */
    public static Optional<StartingMark> live(Path home, String group) {
        return read(home, group).filter(StartingMark::live);
    }

    boolean live() {
        if (child > 0) return alive(child, spawnedMillis);
        return alive(manager, sinceMillis);
    }

    private static boolean alive(long pid, long notStartedAfterMillis) {
        if (pid <= 0) return false;
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> h.info().startInstant()
                        .map(s -> s.toEpochMilli() <= notStartedAfterMillis + START_TIME_SLACK_MILLIS).orElse(true))
                .orElse(false);
    }
}
