package io.redotrail.bench;

import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplicatBenchTest {
    @TempDir
    Path dir;

    @Test
    void writeReplacesOnlyItsOwnSection() throws Exception {
        Path f = dir.resolve("performance.md");
        Files.writeString(f, "# Performance\n\n## Pipeline\n\nold pipeline\n\n## Replicat apply rate\n\nold\n\n## Extract\n\nx\n");
        ReplicatBench.write(f, "## Replicat apply rate\n\nnew\n\n");
        assertEquals("# Performance\n\n## Pipeline\n\nold pipeline\n\n## Replicat apply rate\n\nnew\n\n## Extract\n\nx\n", Files.readString(f));
        Path h = dir.resolve("generated.md");
        Files.writeString(h, "# Performance\n\n## Replicat apply rate\n\nold\n\n<!-- bench begin -->\n### Latest\n<!-- bench end -->\n");
        ReplicatBench.write(h, "## Replicat apply rate\n\nnew\n\n");
        assertEquals("# Performance\n\n## Replicat apply rate\n\nnew\n\n<!-- bench begin -->\n### Latest\n<!-- bench end -->\n", Files.readString(h));
        Path g = dir.resolve("other.md");
        Files.writeString(g, "# Performance\n\n## Pipeline\n\np\n");
        ReplicatBench.write(g, "## Replicat apply rate\n\nnew\n\n");
        assertEquals("# Performance\n\n## Pipeline\n\np\n\n## Replicat apply rate\n\nnew\n\n", Files.readString(g));
    }

    @Test
    void exchangesHoldWholeTransactionsUpTo5000Operations() {
        List<Transaction> real = new ArrayList<>();
        for (int size : new int[]{3000, 2000, 1, 6000, 10}) real.add(tx(real.size(), size));
        List<List<Transaction>> ex = ReplicatBench.exchanges(real);
        assertEquals(List.of(2, 1, 1, 1), ex.stream().map(List::size).toList());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, ReplicatBench.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, ReplicatBench.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(7.0, ReplicatBench.median(List.of(7.0)));
    }

    private static Transaction tx(int i, int size) {
        io.redotrail.core.RowChange ch = new io.redotrail.core.RowChange("A.B", io.redotrail.core.ChangeOp.INSERT, null,
                new io.redotrail.core.RowImage(new String[]{"ID"}, new Object[]{1L}));
        return new Transaction(Xid.parse("1.1." + i), Scn.of(i + 1), 0, 1, Collections.nCopies(size, ch), null);
    }
}
