package io.redotrail.sim;

import io.redotrail.core.Xid;
import io.redotrail.redo.ControlFile;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.redo.ThreadMerger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator on real redo files (two RAC threads) and a real H2 source, with the simulated clock: the merged
 * redo is in SCN order, every transaction stays on one thread, long transactions stay open across other
 * commits, and replaying the committed redo gives the source, 1 MB values, DECIMAL(38,10) and the keyless table
 * included.
 */
class RacWorkloadTest {
    @TempDir
    Path home;

    private RedoLogConfig cfg(int thread) {
        return RedoLogConfig.defaults(home, thread, "ORCL").withLogSize(24L * 1024 * 1024);
    }

    private List<RedoRecord> readMerged(int threads) {
        return ReplayModel.readMerged(home, threads);
    }

    private static List<InMemoryRedoSink.Rec> asRecs(List<RedoRecord> records) {
        return ReplayModel.asRecs(records);
    }

    @Test
    void twoThreadsLongTransactionsLobsAndKeylessTableReplayToTheSource() {
        SimulatedClock clock = SimulatedClock.of(home);
        Instant start = clock.instant();
        WorkloadConfig wc = WorkloadConfig.defaults().withTransactions(160).withSeed(3).withThreads(2)
                .withTables(List.of("POS_USER9.PRODUCT", "YDJK.AUDIT_*")).withMultiTableRatio(0.5)
                .withLongTransactions(0.05, 2_000, 20).withRowsPerSecond(100).withLobRatio(0.03)
                .withSwitchLogEveryRecords(250);
        WorkloadStats stats;
        Map<String, Map<String, io.redotrail.core.RowImage>> source;
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo());
             RedoLogSink sink = new RedoLogSink(List.of(RedoLogWriter.open(cfg(1), clock), RedoLogWriter.open(cfg(2), clock)), t -> true)) {
            stats = new WorkloadGenerator(db, sink, wc, clock).run();
            source = ReplayModel.of(db);
        }
        ControlFile cf = ControlFile.read(cfg(1).controlFile()).orElseThrow();
        assertEquals(Set.of(1, 2), cf.threads.keySet());
        assertFalse(cf.threads.get(1).open || cf.threads.get(2).open, "closed sink closes both threads");
        assertTrue(cf.currentSequence(1) > 1 && cf.currentSequence(2) > 1, "both threads switched logs");

        List<RedoRecord> merged = readMerged(2);
        assertEquals(stats.redoRecords(), merged.size());
        for (int i = 1; i < merged.size(); i++) assertTrue(merged.get(i - 1).scn().compareTo(merged.get(i).scn()) < 0);
        // each transaction on one thread; both threads used
        Map<Xid, Integer> threadOf = new HashMap<>();
        for (RedoRecord r : merged) {
            Integer t = threadOf.putIfAbsent(r.xid(), r.position().thread());
            if (t != null) assertEquals(t, r.position().thread(), "transaction " + r.xid() + " changed threads");
        }
        assertEquals(Set.of(1, 2), Set.copyOf(threadOf.values()));
        // long transactions: some transaction saw >= 20 other commits and >= 2 s of clock time while open
        Map<Xid, Integer> firstAt = new HashMap<>();
        Map<Xid, Long> firstTs = new HashMap<>();
        int commitsSoFar = 0;
        boolean sawLong = false;
        for (int i = 0; i < merged.size(); i++) {
            RedoRecord r = merged.get(i);
            firstAt.putIfAbsent(r.xid(), commitsSoFar);
            firstTs.putIfAbsent(r.xid(), r.timestampMillis());
            if (r.op() == RedoOp.COMMIT) {
                if (commitsSoFar - firstAt.get(r.xid()) >= 20 && r.timestampMillis() - firstTs.get(r.xid()) >= 2_000) sawLong = true;
                commitsSoFar++;
            }
        }
        assertTrue(sawLong, "a long-running transaction");
        // only the chosen tables
        assertTrue(merged.stream().filter(r -> r.change() != null).allMatch(r ->
                r.change().table().equals(SourceSchema.PRODUCT) || r.change().table().equals(SourceSchema.AUDIT_LOG)));
        // simulated time: 100 row changes/s => the clock moved about (changes / 100) seconds
        long changes = stats.committedRowChanges() + stats.rolledBackRowChanges();
        long moved = clock.millis() - start.toEpochMilli();
        assertTrue(moved >= changes * 10 - 10, "clock advanced " + moved + " ms for " + changes + " changes");
        assertTrue(merged.stream().allMatch(r -> r.timestampMillis() >= start.toEpochMilli() && r.timestampMillis() <= clock.millis()));

        // committed redo replays to the source, which H2 stored exactly
        Map<String, Map<String, io.redotrail.core.RowImage>> replayed = new ReplayModel(SourceSchema.demo()).replay(asRecs(merged)).tables;
        assertEquals(replayed, source);
        var products = source.get(SourceSchema.PRODUCT).values();
        assertTrue(products.stream().anyMatch(img -> img.get("SPEC") instanceof String s && s.length() > 1_000_000), "a 1 MB value");
        assertTrue(products.stream().anyMatch(img -> img.get("SPEC") == null), "NULLs");
        assertTrue(products.stream().anyMatch(img -> ((BigDecimal) img.get("PRICE")).precision() >= 30), "full precision");
        assertTrue(products.stream().allMatch(img -> ((BigDecimal) img.get("PRICE")).scale() == 10));
        WorkloadStats.TableStats audit = stats.tables().get(SourceSchema.AUDIT_LOG);
        assertTrue(audit.updates() > 0 && audit.deletes() > 0 && audit.pkUpdates() == 0, "keyless table: " + audit);
        assertFalse(source.get(SourceSchema.AUDIT_LOG).isEmpty());
    }

    @Test
    void unknownTableAndBadThreadCountAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> WorkloadConfig.defaults().withThreads(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkloadConfig.defaults().withLongTransactions(0.1, 0, 0));
        assertTrue(e.getMessage().contains("longTx"), e.getMessage());
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            WorkloadGenerator g = new WorkloadGenerator(db, new InMemoryRedoSink(),
                    WorkloadConfig.defaults().withTables(List.of("HR.EMP")), SimulatedClock.of(home));
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, g::run);
            assertTrue(x.getMessage().contains("HR.EMP"), x.getMessage());
        }
    }

    @Test
    void keylessTableDdlHasNoPrimaryKey() {
        TableDef audit = SourceSchema.demo().table(SourceSchema.AUDIT_LOG);
        assertFalse(audit.hasPrimaryKey());
        assertFalse(audit.createStatement().contains("PRIMARY KEY"), audit.createStatement());
        assertTrue(SourceSchema.demo().table(SourceSchema.PRODUCT).createStatement().contains("VARCHAR(1048576)"));
    }
}
