package io.redotrail.extract;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.core.ChangeOp;
import io.redotrail.trail.camel.TrailConstants;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TransactionAggregatorTest {
    @TempDir
    Path home;

    private long rba = 512;
    private final List<RedoRecord> records = new ArrayList<>();

    private void change(int xid, long scn, boolean first, long id) {
        RowChange c = new RowChange("YDJK.ACCOUNT", ChangeOp.INSERT, null,
                new RowImage(new String[]{"ID"}, new Object[]{id}));
        records.add(new RedoRecord(new RedoPosition(1, 7, rba), 40, RedoOp.INSERT, new Xid(1, 2, xid), Scn.of(scn),
                1000 + scn, first, c, "redo/t1_g1.log"));
        rba += 40;
    }

    private void end(RedoOp op, int xid, long scn) {
        records.add(new RedoRecord(new RedoPosition(1, 7, rba), 30, op, new Xid(1, 2, xid), Scn.of(scn), 1000 + scn,
                false, null, "redo/t1_g1.log"));
        rba += 30;
    }

    private Exchange send(TransactionAggregator agg) {
        RedoRecord last = records.get(records.size() - 1);
        CheckpointPoint cur = new CheckpointPoint(last.next(), last.scn(), last.timestampMillis(), last.redoFile());
        Exchange ex = new DefaultExchange(agg.getCamelContext());
        ex.getMessage().setBody(new RedoBatch(List.copyOf(records), Map.of(1, cur)));
        records.clear();
        agg.process(ex);
        return ex;
    }

    private TransactionAggregator aggregator() {
        TransactionAggregator agg = new TransactionAggregator();
        agg.setCamelContext(new DefaultCamelContext());
        agg.setGroup("ext1");
        agg.setHome(home.toString());
        agg.setBrOff(true); // the cache alone: no trail producer confirms writes here (BoundedRecoveryAggregatorTest has one)
        return agg;
    }

    @Test
    @SuppressWarnings("unchecked")
    void interleavedTransactionsLeaveInCommitOrderAndRollbacksVanish() {
        TransactionAggregator agg = aggregator();
        change(1, 10, true, 1);
        change(2, 11, true, 2);
        change(3, 12, true, 3);
        change(1, 13, false, 4);
        end(RedoOp.COMMIT, 2, 14);
        end(RedoOp.ROLLBACK, 3, 15);
        change(4, 16, true, 5);
        end(RedoOp.COMMIT, 1, 17);
        Exchange ex = send(agg);
        List<Transaction> out = ex.getMessage().getBody(List.class);
        assertEquals(2, out.size());
        assertEquals(new Xid(1, 2, 2), out.get(0).xid());
        assertEquals(Scn.of(14), out.get(0).csn());
        assertEquals(new Xid(1, 2, 1), out.get(1).xid());
        assertEquals(2, out.get(1).size());
        assertEquals(Scn.of(17), out.get(1).csn());
        assertEquals(1, agg.stats().transactionsRolledBack.get());
        assertEquals(1, agg.stats().rowsRolledBack.get());

        // XID 4 is still open: the recovery checkpoint is its first record, current is after the batch
        List<RedoReadCheckpoint> cps = (List<RedoReadCheckpoint>) ex.getMessage().getHeader(TrailConstants.READ_CHECKPOINT);
        RedoReadCheckpoint cp = cps.get(0);
        assertEquals(Scn.of(16), cp.recovery().scn());
        assertTrue(cp.recovery().position().rba() < cp.current().position().rba());
        assertEquals(3L, ex.getMessage().getHeader(TrailConstants.ROW_COUNT));
    }

    @Test
    @SuppressWarnings("unchecked")
    void commitOfATransactionStartedBeforeTheReadPositionStopsTheExtract() {
        // a restart: the extract has a checkpoint, so a transaction missing its start means lost changes
        new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.extractFile(home, "EXT1"))
                .write(new io.redotrail.checkpoint.ProcessCheckpoint("EXT1", "EXTRACT", List.of(), null, List.of(),
                        null, null, null, 1L, 1L, 'A'));
        TransactionAggregator agg = aggregator();
        change(9, 20, false, 1); // first change was before our start position
        end(RedoOp.COMMIT, 9, 21);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> send(agg));
        assertTrue(e.getMessage().contains("1.2.9"), e.getMessage());
        assertTrue(e.getMessage().contains("EXT1"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCheckpointGgsciAddWroteIsAFirstStart() throws Exception {
        // ADD EXTRACT EXT1, TRANLOG, BEGIN ...: read checkpoints at the begin point, start time 0 (never started)
        CheckpointPoint begin = new CheckpointPoint(new RedoPosition(1, 7, 512), Scn.of(20), 1020, "redo/t1_g1.log");
        new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.extractFile(home, "EXT1"))
                .write(new io.redotrail.checkpoint.ProcessCheckpoint("EXT1", "EXTRACT", List.of(new RedoReadCheckpoint(1, begin,
                        begin, begin)), null, List.of(), null, null, null, 0L, 1L, 'G'));
        assertAFirstStartLeavesOutTheTransactionInFlight();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFirstStartOfAGroupAddedWithGgsciLeavesOutATransactionInFlightAtItsBegin() throws Exception {
        // ADD EXTRACT EXT1, TRANLOG, BEGIN ...; ADD EXTTRAIL ./dirdat/ex, EXTRACT EXT1: startup = recovery = current
        CheckpointPoint begin = new CheckpointPoint(new RedoPosition(1, 7, 512), Scn.of(19), 1019, "redo/t1_g1.log");
        new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.extractFile(home, "EXT1"))
                .write(new io.redotrail.checkpoint.ProcessCheckpoint("EXT1", "EXTRACT", List.of(new RedoReadCheckpoint(1, begin, begin, begin)),
                        null, List.of(new io.redotrail.checkpoint.WriteCheckpoint("./dirdat/ex", new io.redotrail.core.TrailPosition(0, 0),
                                0, "EXTTRAIL", Scn.ZERO, 0)), null, null, null, 1L, 1L, 'G'));
        assertAFirstStartLeavesOutTheTransactionInFlight();
    }

    /** XID 9 began before the begin point and commits after it: left out (OGG-01028), XID 10 captured. */
    @SuppressWarnings("unchecked")
    private void assertAFirstStartLeavesOutTheTransactionInFlight() throws Exception {
        TransactionAggregator agg = aggregator();
        change(9, 20, false, 1);
        end(RedoOp.COMMIT, 9, 21);
        change(10, 22, true, 2);
        end(RedoOp.COMMIT, 10, 23);
        List<Transaction> out = send(agg).getMessage().getBody(List.class);
        assertEquals(List.of(new Xid(1, 2, 10)), out.stream().map(Transaction::xid).toList());
        assertTrue(java.nio.file.Files.readString(home.resolve("dirrpt/EXT1.rpt")).contains("OGG-01028"));
    }


    @Test
    @SuppressWarnings("unchecked")
    void noOpenTransactionMeansRecoveryEqualsCurrent() {
        TransactionAggregator agg = aggregator();
        change(1, 10, true, 1);
        end(RedoOp.COMMIT, 1, 11);
        Exchange ex = send(agg);
        RedoReadCheckpoint cp = ((List<RedoReadCheckpoint>) ex.getMessage().getHeader(TrailConstants.READ_CHECKPOINT)).get(0);
        assertEquals(cp.current(), cp.recovery());
    }

    @Test
    @SuppressWarnings("unchecked")
    void onAFirstStartATransactionAlreadyInFlightIsReportedAndLeftOut() throws Exception {
        TransactionAggregator agg = aggregator(); // no checkpoint: capture begins where the reader began
        change(9, 20, false, 1);
        end(RedoOp.COMMIT, 9, 21);
        change(10, 22, true, 2);
        end(RedoOp.COMMIT, 10, 23);
        Exchange ex = send(agg);
        List<Transaction> out = ex.getMessage().getBody(List.class);
        assertEquals(1, out.size());
        assertEquals(new Xid(1, 2, 10), out.get(0).xid());
        String rpt = java.nio.file.Files.readString(home.resolve("dirrpt/EXT1.rpt"));
        assertTrue(rpt.contains("OGG-01028") && rpt.contains("1.2.9"), rpt);
    }
}
