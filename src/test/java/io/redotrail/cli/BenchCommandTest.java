package io.redotrail.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static io.redotrail.cli.CliTest.execute;
import static org.junit.jupiter.api.Assertions.*;

/** {@code bin/redotrail bench} on a tiny workload ends with its goal lines, in the exact format. */
class BenchCommandTest {
    private static final Pattern RATE = Pattern.compile("goal: extract-alone \\d+ 1000000 (MET|NOT MET)");

    private static Pattern ratio(String name, String target) {
        return Pattern.compile("goal: " + name + " \\d+\\.\\d\\d " + Pattern.quote(target) + " (MET|NOT MET)");
    }

    @Test
    void onH2ItEndsWithThreeGoalLines(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("performance.md");
        CliTest.Result r = execute("bench", "--home", tmp.resolve("home").toString(), "--transactions", "150", "--output", out.toString());
        assertEquals(0, r.exit(), r.toString());
        List<String> last = tail(r.out(), 3);
        assertTrue(RATE.matcher(last.get(0)).matches(), last.get(0));
        assertTrue(ratio("replicat-vs-limit", "0.90").matcher(last.get(1)).matches(), last.get(1));
        assertTrue(ratio("end-to-end-vs-limit", "0.80").matcher(last.get(2)).matches(), last.get(2));
        assertTrue(r.out().contains("equal to the source"), r.out());
        String doc = Files.readString(out);
        for (String l : last) assertTrue(doc.contains(l + "\n"), "the report holds " + l + ":\n" + doc);
        assertTrue(doc.contains("| limit: the same on 4 connections partitioned by key |"), doc);
    }

    @Test
    void onPostgresqlTheParallelGoalsMeasureTheParallelReplicat(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("performance.md");
        CliTest.Result r = execute("bench", "--home", tmp.resolve("home").toString(), "--transactions", "100", "--output", out.toString(),
                "--target", "postgresql", "--connections", "3");
        assertEquals(0, r.exit(), r.toString());
        List<String> last = tail(r.out(), 5);
        assertTrue(RATE.matcher(last.get(0)).matches(), last.get(0));
        assertTrue(ratio("replicat-vs-limit", "0.90").matcher(last.get(1)).matches(), last.get(1));
        assertTrue(ratio("end-to-end-vs-limit", "0.80").matcher(last.get(2)).matches(), last.get(2));
        assertTrue(Pattern.compile("goal: parallel-vs-serial \\d+\\.\\d 2\\.0 (MET|NOT MET)").matcher(last.get(3)).matches(), last.get(3));
        assertTrue(ratio("parallel-vs-plain", "0.80").matcher(last.get(4)).matches(), last.get(4));
        assertTrue(Files.readString(out).contains("- target: PostgreSQL"));
        assertTrue(Files.readString(out).contains("| parallel replicat alone: remote trail -> target PostgreSQL, APPLY_PARALLELISM 3 |"),
                Files.readString(out));
    }

    @Test
    void refusesAnUnknownTarget(@TempDir Path tmp) {
        CliTest.Result r = execute("bench", "--home", tmp.resolve("home").toString(), "--target", "oracle");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--target must be h2 or postgresql, got 'oracle'"), r.err());
        assertFalse(Files.exists(tmp.resolve("home")), "a refused bench made its home");
    }

    private static List<String> tail(String out, int n) {
        List<String> lines = Arrays.asList(out.strip().split("\\R"));
        return lines.subList(lines.size() - n, lines.size());
    }
}
