package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check {@code bench link} makes of every copy: a faithful copy passes; a lost, doubled or altered transaction does not. */
class TrailDigestTest {
    @TempDir
    Path dir;

    private static Transaction tx(long n, String name) {
        RowChange c = new RowChange("HR.EMP", ChangeOp.INSERT, null, new RowImage(new String[]{"ID", "NAME"}, new Object[]{n, name}));
        return new Transaction(new Xid(1, (int) n, n), Scn.of(1000 + n), 1_700_000_000_000L + n, 1, List.of(c), new RedoPosition(1, 7, 512 * n));
    }

    private static List<Transaction> txs(int n) {
        List<Transaction> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(tx(i, "name" + i));
        return out;
    }

    private TrailDigest write(String prefix, String group, List<Transaction> txs, int batch) {
        Path trail = dir.resolve("dirdat").resolve(prefix);
        try (TrailWriter w = TrailWriter.open(trail, group, 1 << 20)) {
            for (int i = 0; i < txs.size(); i += batch) w.append(txs.subList(i, Math.min(txs.size(), i + batch)));
        }
        return TrailDigest.of(trail);
    }

    @Test
    void aCopyByAnotherGroupInOtherBatchesMatches() throws Exception {
        Files.createDirectories(dir.resolve("dirdat"));
        TrailDigest source = write("ex", "EXT1", txs(50), 50);
        TrailDigest copy = write("ha", "PUMP1", txs(50), 7);
        assertEquals(50, source.transactions());
        assertEquals(50, source.rows());
        assertEquals(1050, source.lastCsn());
        assertTrue(source.fileBytes() > 0);
        assertNull(source.mismatch(copy), "a faithful copy");
    }

    @Test
    void aLostDoubledOrAlteredTransactionIsAMismatch() throws Exception {
        Files.createDirectories(dir.resolve("dirdat"));
        TrailDigest source = write("ex", "EXT1", txs(50), 50);
        List<Transaction> lost = new ArrayList<>(txs(50));
        lost.remove(20);
        List<Transaction> doubled = new ArrayList<>(txs(50));
        doubled.add(21, doubled.get(20));
        List<Transaction> altered = new ArrayList<>(txs(50));
        altered.set(30, tx(31, "changed"));
        List<Transaction> tailLost = new ArrayList<>(txs(49));
        int i = 0;
        for (List<Transaction> bad : List.of(lost, doubled, altered, tailLost)) {
            String why = source.mismatch(write("h" + i++, "PUMP1", bad, 10));
            assertNotNull(why, "copy " + i + " differs");
            assertTrue(why.contains("the source trail 50,"), why);
        }
    }
}
