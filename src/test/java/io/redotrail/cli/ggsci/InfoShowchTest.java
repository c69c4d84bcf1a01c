package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Golden output of INFO ... SHOWCH against checkpoint files written with CheckpointFile (values of seeds 001-003). */
class InfoShowchTest {
    @TempDir
    Path home;

    static long at(String ts) {
        return LocalDateTime.parse(ts.replace(' ', 'T')).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    static CheckpointPoint p(int thread, long seq, long rba, String ts, long scn, String file) {
        return new CheckpointPoint(new RedoPosition(thread, seq, rba), Scn.of(scn), at(ts), file);
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, String> config = Map.of("redotrail.replicat.checkpointTable", "GGADMIN.CHECKPOINT");
        int rc = new Ggsci(home, config::get, new PrintStream(buf, true, StandardCharsets.UTF_8)).execute(command);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        return out;
    }

    private void seed002Checkpoint(char stopStatus) {
        String arc = "/u01/app/oracle/fast_recovery_area/GGATE1/archivelog/2014_06_21/o1_mf_1_14861_9tbo7pys_.arc";
        String redo = "/u01/app/oracle/oradata/ggate1/redo03.log";
        RedoReadCheckpoint r = new RedoReadCheckpoint(1, p(1, 14861, 5918224, "2014-06-21 16:49:33", 9129707, arc),
                p(1, 14878, 116752, "2014-06-21 18:10:14", 9137521, redo),
                p(1, 14878, 5977088, "2014-06-21 18:11:41", 9137612, redo));
        WriteCheckpoint w = new WriteCheckpoint("./dirdat/zz", new TrailPosition(3, 8130790), at("2014-06-21 18:11:44.414"),
                "RMTTRAIL", Scn.of(9137600));
        new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT", List.of(r),
                null, List.of(w), null, p(1, 14878, 116752, "2014-06-21 18:10:14", 9137521, ""),
                p(1, 14881, 139776, "2014-06-21 18:27:38", 9138688, ""), at("2014-06-21 18:07:35.982"),
                at("2014-06-21 18:11:44.414"), stopStatus));
    }

    /**
     * Seed 002, twenty minutes later: the read checkpoint moved to seqno 14884 and the recovery checkpoint stayed;
     * SHOWCH 2 shows that current checkpoint, then the one before it (seqno 14878), and says only one is kept.
     */
    @Test
    void showchNListsThePreviousCheckpointsNewestFirst() throws Exception {
        seed002Checkpoint('A');
        String redo = "/u01/app/oracle/oradata/ggate1/redo03.log";
        ProcessCheckpoint before = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow();
        RedoReadCheckpoint later = new RedoReadCheckpoint(1, before.redoReads().get(0).startup(),
                before.redoReads().get(0).recovery(), p(1, 14884, 72704, "2014-06-21 18:40:34", 9139491, redo));
        new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT",
                List.of(later), null, before.writes(), before.brPrevious(), before.brBegin(), before.brEnd(),
                before.startTimeMillis(), at("2014-06-21 18:40:36.000"), 'A'));
        String out = run("info ext1, showch 2");
        int current = out.indexOf("Current Checkpoint Detail:");
        int previous = out.indexOf("Previous Checkpoint #1 Detail (Last Update Time = 2014-06-21 18:11:44):");
        assertTrue(current > 0 && previous > current, out);
        assertTrue(out.substring(current, previous).contains("    Sequence #: 14884\n    RBA: 72704\n"), out);
        String prev = out.substring(previous);
        assertTrue(prev.contains("  Current Checkpoint (position of last record read in the data source):\n    Thread #: 1\n"
                + "    Sequence #: 14878\n    RBA: 5977088\n    Timestamp: 2014-06-21 18:11:41.000000\n    SCN: 0.9137612 (9137612)"), prev);
        assertTrue(prev.contains("  Recovery Checkpoint (position of oldest unprocessed transaction in the data source):\n"
                + "    Thread #: 1\n    Sequence #: 14878\n    RBA: 116752\n"), prev);
        assertTrue(prev.contains("Write Checkpoint #1") && prev.contains("    Sequence #: 3\n    RBA: 8130790\n"), prev);
        assertFalse(prev.contains("Header:"), "the constant blocks are not repeated: " + prev);
        assertTrue(prev.contains("(SHOWCH 2: 1 previous checkpoint is kept in ./dirchk/EXT1.cpe.history)"), prev);
        assertFalse(run("info ext1, showch").contains("Previous Checkpoint"), "SHOWCH alone shows the current checkpoint only");
        assertEquals(0, new Ggsci(home, k -> null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .execute("delete extract ext1"));
        assertFalse(Files.exists(home.resolve("dirchk/EXT1.cpe.history")), "DELETE removes the history with the checkpoint");
    }

    private final List<String> locked = new java.util.ArrayList<>();

    /** The group as a running process has it: its lock held (by this JVM) and its pid file written. */
    private void running(String group) {
        GroupLock.acquire(home, group);
        locked.add(group);
        new PidFile(ProcessHandle.current().pid(), "EXTRACT", System.currentTimeMillis(), false, null)
                .write(PidFile.pathOf(home, group));
    }

    @org.junit.jupiter.api.AfterEach
    void releaseLocks() {
        locked.forEach(g -> GroupLock.release(home, g));
    }

    static void assertGolden(String expected, String actual) {
        List<String> exp = expected.lines().map(String::stripTrailing).toList();
        List<String> act = actual.lines().map(String::stripTrailing).toList();
        for (int i = 0; i < Math.min(exp.size(), act.size()); i++) {
            String e = exp.get(i);
            if (e.endsWith("*")) {
                assertTrue(act.get(i).startsWith(e.substring(0, e.length() - 1)), "line " + (i + 1) + ": expected " + e
                        + "\n got " + act.get(i) + "\n--- whole output:\n" + actual);
            } else {
                assertEquals(e, act.get(i), "line " + (i + 1) + "\n--- whole output:\n" + actual);
            }
        }
        assertEquals(exp.size(), act.size(), "number of lines\n--- whole output:\n" + actual);
    }

    @Test
    void infoExtractShowchPrintsTheSeedBlocksLineByLine() throws Exception {
        seed002Checkpoint('A');
        running("EXT1");
        String out = run("info extract EXT1, showch");
        assertGolden("""
                EXTRACT    EXT1      Last Started 2014-06-21 18:07   Status RUNNING
                Checkpoint Lag       00:00:03 (updated *
                Process ID           %d
                Log Read Checkpoint  Oracle Redo Logs
                                     2014-06-21 18:11:41  Seqno 14878, RBA 5977088
                                     SCN 0.9137612 (9137612)


                Current Checkpoint Detail:

                Read Checkpoint #1

                  Oracle Redo Log

                  Startup Checkpoint (starting position in the data source):
                    Thread #: 1
                    Sequence #: 14861
                    RBA: 5918224
                    Timestamp: 2014-06-21 16:49:33.000000
                    SCN: 0.9129707 (9129707)
                    Redo File: /u01/app/oracle/fast_recovery_area/GGATE1/archivelog/2014_06_21/o1_mf_1_14861_9tbo7pys_.arc

                  Recovery Checkpoint (position of oldest unprocessed transaction in the data source):
                    Thread #: 1
                    Sequence #: 14878
                    RBA: 116752
                    Timestamp: 2014-06-21 18:10:14.000000
                    SCN: 0.9137521 (9137521)
                    Redo File: /u01/app/oracle/oradata/ggate1/redo03.log

                  Current Checkpoint (position of last record read in the data source):
                    Thread #: 1
                    Sequence #: 14878
                    RBA: 5977088
                    Timestamp: 2014-06-21 18:11:41.000000
                    SCN: 0.9137612 (9137612)
                    Redo File: /u01/app/oracle/oradata/ggate1/redo03.log

                  BR Previous Recovery Checkpoint:
                    Thread #: 0
                    Sequence #: 0
                    RBA: 0
                    Timestamp: Not available
                    SCN: Not available
                    Redo File:

                  BR Begin Recovery Checkpoint:
                    Thread #: 1
                    Sequence #: 14878
                    RBA: 116752
                    Timestamp: 2014-06-21 18:10:14.000000
                    SCN: 0.9137521 (9137521)
                    Redo File:

                  BR End Recovery Checkpoint:
                    Thread #: 1
                    Sequence #: 14881
                    RBA: 139776
                    Timestamp: 2014-06-21 18:27:38.000000
                    SCN: 0.9138688 (9138688)
                    Redo File:

                Write Checkpoint #1

                  GGS Log Trail

                  Current Checkpoint (current write position):
                    Sequence #: 3
                    RBA: 8130790
                    Timestamp: 2014-06-21 18:11:44.414000
                    Extract Trail: ./dirdat/zz
                    Seqno Length: 9
                    Flip Seqno Length: No
                    Trail Type: RMTTRAIL

                Header:
                  Version = 2
                  Record Source = A
                  Type = 10
                  # Input Checkpoints = 1
                  # Output Checkpoints = 1

                File Information:
                  Block Size = 2048
                  Max Blocks = 100
                  Record Length = 2048
                  Current Offset = 0

                Configuration:
                  Data Source = 3
                  Transaction Integrity = 1
                  Task Type = 0

                Status:
                  Start Time = 2014-06-21 18:07:35
                  Last Update Time = 2014-06-21 18:11:44
                  Stop Status = A
                  Last Result = 400

                """.formatted(ProcessHandle.current().pid()), out);
        // the short form and the abbreviations of seed 001/002 give the same first block
        String shortForm = run("INFO ext1");
        assertGolden("""
                EXTRACT    EXT1      Last Started 2014-06-21 18:07   Status RUNNING
                Checkpoint Lag       00:00:03 (updated *
                Process ID           %d
                Log Read Checkpoint  Oracle Redo Logs
                                     2014-06-21 18:11:41  Seqno 14878, RBA 5977088
                                     SCN 0.9137612 (9137612)

                """.formatted(ProcessHandle.current().pid()), shortForm);
        // "updated ... ago" moves with the clock between two runs
        assertEquals(sinceUpdate(out), sinceUpdate(run("info ext1 showch")));
        assertEquals(sinceUpdate(out), sinceUpdate(run("INFO EXT EXT1,SHOWCH")));
    }

    @Test
    void racCheckpointPrintsOneReadCheckpointPerThread() throws Exception {
        String r1 = "/orarac/oradata/racq/redo01.log";
        String r4 = "/orarac/oradata/racq/redo04.log";
        List<RedoReadCheckpoint> reads = List.of(
                new RedoReadCheckpoint(1, p(1, 47, 68548112, "2011-01-01 13:37:51", 8439720, r1),
                        p(1, 47, 68748304, "2011-01-01 14:16:45", 8440969, r1), p(1, 47, 68748800, "2011-01-01 14:16:45", 8440969, r1)),
                new RedoReadCheckpoint(2, p(2, 24, 60607504, "2011-01-01 13:37:50", 8439719, r4),
                        p(2, 24, 65657408, "2011-01-01 14:16:19", 8440613, r4), p(2, 24, 65657408, "2011-01-01 14:16:19", 8440613, r4)));
        WriteCheckpoint w = new WriteCheckpoint("./dirdat/eh", new TrailPosition(2, 2142224), at("2011-01-01 14:16:50.567"),
                "EXTTRAIL", Scn.of(8440969));
        new CheckpointFile(CheckpointFile.extractFile(home, "JC108XT")).write(new ProcessCheckpoint("JC108XT", "EXTRACT", reads,
                null, List.of(w), null, null, null, at("2011-01-01 14:15:14"), at("2011-01-01 14:16:50"), 'G'));
        String out = run("info extract jc108xt, showch");
        List<String> lines = out.lines().toList();
        assertEquals("EXTRACT    JC108XT   Last Started 2011-01-01 14:15   Status STOPPED", lines.get(0));
        assertFalse(out.contains("Process ID"));
        assertEquals("                     2011-01-01 14:16:45  Thread 1, Seqno 47, RBA 68748800", lines.get(3));
        assertEquals("                     2011-01-01 14:16:19  Thread 2, Seqno 24, RBA 65657408", lines.get(5));
        assertTrue(out.contains("Read Checkpoint #1\n\n  Oracle RAC Redo Log\n"), out);
        assertTrue(out.contains("Read Checkpoint #2\n\n  Oracle RAC Redo Log\n\n  Startup Checkpoint (starting position in the data source):\n"
                + "    Thread #: 2\n    Sequence #: 24\n    RBA: 60607504\n    Timestamp: 2011-01-01 13:37:50.000000\n"
                + "    SCN: 0.8439719 (8439719)\n    Redo File: /orarac/oradata/racq/redo04.log\n"), out);
        assertTrue(out.contains("  # Input Checkpoints = 2\n"), out);
        assertTrue(out.contains("    Trail Type: EXTTRAIL\n"), out);
        assertTrue(out.contains("  Stop Status = G\n"), out);
    }

    @Test
    void infoReplicatShowchPrintsTrailCheckpointsAndTheDatabaseCheckpoint() throws Exception {
        TrailReadCheckpoint tr = new TrailReadCheckpoint("/u01/zt/dirdat/lt", new TrailPosition(3, 20259), at("2014-12-27 14:06:57"),
                new TrailPosition(4, 1755), at("2014-12-27 16:49:03.408"));
        new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).write(new ProcessCheckpoint("REP1", "REPLICAT", List.of(), tr,
                List.of(), null, null, null, at("2014-12-27 14:07:31"), at("2014-12-27 17:03:30"), 'A'));
        long key = io.redotrail.replicat.GroupKey.of("REP1", io.redotrail.replicat.HomeIdentity.of(home));
        String out = run("info replicat rep1, showch");
        assertGolden("""
                REPLICAT   REP1      Last Started 2014-12-27 14:07   Status STOPPED
                Checkpoint Lag       00:14:26 (updated *
                Log Read Checkpoint  File /u01/zt/dirdat/lt000000004
                                     2014-12-27 16:49:03.408000  RBA 1755


                Current Checkpoint Detail:

                Read Checkpoint #1

                  GGS Log Trail

                  Startup Checkpoint (starting position in the data source):
                    Sequence #: 3
                    RBA: 20259
                    Timestamp: 2014-12-27 14:06:57.000000
                    Extract Trail: /u01/zt/dirdat/lt
                    Seqno Length: 9
                    Flip Seqno Length: No

                  Current Checkpoint (position of last record read in the data source):
                    Sequence #: 4
                    RBA: 1755
                    Timestamp: 2014-12-27 16:49:03.408000
                    Extract Trail: /u01/zt/dirdat/lt
                    Seqno Length: 9
                    Flip Seqno Length: No

                Header:
                  Version = 2
                  Record Source = A
                  Type = 1
                  # Input Checkpoints = 1
                  # Output Checkpoints = 0

                File Information:
                  Block Size = 2048
                  Max Blocks = 100
                  Record Length = 2048
                  Current Offset = 0

                Configuration:
                  Data Source = 0
                  Transaction Integrity = -1
                  Task Type = 0

                Database Checkpoint:
                  Checkpoint table = GGADMIN.CHECKPOINT
                  Key = %d (0x%s)
                  Create Time = Not available

                Status:
                  Start Time = 2014-12-27 14:07:31
                  Last Update Time = 2014-12-27 17:03:30
                  Stop Status = A
                  Last Result = 400

                """.formatted(key, Long.toHexString(key)), out);
        assertTrue(run("info rep1").startsWith("REPLICAT   REP1      Last Started 2014-12-27 14:07   Status STOPPED\n"));
    }

    @Test
    void statusComesFromThePidFile() throws Exception {
        seed002Checkpoint('A');
        assertTrue(run("info extract EXT1").contains("Status STOPPED"), "no pid file");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        new PidFile(dead.pid(), "EXTRACT", 1, false, null).write(PidFile.pathOf(home, "EXT1"));
        assertTrue(run("info extract EXT1").contains("Status ABENDED"), "stale pid file, stop status A = killed");
        seed002Checkpoint('G');
        assertTrue(run("info extract EXT1").contains("Status STOPPED"), "stale pid file after a graceful stop");
        new PidFile(dead.pid(), "EXTRACT", System.currentTimeMillis(), false, null).write(PidFile.pathOf(home, "EXT1"));
        assertTrue(run("info extract EXT1").contains("Status ABENDED"), "killed before its first checkpoint: G is from an older run");
        new PidFile(ProcessHandle.current().pid(), "EXTRACT", System.currentTimeMillis(), false, null).write(PidFile.pathOf(home, "EXT1"));
        assertTrue(run("info extract EXT1").contains("Status ABENDED"), "a live pid in the file but nobody holds the lock: not running");
        running("EXT1");
        assertTrue(run("info extract EXT1").contains("Status RUNNING"), "the lock is held");
        new PidFile(ProcessHandle.current().pid(), "EXTRACT", System.currentTimeMillis(), false, null).asStopped().write(PidFile.pathOf(home, "EXT1"));
        assertTrue(run("info extract EXT1").contains("Status RUNNING"), "the lock, not the text, says running (stopping)");
        new PidFile(ProcessHandle.current().pid(), "EXTRACT", 1, false, null).asStopped().write(PidFile.pathOf(home, "EXT1"));
        assertTrue(run("info extract EXT1").contains("Status STARTING"), "an older run's record under a held lock: a starter's");
        GroupLock.release(home, "EXT1");
        locked.clear();
        assertTrue(run("info extract EXT1").contains("Status STOPPED"), "marked stopped, lock free");
        new PidFile(ProcessHandle.current().pid(), "EXTRACT", 1, true, "missing redo").write(PidFile.pathOf(home, "EXT1"));
        assertTrue(run("info extract EXT1").contains("Status ABENDED"), "pid file marked abended");
    }

    @Test
    void infoAllListsEveryGroupOfDirchk() throws Exception {
        seed002Checkpoint('A');
        running("EXT1");
        TrailReadCheckpoint tr = new TrailReadCheckpoint("/x/dirdat/ha", new TrailPosition(0, 0), 0, new TrailPosition(0, 900),
                System.currentTimeMillis() - 3_000);
        new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).write(new ProcessCheckpoint("REP1", "REPLICAT", List.of(), tr,
                List.of(), null, null, null, System.currentTimeMillis() - 60_000, System.currentTimeMillis() - 1_000, 'G'));
        Files.writeString(home.resolve("dirchk/notes.txt"), "not a group");
        List<String> lines = run("info all").lines().toList();
        assertEquals("Program     Status      Group       Lag at Chkpt  Time Since Chkpt", lines.get(0));
        assertEquals("", lines.get(1));
        assertEquals("MANAGER     STOPPED", lines.get(2), "no Manager holds dirchk/MGR.pid");
        assertTrue(lines.get(3).matches("EXTRACT     RUNNING     EXT1        00:00:03      \\d\\d+:\\d\\d:\\d\\d"), lines.get(3));
        assertTrue(lines.get(4).matches("REPLICAT    STOPPED     REP1        00:00:0[23]      00:00:0[0-9]"), lines.get(4));
        assertEquals(6, lines.size());
    }

    @Test
    void errorsAreClear() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Ggsci g = new Ggsci(home, k -> null, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(1, g.execute("frobnicate extract EXT1"));
        assertTrue(buf.toString().startsWith("ERROR: Invalid command: 'frobnicate extract EXT1'. Supported commands:"), buf.toString());
        buf.reset();
        assertEquals(1, g.execute("info extract NOPE"));
        assertEquals("ERROR: EXTRACT NOPE does not exist.\n", buf.toString());
        buf.reset();
        assertEquals(1, g.execute("info nope"));
        assertTrue(buf.toString().startsWith("ERROR: Group NOPE does not exist"), buf.toString());
        buf.reset();
        seed002Checkpoint('G');
        assertEquals(1, g.execute("send extract EXT1, status"));
        assertEquals("ERROR: EXTRACT EXT1 not currently running.\n", buf.toString());
        buf.reset();
        assertEquals(1, g.execute("send ext1, showtrans"));
        assertEquals("ERROR: EXTRACT EXT1 not currently running.\n", buf.toString());
    }

    /**
     * INFO of a running group adds what it waits for, asked over its real control channel; DETAIL lists the output
     * trails and the read source in GoldenGate's shape; SHOWCH n says when no previous checkpoint is kept.
     */
    @Test
    void infoShowsWhatARunningGroupWaitsForAndDetailAndShowchN() throws Exception {
        seed002Checkpoint('G');
        org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext();
        io.redotrail.report.GroupRuntime rt = io.redotrail.report.GroupRuntimes.of(camel, home, "EXT1");
        rt.started("EXTRACT");
        try {
            rt.waiting("Waiting for trail file ./dirdat/ex000000002 (it does not exist yet).");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Ggsci g = new Ggsci(home, k -> null, new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertEquals(0, g.execute("info extract ext1"));
            assertTrue(buf.toString().contains("Status RUNNING") && buf.toString().contains(
                    "Waiting for trail file ./dirdat/ex000000002 (it does not exist yet)."), buf.toString());
            buf.reset();
            assertEquals(0, g.execute("info ext1, detail"));
            String d = buf.toString();
            assertTrue(d.contains("  Target Extract Trails:") && d.contains("Trail Name") && d.contains("Max MB Trail Type"), d);
            ProcessCheckpoint cp = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow();
            WriteCheckpoint w = cp.writes().get(0);
            assertTrue(d.contains(String.format("  %-40s %10d %12d %10d %s", w.trail(), w.position().seqno(), w.position().rba(),
                    w.megabytes(), w.trailType())), d);
            assertTrue(d.contains("Extract Source") && d.contains("Redo thread 1 Seqno " + cp.redoReads().get(0).current().position().sequence()), d);
            assertTrue(d.contains("Checkpoint file      " + CheckpointFile.extractFile(home, "EXT1")), d);
            buf.reset();
            assertEquals(0, g.execute("info ext1, showch 3"));
            assertTrue(buf.toString().contains("(SHOWCH 3: no previous checkpoint is kept in ./dirchk/EXT1.cpe.history)"), buf.toString());
            rt.waiting(null);
            buf.reset();
            assertEquals(0, g.execute("info extract ext1"));
            assertFalse(buf.toString().contains("Waiting for"), buf.toString());
        } finally {
            rt.stopped();
        }
    }

    @Test
    void sendAsksOnlyARunningGroupNotWhateverListensOnALeftOverPort() throws Exception {
        seed002Checkpoint('A');
        // a killed EXT1 left its .ctl; its port now belongs to someone else
        try (java.net.ServerSocket stranger = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(PidFile.controlPathOf(home, "EXT1"), "port=" + stranger.getLocalPort() + "\npid=1\n");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Ggsci g = new Ggsci(home, k -> null, new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertEquals(1, g.execute("send extract EXT1, status"));
            assertEquals("ERROR: EXTRACT EXT1 not currently running.\n", buf.toString());
        }
    }

    private static String sinceUpdate(String text) {
        return text.replaceAll("\\(updated [0-9:]+ ago\\)", "(updated ... ago)");
    }
}
