package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class WorkloadGeneratorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T08:30:00.123Z"), ZoneOffset.UTC);
    private static final WorkloadConfig CONFIG = WorkloadConfig.defaults().withTransactions(400).withSeed(42)
            .withRollbackRatio(0.1).withPkUpdateRatio(0.05);

    @TempDir
    Path tmp;

    private Run run(Path home, InMemoryRedoSink sink, WorkloadConfig config) {
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            WorkloadStats stats = new WorkloadGenerator(db, sink, config, CLOCK).run();
            return new Run(stats, ReplayModel.of(db));
        }
    }

    private record Run(WorkloadStats stats, Map<String, Map<String, RowImage>> source) {
    }

    @Test
    void sameSeedGivesTheSameChangeStream() {
        InMemoryRedoSink a = new InMemoryRedoSink();
        InMemoryRedoSink b = new InMemoryRedoSink();
        run(tmp.resolve("a"), a, CONFIG);
        run(tmp.resolve("b"), b, CONFIG);
        assertEquals(a.records.size(), b.records.size());
        for (int i = 0; i < a.records.size(); i++) {
            assertEquals(a.records.get(i), b.records.get(i), "record " + i);
        }
        InMemoryRedoSink c = new InMemoryRedoSink();
        run(tmp.resolve("c"), c, CONFIG.withSeed(43));
        assertNotEquals(a.records, c.records, "another seed gives another stream");
    }

    @Test
    void sourceEqualsReplayOfCommittedRedoAndRollbacksLeaveNoTrace() {
        InMemoryRedoSink sink = new InMemoryRedoSink();
        Run run = run(tmp, sink, CONFIG);
        WorkloadStats s = run.stats();
        assertEquals(400, s.committedTransactions() + s.rolledBackTransactions());
        assertTrue(s.rolledBackTransactions() > 10, "some rollbacks: " + s);
        assertEquals(sink.records.size(), sink.flushedRecords, "everything flushed at the end");
        assertEquals(s.redoRecords(), sink.records.size());

        Map<String, Map<String, RowImage>> replayed = new ReplayModel(SourceSchema.demo()).replay(sink.records).tables;
        assertEquals(replayed, run.source());

        // each rolled-back insert's key is absent, each rolled-back change is not the current row
        Set<Xid> rolledBack = new HashSet<>();
        sink.records.stream().filter(r -> r.type() == RedoOp.ROLLBACK).forEach(r -> rolledBack.add(r.xid()));
        int checked = 0;
        for (InMemoryRedoSink.Rec r : sink.records) {
            if (!rolledBack.contains(r.xid()) || r.change() == null || r.change().after() == null) continue;
            TableDef t = SourceSchema.demo().table(r.change().table());
            RowImage now = run.source().get(t.name()).get(ReplayModel.key(t, r.change().after()));
            if (r.change().op() == ChangeOp.INSERT || r.change().op() == ChangeOp.PK_UPDATE) {
                assertNull(now, "rolled-back " + r.change().op() + " reached the source: " + r.change().after());
            }
            checked++;
        }
        assertTrue(checked > 0, "rolled-back changes with after images exist");

        // per-table stats add up
        long perTable = s.tables().values().stream().mapToLong(WorkloadStats.TableStats::committed).sum();
        assertEquals(s.committedRowChanges(), perTable);
        long rolledRows = s.tables().values().stream().mapToLong(WorkloadStats.TableStats::rolledBack).sum();
        assertEquals(s.rolledBackRowChanges(), rolledRows);
        assertTrue(s.tables().values().stream().allMatch(t -> t.inserts() > 0 && t.updates() > 0 && t.deletes() > 0),
                "every table gets inserts, updates and deletes: " + s);
        assertTrue(s.tables().values().stream().mapToLong(WorkloadStats.TableStats::pkUpdates).sum() > 0);
    }

    @Test
    void transactionsInterleaveAndRespectRowLocks() {
        InMemoryRedoSink sink = new InMemoryRedoSink();
        run(tmp, sink, CONFIG);
        Map<Xid, Set<String>> open = new HashMap<>();
        Map<String, Xid> lockedBy = new HashMap<>();
        Set<Xid> seen = new HashSet<>();
        int maxOpen = 0;
        int interleavings = 0;
        Xid previous = null;
        for (InMemoryRedoSink.Rec r : sink.records) {
            if (r.first()) {
                assertTrue(seen.add(r.xid()), "XID reused: " + r.xid());
                assertFalse(open.containsKey(r.xid()));
                open.put(r.xid(), new HashSet<>());
            } else {
                assertTrue(open.containsKey(r.xid()), "record of a transaction that is not open: " + r);
            }
            if (previous != null && !previous.equals(r.xid()) && open.containsKey(previous) && !r.type().endsTransaction()) {
                interleavings++; // switched to another transaction while the previous one is still open
            }
            maxOpen = Math.max(maxOpen, open.size());
            if (r.type().endsTransaction()) {
                open.remove(r.xid()).forEach(lockedBy::remove);
            } else {
                for (String row : rowsOf(r.change())) {
                    Xid holder = lockedBy.putIfAbsent(row, r.xid());
                    if (holder != null && !holder.equals(r.xid())) {
                        fail(r.xid() + " touched " + row + " locked by open transaction " + holder);
                    }
                    open.get(r.xid()).add(row);
                }
            }
            previous = r.xid();
        }
        assertTrue(open.isEmpty(), "all transactions ended: " + open.keySet());
        assertTrue(maxOpen >= 2 && maxOpen <= CONFIG.maxOpenTransactions(), "open at once: " + maxOpen);
        assertTrue(interleavings > 50, "interleavings: " + interleavings);
    }

    private static List<String> rowsOf(RowChange c) {
        TableDef t = SourceSchema.demo().table(c.table());
        List<String> rows = new ArrayList<>();
        if (c.before() != null) rows.add(t.name() + ReplayModel.key(t, c.before()));
        if (c.after() != null) rows.add(t.name() + ReplayModel.key(t, c.after()));
        return rows;
    }

    @Test
    void secondRunOnTheSameHomeContinuesKeysScnsAndXids() {
        InMemoryRedoSink sink = new InMemoryRedoSink();
        Run first = run(tmp, sink, CONFIG);
        int firstRecords = sink.records.size();
        Run second = run(tmp, sink, CONFIG); // same seed on purpose: keys and XIDs must still not collide
        assertEquals(first.stats().lastScn().value() + 1, second.stats().firstScn().value());
        assertTrue(sink.records.size() > firstRecords);

        Set<Xid> xids = new HashSet<>();
        sink.records.stream().filter(InMemoryRedoSink.Rec::first).forEach(r -> assertTrue(xids.add(r.xid()), "XID reused " + r.xid()));
        // replaying both runs from empty checks no insert collides with an existing key and matches the source
        assertEquals(new ReplayModel(SourceSchema.demo()).replay(sink.records).tables, second.source());
        long rows = second.source().values().stream().mapToLong(Map::size).sum();
        long firstRows = first.source().values().stream().mapToLong(Map::size).sum();
        assertTrue(rows > firstRows, "the second run kept adding rows: " + firstRows + " -> " + rows);
    }

    @Test
    void groupCommitFlushesRedoBeforeSourceAndSwitchesLogs() {
        InMemoryRedoSink sink = new InMemoryRedoSink();
        WorkloadStats s = run(tmp, sink, CONFIG.withCommitGroupSize(10).withSwitchLogEveryRecords(500)).stats();
        assertTrue(sink.flushes >= s.committedTransactions() / 10, "flushes: " + sink.flushes);
        assertEquals(s.redoRecords() / 500, sink.switches);
        assertTrue(sink.records.get(sink.records.size() - 1).position().sequence() > 1);
    }

    @Test
    void serialWorkloadWhenOneTransactionMayBeOpen() {
        InMemoryRedoSink sink = new InMemoryRedoSink();
        run(tmp, sink, CONFIG.withMaxOpenTransactions(1).withTransactions(50));
        Xid current = null;
        for (InMemoryRedoSink.Rec r : sink.records) {
            if (r.first()) {
                assertNull(current, "a transaction began while " + current + " was open");
                current = r.xid();
            }
            assertEquals(current, r.xid());
            if (r.type().endsTransaction()) current = null;
        }
    }

    @Test
    void timestampsComeFromTheClock() {
        InMemoryRedoSink sink = new InMemoryRedoSink();
        Clock clock = Clock.offset(CLOCK, Duration.ofDays(3));
        try (SourceDatabase db = SourceDatabase.open(tmp, SourceSchema.demo())) {
            new WorkloadGenerator(db, sink, CONFIG.withTransactions(20), clock).run();
        }
        assertTrue(sink.records.stream().allMatch(r -> r.tsMillis() == clock.millis()));
    }

    @Test
    void badParametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CONFIG.withOpsPerTransaction(5, 2));
        assertTrue(e.getMessage().contains("maxOpsPerTransaction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CONFIG.withRollbackRatio(1.5));
        assertTrue(e.getMessage().contains("rollbackRatio"), e.getMessage());
    }

    @Test
    void aSourceApplyFailureStopsTheRunNamingTheTable() {
        // another session sneaks rows into the source after the model was loaded: the first group then collides
        InMemoryRedoSink sink = new InMemoryRedoSink() {
            @Override
            public void flush() {
                if (flushes == 0) {
                    try (java.sql.Connection c = java.sql.DriverManager.getConnection(SourceDatabase.jdbcUrl(tmp), "sa", "");
                         java.sql.Statement st = c.createStatement()) {
                        st.execute("INSERT INTO YDJK.ACCOUNT SELECT X, 'intruder', 0, 'OPEN', NULL, TIMESTAMP '2026-01-01 00:00:00'"
                                + " FROM SYSTEM_RANGE(1, 100000)");
                    } catch (java.sql.SQLException e) {
                        throw new AssertionError(e);
                    }
                }
                super.flush();
            }
        };
        try (SourceDatabase db = SourceDatabase.open(tmp, SourceSchema.demo())) {
            WorkloadGenerator gen = new WorkloadGenerator(db, sink, CONFIG.withMultiTableRatio(1), CLOCK);
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::run);
            assertTrue(e.getMessage().contains("YDJK.ACCOUNT"), e.getMessage());
        }
    }
}
