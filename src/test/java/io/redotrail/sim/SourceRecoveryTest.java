package io.redotrail.sim;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instance recovery of the simulated source on real redo files (two threads) and a real H2 file: a database put back
 * to before a second workload (as a kill before its groups were applied leaves it), holding part of that workload
 * (as H2 killed with its host can), with a session left open in the redo, is brought to exactly what its redo
 * committed; the open session is rolled back in the redo. A commit whose first changes the redo no longer holds
 * stops recovery, naming it, with nothing changed.
 */
class SourceRecoveryTest {
    @TempDir
    Path home;

    private RedoLogConfig cfg(int thread) {
        return RedoLogConfig.defaults(home, thread, "ORCL");
    }

    private RedoLogSink sink(SimulatedClock clock) {
        return new RedoLogSink(List.of(RedoLogWriter.open(cfg(1), clock), RedoLogWriter.open(cfg(2), clock)), t -> true);
    }

    private static Map<String, Map<String, RowImage>> redo(Path home) {
        return new ReplayModel(SourceSchema.demo()).replay(ReplayModel.asRecs(ReplayModel.readMerged(home, 2))).tables;
    }

    @Test
    void aDatabaseBehindItsRedoIsBroughtToWhatTheRedoCommitted() throws Exception {
        SimulatedClock clock = SimulatedClock.of(home);
        WorkloadConfig wc = WorkloadConfig.defaults().withThreads(2).withLobRatio(0).withLongTransactions(0.05, 500, 10);
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo()); RedoLogSink sink = sink(clock)) {
            new WorkloadGenerator(db, sink, wc.withTransactions(200).withSeed(1), clock).run();
            assertTrue(db.clean());
        }
        Path file = home.resolve("db/source.mv.db");
        Path before = Files.copy(file, home.resolve("before-second-workload.mv.db"));
        WorkloadStats second;
        RowChange firstInsert;
        RowChange openInsert;
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo()); RedoLogSink sink = sink(clock)) {
            second = new WorkloadGenerator(db, sink, wc.withTransactions(300).withSeed(2), clock).run();
            firstInsert = ReplayModel.readMerged(home, 2).stream().filter(r -> r.scn().value() > 0 && r.change() != null
                    && r.change().op() == ChangeOp.INSERT && SourceSchema.demo().table(r.change().table()).hasPrimaryKey()
                    && SourceSchema.demo().table(r.change().table()).keyIndexes().length == 1).reduce((a, b) -> b)
                    .orElseThrow().change();
            // a session the workload's death left open: its change, a row of its own, is in the redo, no end
            TableDef t = SourceSchema.demo().table(firstInsert.table());
            Object[] row = t.rowOf(firstInsert.after()).clone();
            for (int k : t.keyIndexes()) row[k] = 999_999_999L;
            openInsert = new RowChange(t.name(), ChangeOp.INSERT, null, t.image(row));
            new OpenTransaction(2).emit(sink, RedoOp.INSERT, Scn.of(sink.lastScn().value() + 1), clock.millis(), openInsert);
            sink.flush();
        }
        Map<String, Map<String, RowImage>> committed;
        // the kill: the database as it was before the second workload, not marked clean, plus part of that workload
        Files.copy(before, file, StandardCopyOption.REPLACE_EXISTING);
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            db.workloadRunning(true, -1);
            committed = ReplayModel.of(db);
        }
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo()); RedoLogSink sink = sink(clock)) {
            db.applyTransaction(List.of(firstInsert), db.appliedScn()); // H2 kept this row of a group it had not committed
            assertFalse(db.clean());
            String t = firstInsert.table();
            assertEquals(committed.get(t).size() + 1, ReplayModel.of(db).get(t).size(), "a row of the lost group is there");
            SourceRecovery.Outcome o = SourceRecovery.recover(db, sink, clock);
            assertEquals(second.committedTransactions(), o.applied(), "every commit of the second workload");
            assertEquals(1, o.rolledBack(), "the session left open");
            assertTrue(db.clean());
            assertEquals(redo(home), ReplayModel.of(db), "the source holds what its redo committed, no more, no less");
            TableDef ot = SourceSchema.demo().table(openInsert.table());
            assertFalse(ReplayModel.of(db).get(ot.name()).containsKey(ReplayModel.key(ot, openInsert.after())),
                    "the open session's row is not applied");
            assertEquals(SourceRecovery.recover(db, sink, clock), new SourceRecovery.Outcome(0, 0), "clean: nothing to do");
        }
        assertTrue(ReplayModel.readMerged(home, 2).stream().anyMatch(r -> r.op() == RedoOp.ROLLBACK
                && r.position().thread() == 2 && r.scn().value() > 0), "the open session's ROLLBACK is in its thread's redo");
    }

    @Test
    void aCommitWhoseFirstChangesAreGoneStopsRecoveryAndChangesNothing() throws Exception {
        SimulatedClock clock = SimulatedClock.of(home);
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo()); RedoLogSink sink = sink(clock)) {
            new WorkloadGenerator(db, sink, WorkloadConfig.defaults().withThreads(2).withLobRatio(0).withTransactions(50), clock).run();
            db.workloadRunning(true, -1);
            Xid lost = Xid.forFirstScn(1); // its first changes were in a log no longer there
            sink.append(1, RedoOp.COMMIT, lost, Scn.of(sink.lastScn().value() + 1), clock.millis(), false, null);
            sink.flush();
            Map<String, Map<String, RowImage>> before = ReplayModel.of(db);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SourceRecovery.recover(db, sink, clock));
            assertTrue(e.getMessage().contains("transaction " + lost + " committed at SCN") && e.getMessage().contains(
                    "its first changes are in redo no longer available") && e.getMessage().contains("nothing was changed"), e.getMessage());
            assertEquals(before, ReplayModel.of(db));
            assertFalse(db.clean());
        }
    }

    /** A session left open on a thread the recovering workload does not write: refused before anything changes. */
    @Test
    void anOpenSessionOnAThreadThisWorkloadDoesNotWriteStopsRecoveryAndChangesNothing() throws Exception {
        SimulatedClock clock = SimulatedClock.of(home);
        RowChange open;
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo()); RedoLogSink sink = sink(clock)) {
            new WorkloadGenerator(db, sink, WorkloadConfig.defaults().withThreads(2).withLobRatio(0).withTransactions(50), clock).run();
            db.workloadRunning(true, -1);
            TableDef t = SourceSchema.demo().table(SourceSchema.ACCOUNT);
            Object[] row = t.rowOf(db.schema().table(SourceSchema.ACCOUNT).image(db.loadRows(t).get(0))).clone();
            row[t.keyIndexes()[0]] = 999_999_998L;
            open = new RowChange(t.name(), ChangeOp.INSERT, null, t.image(row));
            new OpenTransaction(2).emit(sink, RedoOp.INSERT, Scn.of(sink.lastScn().value() + 1), clock.millis(), open);
            sink.flush();
        }
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo());
             RedoLogSink one = new RedoLogSink(List.of(RedoLogWriter.open(cfg(1), clock)), t -> true)) {
            Map<String, Map<String, RowImage>> before = ReplayModel.of(db);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SourceRecovery.recover(db, one, clock));
            assertTrue(e.getMessage().contains("was left open on redo thread 2, which this workload does not write")
                    && e.getMessage().contains("nothing was changed"), e.getMessage());
            assertEquals(before, ReplayModel.of(db));
            assertFalse(db.clean());
        }
    }
}
