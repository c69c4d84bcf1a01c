package io.redotrail.extract;

import io.redotrail.checkpoint.BrPoints;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.ChangeOp;
import io.redotrail.trail.camel.TrailConstants;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The aggregator with Bounded Recovery and a small cache, driven by hand-made redo batches. */
class BoundedRecoveryAggregatorTest {
    @TempDir
    Path home;

    private static final Xid LONG = new Xid(10, 16, 1533);
    private long rba = 512;
    private long scn = 9_137_000;

    private RedoRecord rec(RedoOp op, Xid xid, long tsMillis, boolean first, long id) {
        RowChange c = op.isRowChange() ? new RowChange("MYOBJECTS.T", ChangeOp.INSERT, null,
                new RowImage(new String[]{"OBJECT_ID", "NAME"}, new Object[]{id, "object " + id})) : null;
        RedoRecord r = new RedoRecord(new RedoPosition(1, 14878, rba), 60, op, xid, Scn.of(++scn), tsMillis, first, c,
                "redo03.log");
        rba += 60;
        return r;
    }

    private static List<RedoRecord> inserts(RedoAgg a, Xid xid, long ts, boolean first, long from, long to) {
        List<RedoRecord> l = new ArrayList<>();
        for (long i = from; i < to; i++) l.add(a.t.rec(RedoOp.INSERT, xid, ts, first && i == from, i));
        return l;
    }

    /** Tiny holder so the static helper can reach the record factory. */
    private record RedoAgg(BoundedRecoveryAggregatorTest t) {
    }

    @SuppressWarnings("unchecked")
    private List<Transaction> send(TransactionAggregator agg, List<RedoRecord> records, Exchange[] out) {
        RedoRecord last = records.get(records.size() - 1);
        CheckpointPoint cur = new CheckpointPoint(last.next(), last.scn(), last.timestampMillis(), last.redoFile());
        Exchange ex = new DefaultExchange(agg.getCamelContext());
        ex.getMessage().setBody(new RedoBatch(records, Map.of(1, cur)));
        agg.process(ex);
        if (out != null) out[0] = ex;
        List<Transaction> written = ex.getMessage().getBody(List.class);
        // what the trail producer does once the batch is durable
        written.forEach(t -> GroupRuntimes.of(agg.getCamelContext(), home, "EXT1").trailConfirmed(t.csn()));
        return written;
    }

    /** Hands a batch on that the trail does not confirm (its force in flight, or a producer that lags). */
    private static void handOn(TransactionAggregator agg, List<RedoRecord> records) {
        RedoRecord last = records.get(records.size() - 1);
        Exchange ex = new DefaultExchange(agg.getCamelContext());
        ex.getMessage().setBody(new RedoBatch(records, Map.of(1,
                new CheckpointPoint(last.next(), last.scn(), last.timestampMillis(), last.redoFile()))));
        agg.process(ex);
    }

