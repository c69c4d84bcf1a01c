package io.redotrail.fuzz;

import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.redo.ArchiveLogs;
import io.redotrail.redo.LogHeader;
import io.redotrail.redo.RedoFormat;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.redo.ThreadMerger;
import io.redotrail.sim.RedoLogWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Redo logs of one thread (several sequences, small logs, 3 groups, so the oldest survive only as archived
 * copies), written by the real {@link RedoLogWriter} with interleaved, rolled-back and multi-row transactions,
 * then closed cleanly. Read the way the extract does: {@link RedoLogReader} from the earliest log, merged by
 * {@link ThreadMerger}, into the {@link TransactionAggregator}; the output is the committed transactions it hands
 * to the trail. {@link Mode#ONLINE} damages an online log (half the time after the DBA deleted its archived copy),
 * {@link Mode#ARCHIVED} an archived log, {@link Mode#CONTROL} the control file.
 */
final class RedoKind implements FileKind {
    enum Mode { ONLINE, ARCHIVED, CONTROL }

    private final Mode mode;

    RedoKind(Mode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return switch (mode) {
            case ONLINE -> "online redo log";
            case ARCHIVED -> "archived redo log";
            case CONTROL -> "redo control file";
        };
    }

    private static RedoLogConfig config(Path dir) {
        return new RedoLogConfig(dir.resolve("redo"), dir.resolve("arch"), 1, 3, 6000, "ORCL");
    }

    @Override
    public void write(Path dir) {
        List<Transaction> txs = Workload.transactions(48, 0);
        long scn = 100;
        try (RedoLogWriter w = RedoLogWriter.open(config(dir))) {
            // two transactions open at a time; every fifth rolls back
            for (int i = 0; i + 1 < txs.size(); i += 2) {
                Transaction a = txs.get(i), b = txs.get(i + 1);
                int n = Math.max(a.size(), b.size());
                for (int r = 0; r < n; r++) {
                    if (r < a.size()) w.append(op(a.changes().get(r)), a.xid(), Scn.of(scn++), ts(scn), r == 0, a.changes().get(r));
                    if (r < b.size()) w.append(op(b.changes().get(r)), b.xid(), Scn.of(scn++), ts(scn), r == 0, b.changes().get(r));
                }
                w.append(RedoOp.COMMIT, a.xid(), Scn.of(scn++), ts(scn), false, null);
                w.append(i % 5 == 4 ? RedoOp.ROLLBACK : RedoOp.COMMIT, b.xid(), Scn.of(scn++), ts(scn), false, null);
                w.flush(i % 4 == 0);
            }
        }
    }

    private static long ts(long scn) {
        return 1_400_000_000_000L + scn * 10;
    }

    private static RedoOp op(RowChange c) {
        return switch (c.op()) {
            case INSERT -> RedoOp.INSERT;
            case UPDATE -> RedoOp.UPDATE;
            case DELETE -> RedoOp.DELETE;
            case PK_UPDATE -> RedoOp.PK_UPDATE;
        };
    }

    @Override
    public List<Path> targets(Path dir) throws Exception {
        if (mode == Mode.CONTROL) return List.of(RedoFormat.controlFile(dir.resolve("redo")));
        Path d = dir.resolve(mode == Mode.ONLINE ? "redo" : "arch");
        String suffix = mode == Mode.ONLINE ? ".log" : ".arc";
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Override
    public void beforeDamage(Path dir, Path target, Random rnd) throws Exception {
        if (mode != Mode.ONLINE || rnd.nextBoolean()) return;
        byte[] b = Files.readAllBytes(target);
        LogHeader h = RedoFormat.decodeHeader(b, b.length, target);
        try {
            ArchiveLogs.deleteSequence(dir.resolve("redo"), 1, h.sequence()); // the DBA's RMAN "delete input"
        } catch (ArchiveLogs.RefusedException current) {
            // the current log has no archived copy yet
        }
    }

    @Override
    public List<Long> hotSpots(Path file, byte[] bytes) {
        if (mode == Mode.CONTROL) return Damage.lines(bytes);
        List<Long> hot = new ArrayList<>(List.of(0L, 4L, 6L, 8L, 16L, 32L, 508L));
        hot.addAll(Damage.frames(bytes, RedoFormat.HEADER_SIZE, 8, 0));
        return hot;
    }

    @Override
    public String read(Path dir, Path damaged, List<String> out) {
        TransactionAggregator agg = ExtractSteps.aggregator(dir, Scn.ZERO, false);
        RedoLogReader reader = new RedoLogReader(dir.resolve("redo"), dir.resolve("arch"), 1, null);
        try (ThreadMerger merger = new ThreadMerger(List.of(reader), Map.of())) {
            drain(dir, agg, merger, out);
            // the database restarts (its writer's recovery may cut only past the size recorded at close) and commits one more
            try (RedoLogWriter w = RedoLogWriter.open(config(dir))) {
                Transaction t = Workload.transactions(49, 0).get(48);
                long scn = w.lastScn().value() + 1;
                w.append(op(t.changes().get(0)), t.xid(), Scn.of(scn), ts(scn), true, t.changes().get(0));
                w.append(RedoOp.COMMIT, t.xid(), Scn.of(scn + 1), ts(scn + 1), false, null);
                w.flush(true);
            }
            drain(dir, agg, merger, out);
        }
        return null;
    }

    private static void drain(Path dir, TransactionAggregator agg, ThreadMerger merger, List<String> out) {
        for (int idle = 0, batches = 0; idle < 2; batches++) {
            if (batches > 10_000) throw new IllegalStateException("redo reader never reached the end");
            List<RedoRecord> records = merger.next(64);
            idle = records.isEmpty() ? idle + 1 : 0;
            ExtractSteps.send(dir, agg, records, merger.currentPoints()).forEach(t -> out.add(Workload.describe(t)));
        }
    }
}
