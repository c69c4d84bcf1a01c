package io.redotrail.bench;

import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

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

    /** A real run, small and on H2 only: every configuration applies the pre-written trails and the section names them. */
    @Test
    void aSmallRunOnH2WritesEveryConfigurationIntoItsSection() throws Exception {
        Path home = dir.resolve("home"), out = dir.resolve("performance.md");
        Settings s = PrewrittenTrail.settings(Path.of("config/application.properties"), home, Map.of());
        ConfigCheck.validate(s);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ReplicatBench.run(s, new ReplicatBench.Options(40, 1, null, "postgres", out), new PrintStream(log, true, StandardCharsets.UTF_8));
        String doc = Files.readString(out);
        assertTrue(doc.contains("`bin/redotrail bench replicat --transactions 40 --repeat 1`"), doc);
        for (String what : List.of("| H2 | 1 | on |", "| H2 | 1 | off |", "| H2 | 100 | on |", "| H2 | 1000 | off |")) {
            assertEquals(2, doc.split(java.util.regex.Pattern.quote(what), -1).length - 1, what + " in both tables:\n" + doc);
        }
        assertFalse(doc.contains("PostgreSQL |"), doc);
        assertTrue(Files.exists(home.resolve(BenchHome.MARKER)), "the home is marked as bench-made");
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
