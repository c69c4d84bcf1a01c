package io.redotrail.redo;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.sim.RedoLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers following a writer that switches logs after every transaction, both on real files in separate Java
 * threads: each switch makes a reused group current while the readers are waiting for exactly that sequence, so
 * they keep opening a log whose header is being written. ScenarioIT's seed002 abended there ("the header of
 * online log group ... is damaged and no archived copy exists"); a log switch in progress is no damage.
 */
class RedoLogSwitchRaceTest {
    private static final int SWITCHES = 300;
    private static final int READERS = 3;

    @TempDir
    Path home;

    @Test
    void readersFollowALogSwitchStormWithoutAbending() throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, RedoFormat.HEADER_SIZE + 4096, 2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        List<List<Long>> got = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            for (int i = 0; i < READERS; i++) {
                List<Long> ids = new ArrayList<>();
                got.add(ids);
                Thread t = new Thread(() -> {
                    try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
                        // spin without sleeping: the window is the few microseconds a switch writes the header
                        while (failure.get() == null) {
                            boolean closed = done.get(); // read before polling: an empty poll after it read everything
                            List<RedoRecord> records = r.poll(100);
                            ids.addAll(RedoTestData.insertedIds(records));
                            if (records.isEmpty() && closed) break;
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, new AssertionError("reader abended after " + ids.size()
                                + " of " + SWITCHES + " log switches: " + e, e));
                    }
                }, "redo-reader-" + i);
                readers.add(t);
                t.start();
            }
            long scn = 10;
            for (long id = 1; id <= SWITCHES && failure.get() == null; id++) {
                Xid xid = new Xid(1, 1, id);
                w.append(RedoOp.INSERT, xid, Scn.of(scn++), 1_000 + id, true, RedoTestData.insert(id, "name " + id));
                w.append(RedoOp.COMMIT, xid, Scn.of(scn++), 1_000 + id, false, null);
                w.flush(false);
                w.switchLogFile();
            }
        } finally {
            done.set(true);
            for (Thread t : readers) t.join();
        }
        if (failure.get() != null) throw new AssertionError(failure.get().getMessage(), failure.get());
        for (List<Long> ids : got) assertEquals(LongStream.rangeClosed(1, SWITCHES).boxed().toList(), ids);
    }

    /** Sequence 2 current in group 2, its header cut to {@code headerBytes}, its recorded size set to {@code size}. */
    private RedoLogConfig switchedThenCut(int headerBytes, long size) throws Exception {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            RedoTestData.writeTransactions(w, 1, 3, 100);
            w.switchLogFile();
        }
        try (FileChannel ch = FileChannel.open(cfg.onlineLog(2), StandardOpenOption.WRITE)) {
            ch.truncate(headerBytes);
        }
        ControlFile.update(cfg.controlFile(), "ORCL", c -> c.log(1, 2).size = size);
        return cfg;
    }

    @Test
    void aHeaderTheControlFileDoesNotRecordAsDurableIsASwitchInProgress() throws Exception {
        // the writer stopped between steps 4 and 5 of a switch, mid-header: wait, then read what its recovery writes
        RedoLogConfig cfg = switchedThenCut(RedoFormat.HEADER_SIZE - 100, 0);
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            assertEquals(List.of(1L, 2L, 3L), RedoTestData.insertedIds(RedoTestData.drain(r)));
            assertTrue(r.poll(10).isEmpty(), "a switch in progress is waited on");
            try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
                assertEquals(2, w.sequence());
                assertEquals(RedoFormat.HEADER_SIZE, ControlFile.read(cfg.controlFile()).orElseThrow().log(1, 2).size);
                RedoTestData.writeTransactions(w, 4, 1, 200);
            }
            assertEquals(List.of(4L), RedoTestData.insertedIds(RedoTestData.drain(r)));
        }
    }

    @Test
    void aBadHeaderTheControlFileRecordsAsDurableIsDamage() throws Exception {
        RedoLogConfig cfg = switchedThenCut(RedoFormat.HEADER_SIZE, RedoFormat.HEADER_SIZE);
        try (RandomAccessFile f = new RandomAccessFile(cfg.onlineLog(2).toFile(), "rw")) {
            f.seek(9);
            f.write(f.read() ^ 0x10);
        }
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, new RedoPosition(1, 2, RedoFormat.HEADER_SIZE))) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> r.poll(10));
            assertEquals(cfg.onlineLog(2), e.file());
            assertTrue(e.getMessage().contains("the header of online log group 2 (thread 1 sequence 2) is damaged and no archived copy exists"),
                    e.getMessage());
        }
    }
}