    private TransactionAggregator aggregator() {
        // a context per aggregator, as a restarted extract is a new process; its trail producer has started
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx, home, "EXT1").trailStarted(Scn.ZERO);
        TransactionAggregator agg = new TransactionAggregator();
        agg.setCamelContext(ctx);
        agg.setGroup("EXT1");
        agg.setHome(home.toString());
        agg.setBrInterval("10S");
        agg.setSimulatedClock(true);
        agg.setCacheSizeMb(1);
        return agg;
    }

    /** LONG begins with {@code rows} inserts at source time 0; a small transaction commits in the same batch, returned. */
    private List<RedoRecord> beginLongBesideASmallCommit(RedoAgg a, TransactionAggregator agg, int rows) {
        Xid small = new Xid(1, 1, 1);
        List<RedoRecord> b1 = new ArrayList<>(inserts(a, LONG, 0, true, 0, rows));
        b1.add(rec(RedoOp.INSERT, small, 1000, true, 1));
        b1.add(rec(RedoOp.COMMIT, small, 1000, false, 0));
        assertEquals(1, send(agg, b1, null).size());
        return b1;
    }

    @Test
    void aLongTransactionSurvivesARestartFromItsBrFilesWithoutItsOldRedo() {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        beginLongBesideASmallCommit(a, agg, 30_000);

        long restartRba = rba;
        Xid young = new Xid(2, 2, 2);
        List<RedoRecord> b2 = new ArrayList<>(inserts(a, LONG, 15_000, false, 30_000, 30_500));
        b2.addAll(inserts(a, young, 15_000, true, 0, 3));
        Exchange[] ex = new Exchange[1];
        assertTrue(send(agg, b2, ex).isEmpty());
        BrPoints points = ex[0].getMessage().getHeader(TrailConstants.BR_CHECKPOINT, BrPoints.class);
        assertNotNull(points, "15 s of source time passed a 10 s interval: a BR checkpoint was taken");
        assertEquals(restartRba, points.end().position().rba());
        assertEquals(restartRba, points.begin().position().rba(), "BR Begin is OGG-01738's start: LONG is persisted, not re-read");
        assertTrue(Files.exists(home.resolve("BR/EXT1/CP.EXT1.000000001")));
        assertTrue(Files.exists(home.resolve("BR/EXT1/TX.10.16.1533")));

        // crash: a new extract restores LONG from BR and re-reads from the BR restart position only
        TransactionAggregator again = aggregator();
        Map<Integer, CheckpointPoint> start = again.startPositions();
        assertEquals(restartRba, start.get(1).position().rba(), "no redo before the BR end is needed");
        List<RedoRecord> reread = new ArrayList<>(b2);
        reread.add(rec(RedoOp.COMMIT, young, 16_000, false, 0));
        reread.add(rec(RedoOp.COMMIT, LONG, 16_000, false, 0));
        List<Transaction> out = send(again, reread, null);
        assertEquals(2, out.size());
        assertEquals(young, out.get(0).xid());
        assertEquals(3, out.get(0).size(), "the young transaction is re-read from its first record (T801)");
        Transaction l = out.get(1);
        assertEquals(LONG, l.xid());
        assertEquals(30_500, l.size());
        long expected = 0;
        for (RowChange c : l.changes()) assertEquals(expected++, c.after().get("OBJECT_ID"));
    }

    /** The extract checkpoint a trail producer writes once the trail holds what was read up to {@code current}. */
    private void extractCheckpoint(CheckpointPoint recovery, CheckpointPoint current) {
        new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.extractFile(home, "EXT1")).write(
                new io.redotrail.checkpoint.ProcessCheckpoint("EXT1", "EXTRACT", List.of(new io.redotrail.checkpoint.RedoReadCheckpoint(
                        1, recovery, recovery, current)), null, List.of(), null, null, null, 1L, current.timestampMillis(), 'A'));
    }

    /**
     * Seed 002 after the long transaction committed: the extract checkpoint written since has its Recovery
     * checkpoint past the BR restart position, so a restart reads from there (the older logs SHOWTRANS called
     * unneeded may be deleted) and retires the BR state, instead of restoring ended transactions from it. An
     * extract checkpoint from before the BR checkpoint, or with a transaction still open behind it, keeps BR.
     */
    @Test
    void aBrCheckpointSupersededByTheExtractCheckpointIsRetired() throws Exception {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        List<RedoRecord> b1 = beginLongBesideASmallCommit(a, agg, 100);
        CheckpointPoint longStart = new CheckpointPoint(b1.get(0).position(), b1.get(0).scn(), 0, "redo03.log");
        send(agg, new ArrayList<>(inserts(a, LONG, 15_000, false, 100, 110)), null); // BR checkpoint 1 persists LONG
        assertTrue(Files.exists(home.resolve("BR/EXT1/CP.EXT1.000000001")));
        List<RedoRecord> commit = List.of(rec(RedoOp.COMMIT, LONG, 16_000, false, 0));
        assertEquals(1, send(agg, commit, null).size());
        RedoRecord last = commit.get(0);
        CheckpointPoint after = new CheckpointPoint(last.next(), last.scn(), last.timestampMillis(), last.redoFile());

        extractCheckpoint(longStart, after); // LONG still open behind the Recovery checkpoint: BR is what restarts
        assertFalse(aggregator().startPositions().isEmpty(), "BR restores while its transaction may be open");

        extractCheckpoint(after, after); // written after LONG committed: nothing open
        TransactionAggregator again = aggregator();
        assertTrue(again.startPositions().isEmpty(), "normal recovery from the Recovery checkpoint");
        assertTrue(again.describeOpen().isEmpty(), "no ended transaction restored");
        List<String> rpt = io.redotrail.report.ReportFile.open(home, "EXT1").lines();
        assertTrue(rpt.stream().anyMatch(l -> l.contains("RTR-01401  BOUNDED RECOVERY: BR checkpoint 1 is superseded: the extract"
                + " checkpoint written after it has its Recovery checkpoint at [Thread 1 SeqNo 14878, RBA " + after.position().rba()
                + "]")), String.join("\n", rpt));
        assertFalse(Files.exists(home.resolve("BR/EXT1/CP.EXT1.000000001")), "the BR state is retired");
        assertTrue(aggregator().startPositions().isEmpty());
    }

    /**
     * DELETE EXTRACT leaves BRDIR; a group ADDed again under the name (its checkpoint has start time 0) must start where
     * ADD put it, not restore the earlier group's transactions and positions: its first start retires them (OGG-01635).
     */
    @Test
    void aGroupAddedAgainDoesNotRestoreTheEarlierGroupsBrCheckpoint() throws Exception {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        beginLongBesideASmallCommit(a, agg, 100);
        send(agg, new ArrayList<>(inserts(a, LONG, 15_000, false, 100, 110)), null); // BR checkpoint 1 persists LONG
        assertTrue(Files.exists(home.resolve("BR/EXT1/CP.EXT1.000000001")));
        CheckpointPoint begin = new CheckpointPoint(new io.redotrail.core.RedoPosition(1, 14878, 0), io.redotrail.core.Scn.of(1), 0, "redo01.log");
        new io.redotrail.checkpoint.CheckpointFile(io.redotrail.checkpoint.CheckpointFile.extractFile(home, "EXT1")).write(
                new io.redotrail.checkpoint.ProcessCheckpoint("EXT1", "EXTRACT", List.of(new io.redotrail.checkpoint.RedoReadCheckpoint(
                        1, begin, begin, begin)), null, List.of(), null, null, null, 0L, 0L, 'G')); // ADD EXTRACT ..., BEGIN
        TransactionAggregator added = aggregator();
        assertTrue(added.startPositions().isEmpty(), "reads from the BEGIN point ADD gave");
        assertTrue(added.describeOpen().isEmpty(), "nothing of the earlier group restored");
        assertFalse(Files.exists(home.resolve("BR/EXT1/CP.EXT1.000000001")), "the earlier group's BR files are retired");
        List<String> rpt = io.redotrail.report.ReportFile.open(home, "EXT1").lines();
        assertTrue(rpt.stream().anyMatch(l -> l.contains("OGG-01635  BOUNDED RECOVERY: reset to initial checkpoint (first start of EXT1;")),
                String.join("\n", rpt));
    }

    /** SEND EXTRACT g, BR BRSTATUS, answered on the route thread at its next batch, as over the control channel. */
    private static String br(TransactionAggregator agg, String... args) throws Exception {
        java.util.concurrent.CompletableFuture<String> reply = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return agg.control().request("BR", List.of(args));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (!reply.isDone()) {
            Exchange idle = new DefaultExchange(agg.getCamelContext());
            idle.getMessage().setBody(new RedoBatch(List.of(), Map.of()));
            agg.process(idle);
            Thread.sleep(2);
        }
        return reply.get();
    }

    private static String sourceTime(long millis) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(java.time.ZoneId.systemDefault())
                .format(java.time.Instant.ofEpochMilli(millis));
    }

    @Test
    void brStatusShowsTheIntervalTheLastCheckpointAndWhenTheNextIsDue() throws Exception {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        beginLongBesideASmallCommit(a, agg, 100);
        String before = br(agg, "BRSTATUS");
        assertTrue(before.startsWith("Bounded Recovery Parameter:\nBRINTERVAL = 10S (10 s)\nBRDIR      = "
                + home.resolve("BR").resolve("EXT1") + "\n\nBounded Recovery Status:\nLast BR checkpoint:  none yet this run\n"
                + "Next BR checkpoint:  due at " + sourceTime(11_000) + "\n"), before); // the first batch (1 s) anchors the schedule

        List<RedoRecord> b2 = new ArrayList<>(inserts(a, LONG, 15_000, false, 100, 110));
        send(agg, b2, null);
        String after = br(agg, "brstatus");
        assertTrue(after.contains("Last BR checkpoint:  1 at " + sourceTime(15_000) + ", 1 persisted transaction(s)\n"
                + "                     start=SeqNo: 14878, RBA: "), after);
        assertTrue(after.endsWith("Next BR checkpoint:  due at " + sourceTime(21_000) + "\n"), after);
        assertEquals("ERROR: BR BRSTATS is not supported; SEND EXTRACT EXT1, BR BRSTATUS | BRCHECKPOINT {IMMEDIATE | IN n{M|H}"
                + " | AT yyyy-mm-dd[ hh:mm[:ss]]} | BRINTERVAL interval", br(agg, "BRSTATS"));

        // BRCHECKPOINT IMMEDIATE: taken at the next batch with records, ahead of the schedule, which restarts from it
        assertEquals("Bounded Recovery checkpoint requested: it is taken at the next redo record read.\n",
                br(agg, "BRCHECKPOINT", "IMMEDIATE"));
        assertTrue(br(agg, "BRSTATUS").endsWith("Next BR checkpoint:  at the next redo record read (BRCHECKPOINT IMMEDIATE)\n"));
        send(agg, new ArrayList<>(inserts(a, LONG, 16_000, false, 110, 111)), null);
        String immediate = br(agg, "BRSTATUS");
        assertTrue(immediate.contains("Last BR checkpoint:  2 at " + sourceTime(16_000) + ", 1 persisted transaction(s)\n"), immediate);
        assertTrue(immediate.endsWith("Next BR checkpoint:  due at " + sourceTime(26_000) + "\n"), immediate);
        assertEquals("Bounded Recovery checkpoint requested: the next checkpoint is due at source time " + sourceTime(76_000) + ".\n",
                br(agg, "BRCHECKPOINT", "IN", "1M"));
        assertEquals("Bounded Recovery interval set to 20S (20 s) for this run; the next checkpoint is due at source time "
                + sourceTime(36_000) + ".\n", br(agg, "BRINTERVAL", "20S"));
        assertTrue(br(agg, "BRSTATUS").startsWith("Bounded Recovery Parameter:\nBRINTERVAL = 20S (20 s)\n"));
        String at = java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(40_000), java.time.ZoneId.systemDefault())
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        assertEquals("Bounded Recovery checkpoint requested: the next checkpoint is due at source time " + sourceTime(40_000) + ".\n",
                br(agg, "BRCHECKPOINT", "AT", at.substring(0, 10), at.substring(11)));
        assertEquals("ERROR: BR BRCHECKPOINT IN '5X': expected n followed by M or H, e.g. IN 30M", br(agg, "BRCHECKPOINT", "IN", "5X"));
        assertEquals("ERROR: BR BRCHECKPOINT needs IMMEDIATE, IN n{M|H} or AT yyyy-mm-dd[ hh:mm[:ss]]", br(agg, "BRCHECKPOINT"));

        // a restarted extract shows the checkpoint it restored (the IMMEDIATE one)
        TransactionAggregator again = aggregator();
        again.startPositions();
        send(again, List.of(rec(RedoOp.INSERT, LONG, 16_000, false, 200)), null);
        assertTrue(br(again, "BRSTATUS").contains("Last BR checkpoint:  2 at " + sourceTime(16_000)
                + ", 1 persisted transaction(s)\n                     restored at this start, reading redo from SeqNo: 14878"));

        TransactionAggregator off = aggregator();
        off.setBrOff(true);
        send(off, List.of(rec(RedoOp.INSERT, new Xid(3, 3, 3), 17_000, true, 1)), null);
        assertEquals("Bounded Recovery is off for EXT1 (BR BROFF).\n", br(off, "BRSTATUS"));
    }

    /**
     * docs/recovery.md: a BR object file damaged after its checkpoint was written. The restarted extract names the
     * file in a WARNING OGG-02937 and falls back to normal recovery (no abend); {@code run --brreset}
     * (brReset=true) skips BR without reading it. Either way the transaction is rebuilt whole from the redo.
     */
    @Test
    void aDamagedBrObjectFileFallsBackOrIsResetAndTheRedoRebuildsTheTransaction() throws Exception {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        List<RedoRecord> b1 = beginLongBesideASmallCommit(a, agg, 3_000);
        List<RedoRecord> b2 = inserts(a, LONG, 15_000, false, 3_000, 3_100);
        Exchange[] ex = new Exchange[1];
        assertTrue(send(agg, b2, ex).isEmpty());
        assertNotNull(ex[0].getMessage().getHeader(TrailConstants.BR_CHECKPOINT, BrPoints.class), "a BR checkpoint was taken");
        Path obj = home.resolve("BR/EXT1/TX.10.16.1533");
        io.redotrail.it.ItSupport.flipByte(obj, Files.size(obj) / 2);
        Path br = home.resolve("BR/EXT1");
        Path saved = Files.createDirectories(home.resolve("saved-br"));
        for (String f : br.toFile().list()) {
            if (Files.isRegularFile(br.resolve(f))) Files.copy(br.resolve(f), saved.resolve(f));
        }
        List<RedoRecord> redo = new ArrayList<>(b1);
        redo.addAll(b2);
        redo.add(rec(RedoOp.COMMIT, LONG, 16_000, false, 0));
        Path rpt = home.resolve("dirrpt/EXT1.rpt");

        for (boolean brReset : new boolean[]{false, true}) {
            if (brReset) { // the damaged BR state again, for run --brreset
                for (String f : saved.toFile().list()) Files.copy(saved.resolve(f), br.resolve(f),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            long rptBefore = Files.exists(rpt) ? Files.size(rpt) : 0;
            TransactionAggregator again = aggregator();
            again.setBrReset(brReset);
            assertTrue(again.startPositions().isEmpty(), "reads from the extract checkpoint's Recovery position");
            String report = Files.readString(rpt).substring((int) rptBefore);
            if (brReset) {
                assertTrue(report.contains("OGG-01635") && !report.contains("OGG-02937"), report);
            } else {
                assertTrue(report.contains("WARNING OGG-02937") && report.contains(obj + " at byte ")
                        && report.contains("change frame CRC mismatch"), report);
            }
            List<Transaction> out = send(again, redo, null);
            Transaction l = out.stream().filter(t -> t.xid().equals(LONG)).findFirst().orElseThrow();
            assertEquals(3_100, l.size(), "brReset=" + brReset);
            long expected = 0;
            for (RowChange c : l.changes()) assertEquals(expected++, c.after().get("OBJECT_ID"));
        }
    }

    @Test
    void aCorruptBrCheckpointFallsBackToNormalRecovery() throws Exception {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        send(agg, inserts(a, LONG, 0, true, 0, 100), null);
        send(agg, inserts(a, LONG, 20_000, false, 100, 200), null);
        Path cp = home.resolve("BR/EXT1/CP.EXT1.000000001");
        Files.writeString(cp, Files.readString(cp).replace("tx.count=1", "tx.count=2"));
        TransactionAggregator again = aggregator();
        assertTrue(again.startPositions().isEmpty(), "falls back to the extract checkpoint's Recovery position");
        assertTrue(again.describeOpen().isEmpty(), "nothing restored from a corrupt BR checkpoint");
    }

    @Test
    void aTransactionLargerThanTheCacheSpillsAndStreamsBackWhole() {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        agg.setBrOff(true);
        List<RedoRecord> b = new ArrayList<>(inserts(a, LONG, 0, true, 0, 20_000)); // > 1 MB estimated
        b.add(rec(RedoOp.COMMIT, LONG, 0, false, 0));
        List<Transaction> out = send(agg, b, null);
        assertInstanceOf(StreamedChanges.class, out.get(0).changes(), "the cache spilled it to dirtmp/");
        long expected = 0;
        for (RowChange c : out.get(0).changes()) assertEquals(expected++, c.after().get("OBJECT_ID"));
        assertEquals(20_000, expected);
    }

    /**
     * docs/recovery.md: a spill file damaged while its transaction is open stops the extract naming the file when
     * the transaction is streamed; running again deletes dirtmp/EXT1 and the redo rebuilds the transaction whole.
     */
    @Test
    void aDamagedSpillFileStopsTheTransactionAndRunningAgainRebuildsIt() throws Exception {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        agg.setBrOff(true);
        List<RedoRecord> changes = inserts(a, LONG, 0, true, 0, 20_000); // > 1 MB estimated
        assertTrue(send(agg, new ArrayList<>(changes), null).isEmpty());
        Path dirtmp = home.resolve("dirtmp/EXT1");
        List<Path> spills;
        try (var w = Files.walk(dirtmp)) {
            spills = w.filter(Files::isRegularFile).toList();
        }
        assertEquals(1, spills.size(), "one spill file: " + spills);
        Path spill = spills.get(0);
        io.redotrail.it.ItSupport.flipByte(spill, Files.size(spill) / 2);
        RedoRecord commit = rec(RedoOp.COMMIT, LONG, 0, false, 0);
        Exception e = assertThrows(Exception.class, () -> {
            for (Transaction t : send(agg, new ArrayList<>(List.of(commit)), null)) t.changes().forEach(c -> { });
        });
        StringBuilder chain = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) chain.append(c).append(" / ");
        assertTrue(chain.toString().contains(spill + " at byte ") && chain.toString().contains("change frame CRC mismatch"),
                chain.toString());

        // run again: spill files are not recovery state; the redo is read again from the Recovery checkpoint
        TransactionAggregator again = aggregator();
        again.setBrOff(true);
        assertTrue(again.startPositions().isEmpty());
        assertTrue(Files.notExists(spill), "the damaged spill file was deleted at start");
        List<RedoRecord> redo = new ArrayList<>(changes);
        redo.add(commit);
        List<Transaction> out = send(again, redo, null);
        assertEquals(1, out.size());
        long expected = 0;
        for (RowChange c : out.get(0).changes()) assertEquals(expected++, c.after().get("OBJECT_ID"));
        assertEquals(20_000, expected);
    }

    @Test
    void aTrailWriteThatDidNotHappenStopsTheExtractBeforeItCheckpointsPastIt() {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        Xid x = new Xid(3, 3, 3);
        List<RedoRecord> b1 = new ArrayList<>(inserts(a, x, 0, true, 0, 2));
        b1.add(rec(RedoOp.COMMIT, x, 0, false, 0));
        handOn(agg, b1); // but (say) an error handler swallowed the trail producer's failure
        GroupRuntimes.of(agg.getCamelContext(), home, "EXT1").trailFailed();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> send(agg, inserts(a, LONG, 20_000, true, 0, 1), null));
        assertTrue(e.getMessage().contains("failed to write") && e.getMessage().contains("EXT1"), e.getMessage());
        assertFalse(Files.exists(home.resolve("BR/EXT1/CP.EXT1.000000001")), "no BR checkpoint past the missing write");
    }

    /**
     * overlapForce: the trail producer confirms a batch when its fsync returned, one exchange late. A BR checkpoint
     * restarts after every transaction handed on, so it waits for that confirmation and is never ahead of it.
     */
    @Test
    void aBrCheckpointWaitsUntilTheTrailConfirmedTheBatchBeingForced() throws Exception {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        Xid small = new Xid(1, 1, 1);
        List<RedoRecord> b1 = new ArrayList<>(inserts(a, LONG, 0, true, 0, 20));
        b1.add(rec(RedoOp.INSERT, small, 1000, true, 1));
        b1.add(rec(RedoOp.COMMIT, small, 1000, false, 0));
        handOn(agg, b1); // its force is still in flight: not confirmed
        Scn smallCsn = b1.get(b1.size() - 1).scn();
        Path cp = home.resolve("BR/EXT1/CP.EXT1.000000001");
        java.util.concurrent.atomic.AtomicBoolean cpBeforeConfirm = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread force = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            cpBeforeConfirm.set(Files.exists(cp));
            GroupRuntimes.of(agg.getCamelContext(), home, "EXT1").trailConfirmed(smallCsn);
        });
        force.start();
        Exchange[] ex2 = new Exchange[1];
        send(agg, inserts(a, LONG, 15_000, false, 20, 30), ex2); // 15 s of source time: a BR checkpoint is due
        force.join(10_000);
        assertNotNull(ex2[0].getMessage().getHeader(TrailConstants.BR_CHECKPOINT, BrPoints.class), "the BR checkpoint was taken");
        assertFalse(cpBeforeConfirm.get(), "no BR checkpoint before the trail confirmed the batch it restarts after");
        assertTrue(Files.exists(cp));
    }

    @Test
    void aProducerThatLagsBehindIsDetectedToo() {
        RedoAgg a = new RedoAgg(this);
        TransactionAggregator agg = aggregator();
        Xid x = new Xid(4, 4, 4);
        List<RedoRecord> b1 = new ArrayList<>(inserts(a, x, 0, true, 0, 2));
        b1.add(rec(RedoOp.COMMIT, x, 0, false, 0));
        handOn(agg, b1); // not confirmed: an asynchronous step sits before the producer
        // one exchange of lag is the overlapped fsync's (overlapForce): the next batch goes on
        Xid y = new Xid(5, 5, 5);
        List<RedoRecord> b2 = new ArrayList<>(inserts(a, y, 10, true, 0, 1));
        b2.add(rec(RedoOp.COMMIT, y, 10, false, 0));
        handOn(agg, b2);
        // two exchanges behind: no fsync can explain that
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> send(agg, inserts(a, LONG, 20, true, 0, 1), null));
        assertTrue(e.getMessage().contains("has not confirmed"), e.getMessage());
    }
}
