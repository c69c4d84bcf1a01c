package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.Heartbeat;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.redo.ThreadMerger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source's heartbeat job on real redo files (two RAC threads) and a real H2 source: nothing without the seed
 * table, one committed transaction per thread per beat on that thread's log (an INSERT the first time, then an
 * UPDATE whose before image is the previous beat), the seed rows in the database, and no beat while a workload holds
 * the redo's writer lock.
 */
class SourceHeartbeatTest {
    @TempDir
    Path home;

    private RedoLogConfig cfg(int thread) {
        return RedoLogConfig.defaults(home, thread, "ORCL").withLogSize(4L * 1024 * 1024);
    }

    @Test
    void oneTransactionPerThreadThroughTheRedoThenTheDatabase() throws Exception {
        SimulatedClock clock = SimulatedClock.of(home);
        assertEquals(SourceHeartbeat.Beat.NO_SEED_TABLE, SourceHeartbeat.beat(home, 2, this::cfg, clock));
        assertTrue(SourceHeartbeat.createSeed(home));
        assertFalse(SourceHeartbeat.createSeed(home));
        LocalDateTime first = Heartbeat.utc(clock.millis());
        assertEquals(SourceHeartbeat.Beat.WRITTEN, SourceHeartbeat.beat(home, 2, this::cfg, clock));
        clock.advance(java.time.Duration.ofSeconds(60));
        assertEquals(SourceHeartbeat.Beat.WRITTEN, SourceHeartbeat.beat(home, 2, this::cfg, clock));

        List<RedoRecord> redo = readMerged();
        List<RedoRecord> changes = redo.stream().filter(r -> r.change() != null).toList();
        assertEquals(4, changes.size(), "two beats of two threads: " + redo);
        assertEquals(4, redo.stream().filter(r -> r.op() == RedoOp.COMMIT).count());
        for (RedoRecord r : changes) {
            assertEquals(Heartbeat.SEED, r.change().table());
            assertEquals((long) r.position().thread(), r.change().after().get(Heartbeat.REDO_THREAD), "a thread's row on its own log");
        }
        RedoRecord insert = changes.get(0), update = changes.get(3);
        assertEquals(ChangeOp.INSERT, insert.change().op());
        assertEquals(ChangeOp.UPDATE, update.change().op());
        assertEquals(first, update.change().before().get(Heartbeat.HEARTBEAT_TIMESTAMP));
        assertEquals(first.plusSeconds(60), update.change().after().get(Heartbeat.HEARTBEAT_TIMESTAMP));
        assertNull(update.change().after().get(Heartbeat.INCOMING_EXTRACT)); // stamped by the Extract, not the source

        try (Connection c = DriverManager.getConnection(SourceDatabase.jdbcUrl(home), "sa", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT REDO_THREAD, HEARTBEAT_TIMESTAMP FROM " + Heartbeat.SEED + " ORDER BY 1")) {
            for (int t = 1; t <= 2; t++) {
                assertTrue(rs.next());
                assertEquals(t, rs.getInt(1));
                assertEquals(first.plusSeconds(60), rs.getObject(2, LocalDateTime.class));
            }
        }
    }

    @Test
    void noBeatWhileAWorkloadHoldsTheRedo() throws Exception {
        SimulatedClock clock = SimulatedClock.of(home);
        SourceHeartbeat.createSeed(home);
        try (RedoLogSink workload = RedoLogSink.open(1, this::cfg, clock, t -> true)) {
            assertEquals(SourceHeartbeat.Beat.BUSY, SourceHeartbeat.beat(home, 1, this::cfg, clock));
        }
        assertEquals(SourceHeartbeat.Beat.WRITTEN, SourceHeartbeat.beat(home, 1, this::cfg, clock));
        assertEquals(1, readMerged().stream().filter(r -> r.change() != null).count());
    }

    private List<RedoRecord> readMerged() {
        int threads = (int) java.util.stream.IntStream.rangeClosed(1, 2)
                .filter(t -> java.nio.file.Files.exists(cfg(t).onlineLog(1))).count();
        List<RedoLogReader> readers = new ArrayList<>();
        for (int t = 1; t <= threads; t++) readers.add(new RedoLogReader(home.resolve("redo"), home.resolve("arch"), t, null));
        List<RedoRecord> out = new ArrayList<>();
        try (ThreadMerger m = new ThreadMerger(readers, Map.of())) {
            List<RedoRecord> got;
            while (!(got = m.next(1000)).isEmpty()) out.addAll(got);
        }
        return out;
    }

}
