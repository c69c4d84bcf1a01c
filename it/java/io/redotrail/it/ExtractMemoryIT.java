package io.redotrail.it;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.core.BinaryReader;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoOp;
import io.redotrail.sim.RedoLogWriter;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItJvms.startRunJvm;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 4: heap use must not grow with transaction size. A 10-million-row transaction stays open while about
 * 1,000 small transactions are open at any moment around it; the extract runs alone in its own JVM with
 * {@code -Xmx256m} (exiting on OutOfMemoryError) and must write every transaction to the trail whole, in
 * commit order. The trail is checked by streaming its records, never holding the big transaction.
 * {@code -Dit.bigTx.rows=N} scales the big transaction down for a quick local run.
 */
class ExtractMemoryIT {
    private static final long BIG_ROWS = Long.getLong("it.bigTx.rows", 10_000_000L);
    private static final int SMALL_OPEN = 1_000;

    @TempDir
    Path home;

    private long scn = 1_000;
    private int nextSqn = 1;

    private static RowChange insert(String table, long id) {
        return new RowChange(table, ChangeOp.INSERT, null, new RowImage(new String[]{"OBJECT_ID", "OBJECT_NAME"},
                new Object[]{id, "OBJ_" + id}));
    }

    @Test
    void aTenMillionRowTransactionPassesThroughA256MbExtract() throws Exception {
        Xid big = new Xid(10, 16, 1533);
        Map<Xid, Long> expected = new HashMap<>();
        long bigCsn;
        long lastCsn;
        long t0 = System.nanoTime();
        try (RedoLogWriter w = RedoLogWriter.open(RedoLogConfig.defaults(home, 1, "ORCL").withLogSize(512L << 20))) {
            Deque<Xid> small = new ArrayDeque<>();
            long id = 0;
            for (int i = 0; i < SMALL_OPEN; i++) small.add(beginSmall(w, ++id));
            w.append(RedoOp.INSERT, big, Scn.of(++scn), System.currentTimeMillis(), true, insert("MYOBJECTS.BIG", 0));
            for (long r = 1; r < BIG_ROWS; r++) {
                w.append(RedoOp.INSERT, big, Scn.of(++scn), 0, false, insert("MYOBJECTS.BIG", r));
                if (r % 10_000 == 0) { // one small transaction commits, another begins: ~1,000 stay open
                    Xid done = small.poll();
                    w.append(RedoOp.COMMIT, done, Scn.of(++scn), System.currentTimeMillis(), false, null);
                    expected.put(done, 1L);
                    small.add(beginSmall(w, ++id));
                }
            }
            w.append(RedoOp.COMMIT, big, Scn.of(++scn), System.currentTimeMillis(), false, null);
            bigCsn = scn;
            expected.put(big, BIG_ROWS);
            for (Xid x : small) {
                w.append(RedoOp.COMMIT, x, Scn.of(++scn), System.currentTimeMillis(), false, null);
                expected.put(x, 1L);
            }
            lastCsn = scn;
            w.flush(true);
        }
        System.out.printf("redo written: %,d records in %.1f s%n", scn - 1000, (System.nanoTime() - t0) / 1e9);

        Path log = PROJECT.resolve("target/it-logs/ExtractMemoryIT-run.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Process extract = startRunJvm(home, log, List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                "camel.main.routes-include-pattern=file:routes/extract.yaml");
        long t1 = System.nanoTime();
        CheckpointFile cpe = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1"));
        await("the extract to write CSN " + lastCsn + " to the trail", Duration.ofMinutes(15), () -> {
            assertTrue(extract.isAlive(), "extract JVM died (exit " + (extract.isAlive() ? "" : extract.exitValue())
                    + ", OutOfMemoryError?); see " + log);
            return writtenCsn(cpe) >= lastCsn;
        }, () -> "trail at CSN " + writtenCsn(cpe));
        System.out.printf("extract -Xmx256m: %,d row changes in %.1f s%n", BIG_ROWS + expected.size() - 1,
                (System.nanoTime() - t1) / 1e9);
        extract.destroy();
        assertTrue(extract.waitFor(60, TimeUnit.SECONDS), "extract did not stop on SIGTERM");
        assertFalse(Files.readString(log).contains("OutOfMemoryError"), "OutOfMemoryError in " + log);
        assertTrue(Files.exists(home.resolve("dirtmp")), "the cache spilled to dirtmp/");

        // stream the trail: every transaction whole, once, in CSN order; the big one with all its rows
        Map<Xid, Long> seen = new HashMap<>();
        long prevCsn = 0;
        Xid open = null;
        long rows = 0;
        Path trail = home.resolve("dirdat").resolve("ex");
        for (long seqno : TrailFormat.seqnos(trail)) {
            Path f = TrailFormat.fileOf(trail, seqno);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 20))) {
                long pos = 0;
                while (true) {
                    int len;
                    try {
                        len = in.readInt();
                    } catch (EOFException e) {
                        break;
                    }
                    byte[] body = new byte[len];
                    in.readFully(body);
                    in.readInt(); // CRC: the reader classes verify it; here we count
                    if (body[0] == TrailFormat.TYPE_ROW) {
                        RowRecords.Row row = RowRecords.read(new BinaryReader(body, 1, len - 1, f, pos + 5));
                        if (open == null) {
                            assertTrue(row.csn() > prevCsn, "CSN order at " + f + " RBA " + pos);
                            open = row.xid();
                            rows = 0;
                        }
                        assertEquals(open, row.xid(), "records of two transactions interleave at " + f + " RBA " + pos);
                        rows++;
                        if (row.transInd() == TrailFormat.TRANS_END || row.transInd() == TrailFormat.TRANS_WHOLE) {
                            assertNull(seen.put(open, rows), "transaction " + open + " written twice");
                            prevCsn = row.csn();
                            open = null;
                        }
                    }
                    pos += 8 + len;
                }
            }
        }
        assertNull(open, "the trail ends inside transaction " + open);
        assertEquals(expected, seen, "every committed transaction whole in the trail");
        assertEquals(BIG_ROWS, seen.get(big));
        assertTrue(bigCsn < lastCsn);
    }

    private Xid beginSmall(RedoLogWriter w, long id) {
        Xid x = new Xid(20, 1, nextSqn++);
        w.append(RedoOp.INSERT, x, Scn.of(++scn), System.currentTimeMillis(), true, insert("MYOBJECTS.SMALL", id));
        return x;
    }

    private static long writtenCsn(CheckpointFile cpe) {
        try {
            return cpe.read().map(ProcessCheckpoint::writes).filter(l -> !l.isEmpty())
                    .map(l -> l.get(0).lastCsn().value()).orElse(0L);
        } catch (RuntimeException e) {
            return 0; // being replaced right now
        }
    }

}
