package io.redotrail.extract.br;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class BrStoreTest {
    @TempDir
    Path home;

    private static final Xid LONG = new Xid(10, 16, 1533);

    private static RowChange row(long id) {
        return new RowChange("MYOBJECTS.T", ChangeOp.INSERT, null,
                new RowImage(new String[]{"OBJECT_ID", "OBJECT_NAME"}, new Object[]{id, "OBJ$" + id}));
    }

    private static CheckpointPoint at(long seq, long rba, long scn) {
        return new CheckpointPoint(new RedoPosition(1, seq, rba), Scn.of(scn), 1_403_345_414_000L, "redo03.log");
    }

    private static Iterator<RowChange> rows(long from, long to) {
        List<RowChange> l = new ArrayList<>();
        for (long i = from; i < to; i++) l.add(row(i));
        return l.iterator();
    }

    private Path dir() {
        return home.resolve("BR").resolve("EXT1");
    }

    @Test
    void incrementalCheckpointsRestoreEveryChangeAndRetireOldFiles() throws Exception {
        BrStore s = new BrStore(dir(), "EXT1", false);
        PersistedTransaction p1 = s.persist(LONG, 1, at(14878, 116752, 9137521), 0, 0, rows(0, 40_000));
        s.checkpoint(1L, Scn.of(9138000), at(14878, 116752, 9137521), Map.of(1, at(14881, 139776, 9138688)),
                Map.of(1, at(14881, 139776, 9138688)), List.of(p1));
        PersistedTransaction p2 = s.persist(LONG, 1, p1.start(), p1.changes(), p1.bytes(), rows(40_000, 75_372));
        BrCheckpoint cp2 = s.checkpoint(2L, Scn.of(9139000), p1.start(), Map.of(1, at(14885, 145408, 9139983)),
                Map.of(1, at(14885, 144912, 9139983)), List.of(p2));
        assertEquals(2, cp2.number());
        assertTrue(Files.exists(dir().resolve("CP.EXT1.000000002")));
        assertFalse(Files.exists(dir().resolve("CP.EXT1.000000001")), "stale checkpoint deleted once the next is durable");

        BrStore reopened = new BrStore(dir(), "EXT1", false);
        BrCheckpoint cp = reopened.load().orElseThrow();
        assertEquals(cp2, cp);
        PersistedTransaction back = cp.persisted().get(0);
        assertEquals(75_372, back.changes());
        Iterator<RowChange> it = reopened.changes(back);
        for (long i = 0; i < 75_372; i++) assertEquals(row(i), it.next());
        assertFalse(it.hasNext());
    }

    @Test
    void bytesAppendedAfterTheLastCheckpointAreIgnoredAndCut() throws Exception {
        BrStore s = new BrStore(dir(), "EXT1", false);
        PersistedTransaction p = s.persist(LONG, 1, at(1, 512, 10), 0, 0, rows(0, 100));
        s.checkpoint(1L, Scn.ZERO, p.start(), Map.of(1, at(2, 512, 20)), Map.of(1, at(2, 512, 20)), List.of(p));
        s.persist(LONG, 1, p.start(), p.changes(), p.bytes(), rows(100, 200)); // crash before the next checkpoint
        BrStore again = new BrStore(dir(), "EXT1", false);
        PersistedTransaction back = again.load().orElseThrow().persisted().get(0);
        assertEquals(100, back.changes());
        PersistedTransaction more = again.persist(LONG, 1, back.start(), back.changes(), back.bytes(), rows(100, 150));
        assertEquals(150, more.changes());
        Iterator<RowChange> it = again.changes(more);
        for (long i = 0; i < 150; i++) assertEquals(row(i), it.next());
    }

    @Test
    void corruptCheckpointOrObjectFileIsReportedForFallback() throws Exception {
        BrStore s = new BrStore(dir(), "EXT1", false);
        PersistedTransaction p = s.persist(LONG, 1, at(1, 512, 10), 0, 0, rows(0, 10));
        s.checkpoint(1L, Scn.ZERO, p.start(), Map.of(1, at(2, 512, 20)), Map.of(1, at(2, 512, 20)), List.of(p));
        Files.delete(dir().resolve(p.file()));
        BrException e = assertThrows(BrException.class, () -> new BrStore(dir(), "EXT1", false).load());
        assertTrue(e.getMessage().contains("OGG-01580") && e.getMessage().contains("TX.10.16.1533"), e.getMessage());

        Path cp = dir().resolve("CP.EXT1.000000001");
        try (RandomAccessFile raf = new RandomAccessFile(cp.toFile(), "rw")) {
            raf.seek(20);
            raf.write('#');
        }
        e = assertThrows(BrException.class, () -> new BrStore(dir(), "EXT1", false).load());
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    }

    @Test
    void keepStaleMovesRetiredFilesAside() {
        BrStore s = new BrStore(dir(), "EXT1", true);
        PersistedTransaction p = s.persist(LONG, 1, at(1, 512, 10), 0, 0, rows(0, 10));
        s.checkpoint(1L, Scn.ZERO, p.start(), Map.of(1, at(2, 512, 20)), Map.of(1, at(2, 512, 20)), List.of(p));
        s.release(LONG);
        s.checkpoint(2L, Scn.ZERO, null, Map.of(1, at(3, 512, 30)), Map.of(1, at(3, 512, 30)), List.of());
        assertTrue(Files.exists(dir().resolve("stale").resolve("CP.EXT1.000000001")));
        assertTrue(Files.exists(dir().resolve("stale").resolve("TX.10.16.1533")));
        assertFalse(Files.exists(dir().resolve("TX.10.16.1533")));
    }
}
