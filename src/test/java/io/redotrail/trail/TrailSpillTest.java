package io.redotrail.trail;

import io.redotrail.core.RowChange;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.pump.TableFilter;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.redotrail.trail.TrailTestData.tx;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A trail reader with a spill directory keeps a transaction larger than spillRows on disk while it is read
 * and delivers it as a streamed list with every row in order; smaller ones stay in memory; an incomplete
 * transaction dropped by the reader takes its spill file with it; a delivered one keeps its file after the reader
 * is closed until it is unreachable, and a later reader of the same transaction spills under names of its own; the
 * pump's TABLE filter filters a streamed transaction without copying it.
 */
class TrailSpillTest {
    @TempDir
    Path home;

    @Test
    void largeTransactionsSpillAndStreamInOrderSmallOnesStayInMemory() throws Exception {
        Path trail = home.resolve("dirdat/ha");
        Transaction big = tx(1, 1234);
        Transaction small = tx(2, 3);
        try (TrailWriter w = TrailWriter.open(trail, "PUMP1", 1 << 30)) {
            w.append(List.of(big, small));
        }
        Path spill = home.resolve("dirtmp/REP1");
        Files.createDirectories(spill);
        Files.writeString(spill.resolve("trail-0-9-9.spill"), "left by a crashed reader");
        Files.writeString(spill.resolve("EXT1-not-mine.spill"), "someone else's");
        TrailReader.clearSpill(spill);
        assertFalse(Files.exists(spill.resolve("trail-0-9-9.spill")), "leftovers of a reader are cleared at start");
        assertTrue(Files.exists(spill.resolve("EXT1-not-mine.spill")), "only the reader's own files");

        try (TrailReader r = new TrailReader(trail, TrailPosition.START, spill, 100)) {
            List<Transaction> got = r.poll(10);
            assertEquals(1, got.size(), "a transaction larger than maxOps comes alone");
            Transaction b = got.get(0);
            assertInstanceOf(StreamedChanges.class, b.changes(), "spilled, delivered as a stream");
            assertEquals(1234, b.size());
            assertEquals(big.changes(), new ArrayList<>(b.changes()), "every row, in order");
            assertEquals(big.changes(), new ArrayList<>(b.changes()), "and again: iterating twice reads the file twice");
            try (var files = Files.list(spill)) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("trail-")).count());
            }
            Transaction s = r.poll(10).get(0);
            assertFalse(s.changes() instanceof StreamedChanges, "small transactions stay in memory");
            assertEquals(small.changes(), s.changes());

            // the pump passes a streamed transaction whose rows are all selected as it is, drops one with none
            TableFilter f = new TableFilter();
            f.setTables("HR.*");
            Exchange e = new DefaultExchange(new DefaultCamelContext());
            e.getMessage().setBody(List.of(b));
            f.process(e);
            Transaction kept = (Transaction) ((List<?>) e.getMessage().getBody()).get(0);
            assertSame(b, kept, "all rows selected: the transaction as it is");
            f.setTables("OTHER.*");
            e.getMessage().setBody(List.of(b));
            f.process(e);
            assertTrue(((List<?>) e.getMessage().getBody()).isEmpty(), "no row selected: dropped");
        }
    }

    @Test
    void anIncompleteTransactionTakesItsSpillFileWithIt() throws Exception {
        Path full = home.resolve("dirdat/ha");
        try (TrailWriter w = TrailWriter.open(full, "PUMP1", 1 << 30)) {
            w.append(List.of(tx(1, 1000)));
        }
        // the same bytes cut in the middle of the transaction: a writer still appending it
        Path cut = home.resolve("dirdat/hb");
        byte[] bytes = Files.readAllBytes(TrailFormat.fileOf(full, 0));
        Files.write(TrailFormat.fileOf(cut, 0), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path spill = home.resolve("dirtmp/REP1");
        try (TrailReader r = new TrailReader(cut, TrailPosition.START, spill, 100)) {
            assertTrue(r.poll(10).isEmpty(), "half a transaction is never delivered");
            try (var files = Files.list(spill)) {
                assertEquals(1, files.count(), "but what was read of it is spilled");
            }
        }
        try (var files = Files.list(spill)) {
            assertEquals(0, files.count(), "closing the reader drops the incomplete transaction and its spill file");
        }
    }

    @Test
    void aDeliveredTransactionOutlivesItsReaderAndALaterReaderSpillsUnderItsOwnNames() throws Exception {
        Path trail = home.resolve("dirdat/ha");
        Transaction big = tx(1, 500);
        try (TrailWriter w = TrailWriter.open(trail, "PUMP1", 1 << 30)) {
            w.append(List.of(big));
        }
        Path spill = home.resolve("dirtmp/REP1");
        Transaction first;
        try (TrailReader r = new TrailReader(trail, TrailPosition.START, spill, 100)) {
            first = r.poll(10).get(0);
        }
        List<Path> firstFiles = spillFiles(spill);
        assertEquals(1, firstFiles.size(), "the delivered transaction keeps its file after its reader is closed");
        assertEquals(big.changes(), new ArrayList<>(first.changes()),
                "and is read after it (a Replicat commits, and may replay, its open group after the reader closed)");

        // a restart from an older checkpoint reads the same transaction again into the same directory
        Transaction again;
        try (TrailReader r = new TrailReader(trail, TrailPosition.START, spill, 100)) {
            again = r.poll(10).get(0);
        }
        List<Path> files = spillFiles(spill);
        assertEquals(2, files.size(), "each reader spills under names of its own: " + files);
        Path firstFile = firstFiles.get(0);
        Path againFile = files.stream().filter(f -> !f.equals(firstFile)).findFirst().orElseThrow();

        // once unreachable the first transaction's file is deleted (on the Cleaner thread); the second's stays
        first = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (Files.exists(firstFile) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertFalse(Files.exists(firstFile), "an unreachable delivered transaction's spill file is deleted");
        assertTrue(Files.exists(againFile), "not the file of the same transaction read again by a later reader");
        assertEquals(big.changes(), new ArrayList<>(again.changes()), "which still streams every row");
    }

    private static List<Path> spillFiles(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("trail-")).sorted().toList();
        }
    }

    @Test
    void streamedTransactionIsFilteredWithoutCopying() throws Exception {
        Path trail = home.resolve("dirdat/ex");
        List<RowChange> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            RowChange c = TrailTestData.insert(i, "r" + i);
            rows.add(i % 3 == 0 ? new RowChange("SCRATCH.NOTE", c.op(), null, c.after()) : c);
        }
        Transaction t = new Transaction(tx(5, 1).xid(), tx(5, 1).csn(), 1L, 1, rows, null);
        try (TrailWriter w = TrailWriter.open(trail, "EXT1", 1 << 30)) {
            w.append(List.of(t));
        }
        try (TrailReader r = new TrailReader(trail, TrailPosition.START, home.resolve("dirtmp/PUMP1"), 50)) {
            Transaction b = r.poll(10).get(0);
            TableFilter f = new TableFilter();
            f.setTables("HR.*");
            Exchange e = new DefaultExchange(new DefaultCamelContext());
            e.getMessage().setBody(List.of(b));
            f.process(e);
            Transaction kept = (Transaction) ((List<?>) e.getMessage().getBody()).get(0);
            assertInstanceOf(StreamedChanges.class, kept.changes(), "still streamed");
            assertEquals(200, kept.size());
            assertEquals(rows.stream().filter(c -> c.table().equals("HR.EMP")).toList(), new ArrayList<>(kept.changes()));
            assertEquals(200, f.keptOps());
            assertEquals(100, f.droppedOps());
        }
    }
}
