package io.redotrail.core.spill;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ChangeBufferTest {
    @TempDir
    Path dir;

    private static RowChange change(long id) {
        String[] cols = {"ID", "NAME", "AMOUNT"};
        RowImage after = new RowImage(cols, new Object[]{id, "名前-" + id, new BigDecimal("12345678901234567890.1234567890")});
        if (id % 3 == 0) {
            return new RowChange("YDJK.ACCOUNT", ChangeOp.UPDATE, new RowImage(cols, new Object[]{id, null, BigDecimal.ONE}), after);
        }
        return new RowChange("YDJK.ACCOUNT", ChangeOp.INSERT, null, after);
    }

    @Test
    void spilledChangesStreamBackInOrderAfterTheInMemoryOnes() {
        ChangeBuffer b = new ChangeBuffer(dir.resolve("1.2.3.spill"));
        List<RowChange> expected = new ArrayList<>();
        for (long i = 0; i < 5000; i++) {
            RowChange c = change(i);
            expected.add(c);
            b.add(c, 300);
            if (i == 1999 || i == 3999) assertTrue(b.spill() > 0);
        }
        assertTrue(b.spilled());
        assertEquals(300L * 1000, b.memoryBytes(), "only the last 1000 are on the heap");
        List<RowChange> got = b.changes();
        assertInstanceOf(StreamedChanges.class, got);
        assertEquals(5000, got.size());
        assertEquals(expected, new ArrayList<>(got));
        Iterator<RowChange> from = b.changesFrom(4990);
        for (int i = 4990; i < 5000; i++) assertEquals(expected.get(i), from.next());
        assertFalse(from.hasNext());
        b.discard();
        assertFalse(Files.exists(dir.resolve("1.2.3.spill")));
    }

    @Test
    void aStreamedTransactionGoesThroughTheTrailWholeAndInOrder() {
        ChangeBuffer b = new ChangeBuffer(dir.resolve("tx.spill"));
        int n = 60_000; // about 5 MB of records: several writer chunks
        for (long i = 0; i < n; i++) {
            b.add(change(i), 300);
            if (i % 10_000 == 9_999) b.spill();
        }
        Transaction big = new Transaction(new Xid(10, 16, 1533), Scn.of(9_137_612), 1L, 1, b.changes(), null);
        Transaction small = new Transaction(new Xid(1, 1, 1), Scn.of(9_137_700), 2L, 1, List.of(change(7)), null);
        Path trail = dir.resolve("dirdat").resolve("ex");
        try (TrailWriter w = TrailWriter.open(trail, "EXT1", 2L << 20)) {
            w.append(List.of(small.withChanges(List.of(change(1)))));
            w.append(List.of(big, small));
            assertEquals(Scn.of(9_137_700), w.lastCsn());
        }
        List<Transaction> read = new ArrayList<>();
        try (TrailReader r = new TrailReader(trail, TrailPosition.START)) {
            List<Transaction> batch;
            while (!(batch = r.poll(100_000)).isEmpty()) read.addAll(batch);
        }
        assertEquals(3, read.size());
        Transaction back = read.get(1);
        assertEquals(big.xid(), back.xid());
        assertEquals(n, back.size());
        Iterator<RowChange> orig = big.changes().iterator();
        for (RowChange c : back.changes()) assertEquals(orig.next(), c);
        assertEquals(1, back.trailStart().seqno(), "a streamed transaction starts a new file");
    }

    @Test
    void aDamagedFrameIsReportedWithFileAndOffset() throws Exception {
        Path p = dir.resolve("bad.spill");
        long len;
        try (ChangeFile f = ChangeFile.open(p, 0, 0)) {
            for (int i = 0; i < 10; i++) f.append(change(i));
            len = f.flush(true);
        }
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.seek(len / 2);
            raf.write(raf.read() ^ 0x5A);
        }
        Iterator<RowChange> it = ChangeFile.read(p, len, 10);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> {
            while (it.hasNext()) it.next();
        });
        assertTrue(e.getMessage().contains("bad.spill"), e.getMessage());
        assertTrue(e.position() > 0 && e.position() <= len / 2, "offset " + e.position());
    }
}
