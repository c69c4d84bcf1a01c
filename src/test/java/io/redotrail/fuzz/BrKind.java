package io.redotrail.fuzz;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.report.ReportFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Bounded Recovery files: the BR checkpoint {@code BR/EXT1/CP.EXT1.<n>} and the object files {@code TX.<xid>} of
 * two long transactions, written by the real aggregator (BRINTERVAL 10S, simulated clock) over redo batches made
 * by hand, two BR checkpoints apart; then the extract is killed. Read as its restart does: a new aggregator
 * restores from BR and re-reads redo from the BR restart position — or, when the BR files are unusable, falls
 * back to the Recovery checkpoint (the first record of the oldest open transaction, still available here) — and
 * the output is what reaches the trail (the producer skips CSNs the trail already holds). A fallback must be
 * reported (OGG-02937 in the report file) naming the damaged file.
 */
final class BrKind implements FileKind {
    private static final Xid LONG1 = new Xid(10, 16, 1533), LONG2 = new Xid(11, 3, 77), YOUNG = new Xid(2, 2, 2),
            SMALL = new Xid(1, 1, 1);

    @Override
    public String name() {
        return "BR checkpoint and transaction files";
    }

    /** The redo the extract reads, in the batches the redo consumer hands over. */
    private static List<List<RedoRecord>> batches() {
        Redo r = new Redo();
        List<RedoRecord> b1 = new ArrayList<>();
        r.rows(b1, LONG1, 0, 0, 60);
        r.rows(b1, LONG2, 500, 0, 40);
        r.rows(b1, SMALL, 1000, 0, 2);
        b1.add(r.rec(RedoOp.COMMIT, SMALL, 1000, false, 0));
        List<RedoRecord> b2 = new ArrayList<>();
        r.rows(b2, LONG1, 15_000, 60, 75);
        r.rows(b2, YOUNG, 15_000, 0, 3);
        r.rows(b2, LONG2, 15_000, 40, 50);
        List<RedoRecord> b3 = new ArrayList<>();
        r.rows(b3, LONG1, 26_000, 75, 80);
        r.rows(b3, LONG2, 26_000, 50, 55);
        List<RedoRecord> b4 = new ArrayList<>();
        b4.add(r.rec(RedoOp.COMMIT, YOUNG, 27_000, false, 0));
        r.rows(b4, LONG1, 27_000, 80, 82);
        b4.add(r.rec(RedoOp.COMMIT, LONG1, 27_000, false, 0));
        b4.add(r.rec(RedoOp.COMMIT, LONG2, 27_000, false, 0));
        return List.of(b1, b2, b3, b4);
    }

    /** Hand-made redo records of thread 1, sequence 1, with increasing RBAs and SCNs. */
    private static final class Redo {
        long rba = 512, scn = 9_137_000;

        RedoRecord rec(RedoOp op, Xid xid, long ts, boolean first, long id) {
            RedoRecord r = new RedoRecord(new RedoPosition(1, 1, rba), 60, op, xid, Scn.of(++scn), ts, first,
                    op.isRowChange() ? Workload.row(id, 0) : null, "redo/redo_1_1.log");
            rba += 60;
            return r;
        }

        void rows(List<RedoRecord> into, Xid xid, long ts, long from, long to) {
            for (long i = from; i < to; i++) into.add(rec(RedoOp.INSERT, xid, ts, i == 0, xid.sqn() * 1000 + i));
        }
    }

    private static List<Transaction> send(Path dir, TransactionAggregator agg, List<RedoRecord> records) {
        RedoRecord last = records.get(records.size() - 1);
        return ExtractSteps.send(dir, agg, records,
                Map.of(1, new CheckpointPoint(last.next(), last.scn(), last.timestampMillis(), last.redoFile())));
    }

    @Override
    public void write(Path dir) throws Exception {
        TransactionAggregator agg = ExtractSteps.aggregator(dir, Scn.ZERO, true);
        List<List<RedoRecord>> batches = batches();
        for (List<RedoRecord> b : batches.subList(0, 3)) send(dir, agg, b);
        Files.writeString(dir.resolve("trail-csn"), Long.toString(smallCsn(batches)));
        // killed here: nothing is closed
    }

    private static long smallCsn(List<List<RedoRecord>> batches) {
        return batches.get(0).get(batches.get(0).size() - 1).scn().value();
    }

    @Override
    public List<Path> targets(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("BR").resolve("EXT1"))) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            if (files.size() < 3) throw new IllegalStateException("expected a BR checkpoint and two object files: " + files);
            return files;
        }
    }

    @Override
    public List<Long> hotSpots(Path file, byte[] bytes) {
        return file.getFileName().toString().startsWith("CP.") ? Damage.lines(bytes) : Damage.frames(bytes, 0, 8, 0);
    }

    @Override
    public String read(Path dir, Path damaged, List<String> out) throws Exception {
        Scn trailCsn = Scn.of(Long.parseLong(Files.readString(dir.resolve("trail-csn"))));
        TransactionAggregator agg = ExtractSteps.aggregator(dir, trailCsn, true);
        Map<Integer, CheckpointPoint> start = agg.startPositions();
        long from = start.isEmpty() ? 512 : start.get(1).position().rba();
        for (List<RedoRecord> b : batches()) {
            List<RedoRecord> reread = b.stream().filter(r -> r.position().rba() >= from).toList();
            if (reread.isEmpty()) continue;
            for (Transaction t : send(dir, agg, reread)) {
                if (t.csn().compareTo(trailCsn) > 0) out.add(Workload.describe(t)); // the trail producer skips the rest
            }
        }
        if (!start.isEmpty()) return null;
        String report = Files.readString(ReportFile.pathOf(dir, "EXT1"));
        if (damaged == null || !report.contains("OGG-02937") || !report.contains(damaged.getFileName().toString())) {
            throw new IllegalStateException("BR state unusable but no OGG-02937 warning naming " + damaged + ":\n" + report);
        }
        return "BR fallback to the Recovery checkpoint";
    }
}
