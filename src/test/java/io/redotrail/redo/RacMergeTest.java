package io.redotrail.redo;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.sim.RedoLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RAC: two redo threads on real files, one idle for long stretches; heartbeats, CLOSED threads, merge order. */
class RacMergeTest {
    @TempDir
    Path home;

    private RedoLogConfig cfg(int thread) {
        return new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), thread, 3, 64 * 1024, "ORCL");
    }

    private static void insert(RedoLogWriter w, long scn) {
        w.append(RedoOp.INSERT, new Xid(w.config().thread(), 1, scn), Scn.of(scn), scn, true, RedoTestData.insert(scn, "r" + scn));
    }

    private ThreadMerger merger() {
        return new ThreadMerger(List.of(new RedoLogReader(cfg(1).redoDir(), cfg(1).archiveDir(), 1, null),
                new RedoLogReader(cfg(2).redoDir(), cfg(2).archiveDir(), 2, null)), Map.of());
    }

    private static List<RedoRecord> drain(ThreadMerger m) {
        List<RedoRecord> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            List<RedoRecord> got = m.next(50);
            if (got.isEmpty()) break;
            out.addAll(got);
        }
        return out;
    }

    private static void assertAscending(List<RedoRecord> out) {
        for (int i = 1; i < out.size(); i++) {
            assertTrue(out.get(i - 1).scn().compareTo(out.get(i).scn()) < 0, "SCN order broken at " + i + ": "
                    + out.get(i - 1).scn() + " then " + out.get(i).scn());
        }
    }

    @Test
    void idleOpenThreadHoldsTheMergeUntilItsHeartbeatThenALateRecordStaysInOrder() {
        try (RedoLogWriter t1 = RedoLogWriter.open(cfg(1)); RedoLogWriter t2 = RedoLogWriter.open(cfg(2));
             ThreadMerger m = merger()) {
            insert(t2, 1);
            t2.flush(true);
            // a long stretch on thread 1 only (several log switches), thread 2 idle and silent
            for (long scn = 2; scn <= 1500; scn++) insert(t1, scn);
            t1.flush(true);
            assertTrue(t1.sequence() > 2);
            List<RedoRecord> out = drain(m);
            // thread 2 is open and said nothing beyond SCN 1: only SCN 1 may be released
            assertEquals(List.of(1L), out.stream().map(r -> r.scn().value()).toList());
            // thread 2's writer heartbeats at the database SCN: everything up to it flows
            assertTrue(t2.heartbeat(Scn.of(1500), 1500));
            assertFalse(t2.heartbeat(Scn.of(1500), 1500), "no second heartbeat at the same SCN");
            t2.flush(true);
            out.addAll(drain(m));
            assertEquals(1500, out.size());
            assertAscending(out);
            // a late record on the idle thread must be above its heartbeat...
            assertThrows(IllegalArgumentException.class, () -> insert(t2, 1500));
            // ...and comes out in order with later thread-1 records around it
            insert(t1, 1501);
            t1.flush(true);
            assertTrue(drain(m).isEmpty(), "1501 must wait: thread 2 may still write 1501..");
            insert(t2, 1502);
            t2.flush(true);
            insert(t1, 1503);
            t1.flush(true);
            t2.heartbeat(Scn.of(1503), 1503);
            t2.flush(true);
            List<RedoRecord> late = drain(m);
            assertEquals(List.of(1501L, 1502L, 1503L), late.stream().map(r -> r.scn().value()).toList());
            assertEquals(List.of(1, 2, 1), late.stream().map(r -> r.position().thread()).toList());
            // heartbeats are never delivered as records
            out.addAll(late);
            assertTrue(out.stream().allMatch(r -> r.op() == RedoOp.INSERT));
        }
    }

    /**
     * Restarted from checkpoints with thread 1 idle after its last record (SCN 20): thread 2's open transaction from
     * SCN 5 is below what thread 1 can still write, so it is released (SHOWTRANS shows it) without waiting for a
     * heartbeat of thread 1; a record above thread 1's checkpoint still waits.
     */
    @Test
    void aRestartedMergeReleasesRecordsBelowAnIdleThreadsCheckpoint() {
        // both writers stay open (instances up, thread 1 idle): a CLOSED thread would not hold the merge at all
        try (RedoLogWriter t1 = RedoLogWriter.open(cfg(1)); RedoLogWriter t2 = RedoLogWriter.open(cfg(2))) {
            for (long scn = 1; scn <= 4; scn++) insert(t2, scn);
            insert(t2, 5); // M: open on thread 2
            t2.flush(true);
            for (long scn = 10; scn <= 20; scn++) insert(t1, scn);
            t1.flush(true);
            insert(t2, 30); // above thread 1's checkpoint: must wait for thread 1
            t2.flush(true);
            RedoPosition t1After;
            RedoPosition mStart;
            try (ThreadMerger all = merger()) {
                List<RedoRecord> read = new ArrayList<>(drain(all));
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L),
                        read.stream().map(r -> r.scn().value()).toList(), "30 waits for idle thread 1");
                t1After = read.get(read.size() - 1).next();
                mStart = read.get(4).position();
            }
            Map<Integer, CheckpointPoint> start = Map.of(1, new CheckpointPoint(t1After, Scn.of(20), 20, "t1"),
                    2, new CheckpointPoint(mStart, Scn.of(5), 5, "t2"));
            try (ThreadMerger again = new ThreadMerger(List.of(
                    new RedoLogReader(cfg(1).redoDir(), cfg(1).archiveDir(), 1, t1After).startedAtScn(20),
                    new RedoLogReader(cfg(2).redoDir(), cfg(2).archiveDir(), 2, mStart).startedAtScn(5)), start)) {
                assertEquals(List.of(5L), drain(again).stream().map(r -> r.scn().value()).toList(),
                        "M's record is released; 30 still waits for thread 1");
            }
            try (ThreadMerger without = new ThreadMerger(List.of(
                    new RedoLogReader(cfg(1).redoDir(), cfg(1).archiveDir(), 1, t1After),
                    new RedoLogReader(cfg(2).redoDir(), cfg(2).archiveDir(), 2, mStart)), start)) {
                assertEquals(List.of(), drain(without), "without the start SCN the idle thread holds M back");
            }
        }
    }

    @Test
    void closedThreadDoesNotBlockAndHeartbeatsSurviveLogSwitchesAndArchives() {
        try (RedoLogWriter t2 = RedoLogWriter.open(cfg(2))) {
            insert(t2, 1);
        } // closed: CLOSED in the control file
        ControlFile cf = ControlFile.read(cfg(1).controlFile()).orElseThrow();
        assertFalse(cf.threads.get(2).open);
        try (RedoLogWriter t1 = RedoLogWriter.open(cfg(1)); ThreadMerger m = merger()) {
            for (long scn = 2; scn <= 800; scn++) insert(t1, scn);
            t1.flush(true);
            List<RedoRecord> out = drain(m);
            assertEquals(800, out.size());
            assertAscending(out);
        }
        // reopening thread 2 marks it OPEN again; its next records continue above the database SCN
        try (RedoLogWriter t2 = RedoLogWriter.open(cfg(2))) {
            assertTrue(ControlFile.read(cfg(2).controlFile()).orElseThrow().threads.get(2).open);
            t2.heartbeat(Scn.of(800), 800);
            t2.switchLogFile(); // the heartbeat ends up in an archived log
            insert(t2, 801);
            t2.flush(true);
        }
        try (ThreadMerger m = merger()) {
            List<RedoRecord> out = drain(m);
            assertEquals(801, out.size());
            assertAscending(out);
        }
    }

    @Test
    void manyInterleavedTransactionsWithHeartbeatsMergeInScnOrderWhileBeingWritten() {
        try (RedoLogWriter t1 = RedoLogWriter.open(cfg(1)); RedoLogWriter t2 = RedoLogWriter.open(cfg(2));
             ThreadMerger m = merger()) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            List<RedoRecord> out = new ArrayList<>();
            long scn = 0;
            for (int round = 0; round < 40; round++) {
                // bursts: thread 2 idle for whole rounds at times
                boolean t2Idle = round % 5 < 2;
                for (int i = 0; i < 60; i++) insert(!t2Idle && rnd.nextBoolean() ? t2 : t1, ++scn);
                // the sink's flush: heartbeat for whoever is behind, then flush both, in either order
                t1.heartbeat(Scn.of(scn), scn);
                t2.heartbeat(Scn.of(scn), scn);
                if (rnd.nextBoolean()) {
                    t1.flush(true);
                    out.addAll(m.next(25)); // the reader may look between the two flushes
                    t2.flush(true);
                } else {
                    t2.flush(true);
                    out.addAll(m.next(25));
                    t1.flush(true);
                }
                out.addAll(m.next(rnd.nextInt(1, 200)));
            }
            out.addAll(drain(m));
            assertEquals(scn, out.size());
            assertAscending(out);
        }
    }
}
