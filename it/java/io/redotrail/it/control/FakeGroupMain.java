package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupProcess;
import io.redotrail.report.PidFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in group process for the Manager's tests whose child is not under test (the real one is
 * {@code Main process}, contract 2): {@code FakeGroupMain process --home H [--config C] [--set-file F] GROUP
 * [--atcsn n | --aftercsn n]}. It does what the Manager relies on: holds the group's OS lock on
 * {@code dirchk/<GROUP>.pid} with its pid in it, prints its arguments, stops on SIGTERM with exit 0 (pid file
 * marked stopped), and exits 2 at once when {@code <home>/fake/<GROUP>.refuse} exists (a refused start, its
 * reason in the report file as {@code process} writes it). With
 * {@code <home>/fake/<GROUP>.lag} holding a number of seconds, it rewrites the group's checkpoint with a trail
 * read position that many seconds older than the checkpoint time (checkpoint lag). With
 * {@code <home>/fake/<GROUP>.ignoreterm} it ignores SIGTERM (a group that hangs while stopping). With
 * {@code <home>/fake/<GROUP>.abending} its pid file says ABENDED while it keeps the lock and ignores SIGTERM (a
 * group hung while abending).
 */
public final class FakeGroupMain {
    private FakeGroupMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        Path home = Path.of(a.get(a.indexOf("--home") + 1));
        String group = groupOf(a);
        System.out.println("FakeGroupMain " + String.join(" ", args));
        if (Files.exists(home.resolve("fake").resolve(group + ".refuse"))) {
            // as process does (contract 2): the reason in the report file and the pid file marked abended
            GroupProcess.abendedOutside(home, group, "EXTRACT", new IllegalStateException("refused by "
                    + home.resolve("fake").resolve(group + ".refuse")));
            System.out.println("FakeGroupMain " + group + " refusing");
            System.exit(2);
        }
        boolean abending = Files.exists(home.resolve("fake").resolve(group + ".abending"));
        CountDownLatch stop = new CountDownLatch(1);
        boolean deaf = abending || Files.exists(home.resolve("fake").resolve(group + ".ignoreterm")); // a group that hangs on stop
        // before the record that says RUNNING: a SIGTERM from then on is a graceful stop, never the JVM's default exit
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> {
            if (!deaf) stop.countDown();
        });
        GroupLock.acquire(home, group);
        long started = System.currentTimeMillis();
        new PidFile(ProcessHandle.current().pid(), "FAKE", started, abending, abending ? "hung while abending" : null)
                .write(PidFile.pathOf(home, group));
        Path lag = home.resolve("fake").resolve(group + ".lag");
        if (Files.exists(lag)) writeLag(home, group, Long.parseLong(Files.readString(lag).trim()));
        System.out.println("FakeGroupMain " + group + " running, pid " + ProcessHandle.current().pid());
        stop.await();
        new PidFile(ProcessHandle.current().pid(), "FAKE", started, false, null).asStopped().write(PidFile.pathOf(home, group));
        GroupProcess.event(home, program(home, group), group, "INFO", "OGG-00991", program(home, group) + " " + group + " stopped normally.");
        GroupLock.release(home, group);
        System.out.println("FakeGroupMain " + group + " stopped");
        System.exit(0);
    }

    /** As a group logs its stop in ggserr.log (GroupProcess.event). */
    private static String program(Path home, String group) {
        return Files.exists(CheckpointFile.replicatFile(home, group)) ? "REPLICAT" : "EXTRACT";
    }

    private static String groupOf(List<String> a) {
        for (int i = a.indexOf("process") + 1; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals("--home") || s.equals("--config") || s.equals("--set") || s.equals("--set-file") || s.equals("--atcsn") || s.equals("--aftercsn")) {
                i++;
                continue;
            }
            return s;
        }
        throw new IllegalArgumentException("no group in " + a);
    }

    private static void writeLag(Path home, String group, long seconds) {
        Path f = CheckpointFile.replicatFile(home, group);
        if (!Files.exists(f)) f = CheckpointFile.extractFile(home, group);
        CheckpointFile cf = new CheckpointFile(f);
        ProcessCheckpoint cp = cf.read().orElseThrow();
        long now = System.currentTimeMillis();
        TrailReadCheckpoint t = cp.trailRead();
        TrailReadCheckpoint lagged = new TrailReadCheckpoint(t.trail(), t.startup(), t.startupTimestampMillis(), t.current(),
                now - seconds * 1000);
        cf.write(new ProcessCheckpoint(cp.group(), cp.processType(), cp.redoReads(), lagged, cp.writes(), cp.brPrevious(),
                cp.brBegin(), cp.brEnd(), cp.startTimeMillis(), now, 'A'));
    }
}
