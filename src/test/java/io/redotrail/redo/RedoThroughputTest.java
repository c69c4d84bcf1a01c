package io.redotrail.redo;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throughput of small records (target > 500k/s each way). The assertion is deliberately loose (100k/s) so a
 * busy CI machine does not fail the build; the measured rates are printed.
 */
class RedoThroughputTest {
    @TempDir
    Path home;

    @Test
    void writesAndReadsSmallRecordsQuickly() {
        int n = 1_000_000;
        RedoLogConfig cfg = new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), 1, 3, 256L << 20, "ORCL");
        RowChange change = new RowChange("HR.EMP", ChangeOp.INSERT, null,
                new RowImage(new String[]{"ID", "NAME"}, new Object[]{42L, "small"}));
        long t0 = System.nanoTime();
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            for (int i = 0; i < n; i++) {
                w.append(RedoOp.INSERT, new Xid(1, 2, i), Scn.of(i + 1), i, true, change);
                if (i % 1000 == 999) w.flush(false);
            }
            w.flush(true);
        }
        long t1 = System.nanoTime();
        int read = 0;
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            List<RedoRecord> got;
            while (!(got = r.poll(5000)).isEmpty()) read += got.size();
        }
        long t2 = System.nanoTime();
        double writeRate = n / ((t1 - t0) / 1e9), readRate = n / ((t2 - t1) / 1e9);
        System.out.printf("redo throughput: write %.0f records/s, read %.0f records/s%n", writeRate, readRate);
        assertEquals(n, read);
        assertTrue(writeRate > 100_000, "write rate " + writeRate);
        assertTrue(readRate > 100_000, "read rate " + readRate);
    }
}
