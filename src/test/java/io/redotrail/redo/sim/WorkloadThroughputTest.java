package io.redotrail.redo.sim;

import io.redotrail.redo.RedoOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures row changes per second into the H2 source plus a sink; prints, does not assert on time (the
 * build machine is shared). {@code -Dredotrail.sim.benchTx=150000} for a longer, steadier measurement.
 */
class WorkloadThroughputTest {
    @TempDir
    Path home;

    @Test
    void measureThroughput() {
        int tx = Integer.getInteger("redotrail.sim.benchTx", 30_000);
        WorkloadConfig config = WorkloadConfig.defaults().withTransactions(tx).withSeed(7);
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            CountingSink sink = new CountingSink();
            new WorkloadGenerator(db, sink, config.withTransactions(5_000)).run(); // JIT warm-up
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            WorkloadStats stats = new WorkloadGenerator(db, sink, config).run();
            long cpuMs = (os.getProcessCpuTime() - cpu0) / 1_000_000;
            System.out.printf("workload throughput: %.0f row changes/s, process CPU %d ms over %d ms wall, %d cores (%s)%n",
                    stats.rowChangesPerSecond(), cpuMs, stats.elapsedNanos() / 1_000_000,
                    Runtime.getRuntime().availableProcessors(), stats);
            assertTrue(stats.committedRowChanges() > 0);
        }
    }

    /** Counts records and drops them, so the measurement is the generator and H2. */
    private static final class CountingSink implements RedoSink {
        private Scn last = Scn.ZERO;
        private long records;

        @Override
        public RedoPosition append(int thread, RedoOp type, Xid xid, Scn scn, long tsMillis, boolean first,
                                   RowChange change) {
            last = scn;
            return new RedoPosition(thread, 1, records++);
        }

        @Override
        public void flush() {
        }

        @Override
        public void switchLogFile(int thread) {
        }

        @Override
        public Scn lastScn() {
            return last;
        }

        @Override
        public void close() {
        }
    }
}
