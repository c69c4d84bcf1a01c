package io.redotrail.redo.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Measures row changes per second into the H2 source plus an in-memory sink; prints, does not assert on time. */
class WorkloadThroughputTest {
    @TempDir
    Path home;

    @Test
    void measureThroughput() {
        WorkloadConfig config = WorkloadConfig.defaults().withTransactions(20_000).withSeed(7);
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            new WorkloadGenerator(db, new InMemoryRedoSink(), config.withTransactions(2_000)).run(); // warm-up
            CountingSink sink = new CountingSink();
            WorkloadStats stats = new WorkloadGenerator(db, sink, config).run();
            System.out.printf("workload throughput: %.0f row changes/s (%s)%n", stats.rowChangesPerSecond(), stats);
            assertTrue(stats.committedRowChanges() > 0);
        }
    }

    /** Drops records after counting them, so the measurement is the generator and H2. */
    private static final class CountingSink implements RedoSink {
        private io.redotrail.core.Scn last = io.redotrail.core.Scn.ZERO;

        @Override
        public io.redotrail.core.RedoPosition append(int thread, RedoRecordType type, io.redotrail.core.Xid xid,
                                                    io.redotrail.core.Scn scn, long tsMillis, boolean first,
                                                    io.redotrail.core.RowChange change) {
            last = scn;
            return null;
        }

        @Override
        public void flush() {
        }

        @Override
        public void switchLogFile(int thread) {
        }

        @Override
        public io.redotrail.core.Scn lastScn() {
            return last;
        }

        @Override
        public void close() {
        }
    }
}
