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
        CliTest.Result r = execute("bench", "--home", tmp.resolve("home").toString(), "--transactions", "150", "--output", out.toString(),
                "--repeat", "2");
        assertEquals(0, r.exit(), r.toString());
        List<String> rounds = r.out().lines().filter(l -> l.startsWith("round ")).toList();
        assertEquals(2, rounds.size(), r.out());
        // each stage's and each limit's JVM CPU and JIT time, and the whole machine's CPU against seconds x cores
        String cpu = "JVM [\\d.]+ CPU-s, JIT [\\d.]+ s, machine [\\d.]+ of [\\d.]+ CPU-s";
        for (String l : rounds) {
            assertTrue(l.matches("round \\d of 2: extract [\\d.]+ s, pump [\\d.]+ s, replicat [\\d.]+ s \\(started at [\\d.]+ s, first commit at [\\d.]+ s, "
                    + "route thread [\\d.]+ CPU-s, committer [\\d.]+ CPU-s, GC pauses [\\d.]+ s, " + cpu + "\\), "
                    + "end to end [\\d.]+ s \\(first commit at [\\d.]+ s, " + cpu + "\\), plain apply [\\d.]+ s "
                    + "\\([\\d.]+ CPU-s, GC pauses [\\d.]+ s, " + cpu + "\\) on 1 connection and [\\d.]+ s on 4 "
                    + "\\(" + cpu + "\\)"), l);
        }
        List<String> last = tail(r.out(), 3);
        assertTrue(RATE.matcher(last.get(0)).matches(), last.get(0));
        assertTrue(ratio("replicat-vs-limit", "0.90").matcher(last.get(1)).matches(), last.get(1));
        assertTrue(ratio("end-to-end-vs-limit", "0.80").matcher(last.get(2)).matches(), last.get(2));
        assertTrue(r.out().contains("equal to the source"), r.out());
        String doc = Files.readString(out);
        for (String l : last) assertTrue(doc.contains(l + "\n"), "the report holds " + l + ":\n" + doc);
        assertTrue(doc.contains("| limit: the same on 4 connections partitioned by key |"), doc);
        assertTrue(doc.contains("- seconds: the best of 2 rounds of every stage and of the limit, run in turn\n"), doc);
    }

    @Test
    void extractAloneReportsEachRunAndEndsWithItsGoalLine(@TempDir Path tmp) throws Exception {
        Path jfr = tmp.resolve("extract.jfr");
        CliTest.Result r = execute("bench", "extract", "--home", tmp.resolve("home").toString(), "--transactions", "150",
                "--warmup", "1", "--repeat", "2", "--jfr", jfr.toString());
        assertEquals(0, r.exit(), r.toString());
        List<String> warmUps = r.out().lines().filter(l -> l.startsWith("extract warm-up ")).toList();
        assertEquals(1, warmUps.size(), r.out());
        assertTrue(warmUps.get(0).matches("extract warm-up 1/1 \\(not counted\\): [\\d.]+ s = [\\d,]+ rows/s"), warmUps.get(0));
        assertTrue(r.out().indexOf("extract warm-up 1/1") < r.out().indexOf("extract run 1/2"), "warm-up before the timed runs:\n" + r.out());
        List<String> runs = r.out().lines().filter(l -> l.startsWith("extract run ")).toList();
        assertEquals(2, runs.size(), r.out());
        for (String l : runs) {
            assertTrue(l.matches("extract run \\d/2: [\\d,]+ rows in [\\d.]+ s \\(route started after [\\d.]+ s\\) = [\\d,]+ rows/s; "
                    + "[\\d.]+ CPU-s = [\\d,]+ rows per CPU-second; load average [\\d.-]+"), l);
        }
        assertTrue(RATE.matcher(tail(r.out(), 1).get(0)).matches(), r.out());
        assertTrue(Files.size(jfr) > 0, "the JFR recording of the timed runs");
    }

    @Test
    void extractRefusesNoRuns(@TempDir Path tmp) {
        CliTest.Result r = execute("bench", "extract", "--home", tmp.resolve("home").toString(), "--repeat", "0");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--repeat must be at least 1"), r.err());
        CliTest.Result w = execute("bench", "extract", "--home", tmp.resolve("home").toString(), "--warmup", "-1");
        assertEquals(2, w.exit(), w.toString());
        assertTrue(w.err().contains("--warmup must be at least 0"), w.err());
    }

    @Test
    void onPostgresqlTheParallelGoalsMeasureTheParallelReplicat(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("performance.md");
        CliTest.Result r = execute("bench", "--home", tmp.resolve("home").toString(), "--transactions", "100", "--output", out.toString(),
                "--target", "postgresql", "--connections", "3", "--repeat", "1");
        assertEquals(0, r.exit(), r.toString());
        // the parallel stage's and the partitioned limit's JVM CPU (on few cores the client's CPU is the gap between
        // them) and JIT compiling time (a stage measured while it compiles shares the cores with the compiler),
        // and the whole machine's CPU against the seconds times the cores (JVM and PostgreSQL: busy, or waiting)
        String cpu = "\\(JVM [\\d.]+ CPU-s, JIT [\\d.]+ s, machine [\\d.]+ of [\\d.]+ CPU-s\\)";
        assertTrue(Pattern.compile("round 1 of 1: .*, parallel replicat [\\d.]+ s " + cpu + ", end to end "
                + ".* and [\\d.]+ s on 3 " + cpu).matcher(r.out()).find(), r.out());
        List<String> last = tail(r.out(), 5);
        assertTrue(RATE.matcher(last.get(0)).matches(), last.get(0));
        assertTrue(ratio("replicat-vs-limit", "0.90").matcher(last.get(1)).matches(), last.get(1));
        assertTrue(ratio("end-to-end-vs-limit", "0.80").matcher(last.get(2)).matches(), last.get(2));
        assertTrue(Pattern.compile("goal: parallel-vs-serial \\d+\\.\\d 2\\.0 (MET|NOT MET)").matcher(last.get(3)).matches(), last.get(3));
        assertTrue(ratio("parallel-vs-plain", "0.80").matcher(last.get(4)).matches(), last.get(4));
        assertTrue(Files.readString(out).contains("- target: PostgreSQL"));
        // its own section by default: a PostgreSQL run leaves the H2 run's `bench` section alone
        assertTrue(Files.readString(out).contains("<!-- bench-pg:begin -->\n### Latest `bin/redotrail bench --target postgresql` run\n"),
                Files.readString(out));
        assertFalse(Files.readString(out).contains("<!-- bench:begin -->"), Files.readString(out));
        assertTrue(Files.readString(out).contains("| parallel replicat alone: remote trail -> target PostgreSQL, APPLY_PARALLELISM 3 |"),
                Files.readString(out));
    }

    /**
     * {@code bench --observe}: every run of each mode, the best of each and the cost line, in the documented format
     * (docs/performance.md); nothing about the values (this machine is shared). Its runs check their mode was in
     * effect (route MBeans, a scrape with the group meters) and fail the command otherwise.
     */
    @Test
    void observePrintsEachRunTheBestOfEachModeAndTheCost(@TempDir Path tmp) throws Exception {
        CliTest.Result r = execute("bench", "--observe", "--repeat", "2", "--home", tmp.resolve("home").toString(), "--transactions", "150");
        assertEquals(0, r.exit(), r.toString());
        String rate = "[\\d,]+ rows in [\\d.]+ s = [\\d,]+ rows/s; [\\d.]+ CPU-s = [\\d,]+ rows per CPU-second";
        List<String> runs = r.out().lines().filter(l -> l.startsWith("observe run ")).toList();
        assertEquals(List.of("1/2, off", "1/2, on", "2/2, on", "2/2, off"), runs.stream().map(l -> l.substring(12, l.indexOf(':'))).toList(), r.out());
        for (String l : runs) {
            assertTrue(l.matches("observe run \\d/2, off: " + rate + " \\(no HTTP server, no meters, Camel JMX off: 0 scrapes\\)")
                    || l.matches("observe run \\d/2, on: " + rate + " \\(JMX, meters, /metrics scraped every 1 s: \\d+ scrapes\\)"), l);
        }
        List<String> last = tail(r.out(), 3);
        assertTrue(last.get(0).matches("observability off, best of 2: [\\d,]+ rows/s; [\\d,]+ rows per CPU-second"), last.get(0));
        assertTrue(last.get(1).matches("observability on, best of 2: [\\d,]+ rows/s; [\\d,]+ rows per CPU-second"), last.get(1));
        assertTrue(last.get(2).matches("observability cost: on/off \\d+\\.\\d\\d of rows/s, \\d+\\.\\d\\d of rows per CPU-second \\(.+; load average [\\d.-]+\\)"),
                last.get(2));
    }

    @Test
    void observeExcludesLagAndRepeatRefusesLag(@TempDir Path tmp) {
        CliTest.Result r = execute("bench", "--observe", "--lag", "--home", tmp.resolve("home").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--lag, --recovery and --observe exclude each other"), r.err());
        r = execute("bench", "--lag", "--repeat", "2", "--home", tmp.resolve("home").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--repeat does not go with --lag or --recovery"), r.err());
        assertFalse(Files.exists(tmp.resolve("home")), "a refused bench made its home");
    }

    @Test
    void refusesAnUnknownTarget(@TempDir Path tmp) {
        CliTest.Result r = execute("bench", "--home", tmp.resolve("home").toString(), "--target", "oracle");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--target must be h2 or postgresql, got 'oracle'"), r.err());
        assertFalse(Files.exists(tmp.resolve("home")), "a refused bench made its home");
    }

    /**
     * {@code bench --lag} with 2-second phases after a measured maximum: every phase line and the goal line are there
     * and well formed, the 50 % phase has lag figures, the report section holds them. Nothing about their
     * values (this machine is shared).
     */
    @Test
    void lagEndsWithItsPhasesAndGoalLine(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("performance.md");
        CliTest.Result r = execute("bench", "--lag", "--home", tmp.resolve("home").toString(), "--transactions", "150",
                "--lag-seconds", "2", "--warmup-seconds", "1", "--output", out.toString());
        assertEquals(0, r.exit(), r.toString());
        String ms = "(\\d[\\d,]*|n/a) ms";
        Pattern phase = Pattern.compile("lag at (50|90)%: offered [\\d,]+ rows/s, achieved ([\\d,]+|n/a) rows/s over \\d+\\.\\d s, [\\d,]+ transactions: "
                + "p50 " + ms + ", p90 " + ms + ", p99 " + ms + ", p99\\.9 " + ms + ", max " + ms);
        List<String> last = tail(r.out(), 5);
        assertTrue(phase.matcher(last.get(1)).matches() && last.get(1).startsWith("lag at 50%"), last.get(1));
        assertTrue(phase.matcher(last.get(2)).matches() && last.get(2).startsWith("lag at 90%"), last.get(2));
        assertTrue(last.get(3).startsWith("written to "), last.get(3));
        // the Replicat's listener, registered through the pipeline's CamelContext, measured the 50 % phase
        assertFalse(last.get(1).contains(" 0 transactions") || last.get(1).contains("n/a"), last.get(1));
        assertTrue(Pattern.compile("goal: lag-p99-at-50 \\d+ 1000 (MET|NOT MET)").matcher(last.get(4)).matches(), last.get(4));
        assertTrue(r.out().contains("end-to-end maximum: "), r.out());
        assertTrue(r.out().contains("note: phases of 2 s, shorter than the 60 s of issue 13"), r.out());
        String doc = Files.readString(out);
        assertTrue(doc.contains("<!-- bench-lag:begin -->\n### Latest `bin/redotrail bench --lag` run"), doc);
        assertTrue(doc.contains("- machine: ") && doc.contains("- date: ") && doc.contains("- end-to-end maximum: "), doc);
        assertTrue(doc.contains("\n| 50% | ") && doc.contains("\n| 90% | "), doc);
        assertTrue(doc.contains(last.get(4) + "\n"), doc);
    }

    @Test
    void lagOptionsNeedLag(@TempDir Path tmp) {
        CliTest.Result r = execute("bench", "--home", tmp.resolve("home").toString(), "--lag-seconds", "2");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--max-rate, --lag-seconds and --warmup-seconds go with --lag"), r.err());
        r = execute("bench", "--lag", "--home", tmp.resolve("home").toString(), "--lag-seconds", "0");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--lag-seconds must be at least 1, got 0"), r.err());
        assertFalse(Files.exists(tmp.resolve("home")), "a refused bench made its home");
    }

    /** bench split: a line per round with every case, then the best of each against the plain apply (checked row by row count and sum). */
    @Test
    void splitMeasuresTheWholeTransactionAndEachSplitAgainstThePlainApply(@TempDir Path tmp) throws Exception {
        CliTest.Result r = execute("bench", "split", "--home", tmp.resolve("home").toString(), "--rows", "300", "--repeat", "1",
                "--connections", "2", "--split", "100,40");
        assertEquals(0, r.exit(), r.toString());
        List<String> last = tail(r.out(), 6);
        assertTrue(last.get(0).matches("warm-up: plain apply [\\d.]+ s; whole [\\d.]+ s; SPLIT_TRANS_RECS 100 [\\d.]+ s; SPLIT_TRANS_RECS 40 [\\d.]+ s;"), r.out());
        assertTrue(last.get(1).startsWith("round 1: plain apply "), r.out());
        assertTrue(last.get(2).matches("plain apply: best [\\d.]+ s = [\\d,]+ rows/s, 1.00 of the plain apply"), r.out());
        assertTrue(last.get(3).startsWith("whole: best "), r.out());
        assertTrue(last.get(5).matches("SPLIT_TRANS_RECS 40: best [\\d.]+ s = [\\d,]+ rows/s, [\\d.]+ of the plain apply"), r.out());

        r = execute("bench", "split", "--home", tmp.resolve("home").toString(), "--split", "0");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--split values must be at least 1, got 0"), r.err());
    }

    private static List<String> tail(String out, int n) {
        List<String> lines = Arrays.asList(out.strip().split("\\R"));
        return lines.subList(lines.size() - n, lines.size());
    }
}
