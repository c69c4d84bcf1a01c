package io.redotrail.bench;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.FileTrees;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.extract.ExtractStats;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoOp;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.scenario.ChildProcesses;
import io.redotrail.sim.RedoLogWriter;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test) for issue 4: restart time and redo bytes re-read after a crash while a transaction
 * has been open for 10 hours of source time, with Bounded Recovery on (BRINTERVAL 4H) and off. For each mode:
 * writes the same redo (a long transaction that begins first and stays open, and small committed transactions
 * spread over 10 hours), runs the extract in its own JVM until the trail holds every commit, kills it with
 * SIGKILL, then restarts the extract in this JVM and measures the time and redo bytes until it has read to the
 * end of the redo again.
 */
public final class RecoveryBench {
    private static final long HOUR = 3_600_000L;

    public record Result(String mode, long restartMillis, long redoBytesReRead, long recordsReRead, long redoBytesTotal) {
        Result withMode(String m, long total) {
            return new Result(m, restartMillis, redoBytesReRead, recordsReRead, total);
        }
    }

    /** Starts the extract route in this JVM and times it until it has read the record with SCN {@code endScn}. */
    private static Result restart(Settings s, Path projectDir, long endScn) throws Exception {
        long t0 = System.nanoTime();
        try (Pipeline p = Pipeline.start(s, "file:" + projectDir.resolve("routes/extract.yaml"))) {
            ExtractStats st = p.bean("extract", TransactionAggregator.class).stats();
            while (st.lastReadScn < endScn) {
                if (p.abended()) throw new IllegalStateException("restarted extract abended: " + p.abends());
                Thread.sleep(2);
            }
            return new Result("", (System.nanoTime() - t0) / 1_000_000, st.redoBytesRead.get(), st.recordsRead.get(), 0);
        }
    }

    private RecoveryBench() {
    }

    /**
     * {@code bin/redotrail bench --recovery}: wipes {@code base}'s home ({@link BenchHome#wipe}), runs both modes
     * with {@code smallTransactions} (null: 300,000) and writes the table into the {@code recovery} section of
     * {@code output}.
     */
    public static void report(Settings base, Integer smallTransactions, Path output, PrintStream out) throws Exception {
        int small = smallTransactions != null ? smallTransactions : 300_000;
        BenchHome.wipe(base.home());
        List<Result> results = run(Path.of("").toAbsolutePath(), base.file(), base.home(), small, out);
        StringBuilder sb = new StringBuilder("### Extract restart after a crash (`bin/redotrail bench --recovery`)\n\n");
        sb.append("- date: ").append(java.time.ZonedDateTime.now()).append('\n');
        sb.append("- machine: ").append(PerformanceReport.machine()).append('\n');
        sb.append(String.format("- redo: one transaction open for 10 hours of source time, %,d small committed transactions "
                + "over those hours; the extract (own JVM) caught up, was killed with SIGKILL, and was restarted%n%n", small));
        sb.append("| mode | restart until caught up (ms) | redo bytes re-read | records re-read | redo bytes in all |\n|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append(String.format("| %s | %,d | %,d | %,d | %,d |%n", r.mode(), r.restartMillis(), r.redoBytesReRead(),
                    r.recordsReRead(), r.redoBytesTotal()));
        }
        PerformanceReport.replaceSection(output, "recovery", sb.toString());
        out.println("written to " + output.toAbsolutePath());
    }

    public static List<Result> run(Path projectDir, Path config, Path baseHome, int smallTransactions, PrintStream out)
            throws Exception {
        List<Result> results = new ArrayList<>();
        for (boolean brOn : new boolean[]{true, false}) {
            String mode = brOn ? "BR on (BRINTERVAL 4H)" : "BR off";
            Path home = baseHome.resolve(brOn ? "br-on" : "br-off");
            FileTrees.delete(home);
            Map<String, String> overrides = Map.of("redotrail.home", home.toString(),
                    "redotrail.extract.brOff", Boolean.toString(!brOn), "redotrail.extract.brInterval", "4H");
            long[] written = writeRedo(home, smallTransactions); // {last commit CSN, last SCN, bytes}
            try (ChildProcesses children = new ChildProcesses(projectDir, config, home, overrides, out)) {
                children.start("extract");
                CheckpointFile cpe = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1"));
                long deadline = System.currentTimeMillis() + 600_000;
                while (trailCsn(cpe) < written[0]) {
                    if (System.currentTimeMillis() > deadline) throw new IllegalStateException("extract did not catch up");
                    Thread.sleep(200);
                }
                children.kill("extract");
            }
            Settings s = Settings.load(config, overrides);
            restart(s, projectDir, written[1]); // warm-up (JIT, class loading); a graceful stop keeps the state
            results.add(restart(s, projectDir, written[1]).withMode(mode, written[2]));
            out.printf("%-24s restart %,6d ms, re-read %,12d redo bytes (%,d records) of %,d%n", mode,
                    results.get(results.size() - 1).restartMillis(), results.get(results.size() - 1).redoBytesReRead(),
                    results.get(results.size() - 1).recordsReRead(), written[2]);
        }
        return results;
    }

    /** Long transaction first, then small ones over 10 hours of source time; returns last CSN, last SCN, bytes. */
    private static long[] writeRedo(Path home, int small) {
        long start = 1_403_344_200_000L; // 2014-06-21 18:10 (seed 002)
        long step = 10 * HOUR / small;
        long scn = 9_137_520;
        long lastCommit = 0;
        Xid longTx = new Xid(10, 16, 1533);
        long bytes;
        try (RedoLogWriter w = RedoLogWriter.open(RedoLogConfig.defaults(home, 1, "ORCL").withLogSize(16L << 20))) {
            w.append(RedoOp.INSERT, longTx, Scn.of(++scn), start, true, row("MYOBJECTS.T", 0));
            for (int i = 1; i <= small; i++) {
                long ts = start + i * step;
                Xid x = new Xid(1, i % 32, i);
                w.append(RedoOp.INSERT, x, Scn.of(++scn), ts, true, row("YDJK.BATCH_LOG", i));
                w.append(RedoOp.COMMIT, x, Scn.of(++scn), ts, false, null);
                lastCommit = scn;
                if (i % 500 == 0) w.append(RedoOp.INSERT, longTx, Scn.of(++scn), ts, false, row("MYOBJECTS.T", i));
            }
            w.flush(true);
            bytes = FileTrees.size(home.resolve("arch"), ".arc") + w.position();
        }
        return new long[]{lastCommit, scn, bytes};
    }

    private static RowChange row(String table, long id) {
        return new RowChange(table, ChangeOp.INSERT, null, new RowImage(new String[]{"ID", "NOTE"},
                new Object[]{id, "batch row " + id}));
    }

    private static long trailCsn(CheckpointFile cpe) {
        try {
            return cpe.read().map(ProcessCheckpoint::writes).filter(l -> !l.isEmpty())
                    .map(l -> l.get(0).lastCsn().value()).orElse(0L);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
