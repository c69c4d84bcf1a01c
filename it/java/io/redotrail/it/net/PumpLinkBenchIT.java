package io.redotrail.it.net;

import io.redotrail.core.FileTrees;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.it.ItJvms;
import io.redotrail.trail.TrailReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.redotrail.it.ItSupport.PROJECT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/redotrail bench link} at a tiny size, in its own JVM from the packaged jar as a user runs it (its target
 * Manager starts each collector as a JVM of that install): the structure of what it prints and writes, and its
 * verification — not its timings. The last copy it makes (the ENCRYPTTRAIL trail, PASSTHRU over TCP) is read back
 * here too and compared record by record with the source trail, independently of the bench's own check.
 */
class PumpLinkBenchIT {
    static final List<String> ROWS = List.of("local copy (baseline)", "plain TCP", "COMPRESS (LZ4)", "COMPRESS, COMPRESSALGORITHM ZSTD",
            "TLS", "TLS, COMPRESS (LZ4)", "ENCRYPTTRAIL: local copy (baseline)", "ENCRYPTTRAIL: PASSTHRU, plain TCP");

    @Test
    void aTinyRunCopiesTheTrailEveryWayChecksEachCopyAndWritesItsSection() throws Exception {
        Path dir = PROJECT.resolve("target/it-homes/PumpLinkBenchIT");
        FileTrees.delete(dir);
        Files.createDirectories(dir);
        Path out = dir.resolve("performance.md"), home = dir.resolve("bench");
        Files.writeString(out, "# Performance\n\n<!-- link:begin -->\nold figures\n<!-- link:end -->\n\n## Kept\n\nkept\n");
        ItJvms.Cli c = ItJvms.cliJvm(Duration.ofMinutes(10), List.of(), "bench", "link", "--transactions", "150", "--repeat", "1",
                "--home", home.toString(), "--output", out.toString());
        String o = c.output();
        assertEquals(0, c.exitCode(), o);

        Matcher committed = Pattern.compile("committed ([\\d,]+) transactions / ([\\d,]+) row changes").matcher(o);
        assertTrue(committed.find(), o);
        // every row of the table: start and copy seconds, records/s, MB/s; remote rows their bytes and ratio; ÷ local
        for (String row : ROWS) {
            boolean remote = !row.contains("local copy");
            String bytes = remote ? " +[\\d,]+ +[\\d,]+ +\\d+\\.\\d\\d:1" : " +- +- +-";
            Pattern p = Pattern.compile("(?m)^" + Pattern.quote(row) + " +\\d+\\.\\d\\d +\\d+\\.\\d\\d +[\\d,]+ +\\d+\\.\\d" + bytes
                    + " +" + (remote ? "\\d+\\.\\d\\d" : "1\\.00") + "$");
            assertTrue(p.matcher(o).find(), row + " in:\n" + o);
        }
        // COMPRESS shrinks the clear trail's records; the sealed records of ENCRYPTTRAIL are what the link carries
        Matcher lz4 = Pattern.compile("(?m)^COMPRESS \\(LZ4\\) .* ([\\d,]+) +([\\d,]+) +(\\d+\\.\\d\\d):1 ").matcher(o);
        assertTrue(lz4.find() && Double.parseDouble(lz4.group(3)) > 1.2, o);
        assertTrue(o.contains("every run verified: the copy held exactly the source trail's " + committed.group(1) + " transactions and "
                + committed.group(2) + " row changes"), o);
        assertTrue(o.contains("load average (1, 5, 15 min): "), o);

        // the last copy, read back here: the ENCRYPTTRAIL trail's sealed records, unchanged, every transaction once
        List<Transaction> source = read(home.resolve("source/dirdat/ee")), copy = read(home.resolve("target/dirdat/ha"));
        assertEquals(source.size(), copy.size());
        assertEquals(Long.parseLong(committed.group(1).replace(",", "")), source.size());
        for (int i = 0; i < source.size(); i++) {
            Transaction s = source.get(i), t = copy.get(i);
            assertEquals(s.xid(), t.xid());
            assertEquals(s.csn(), t.csn());
            assertEquals(s.size(), t.size());
            for (int j = 0; j < s.size(); j++) {
                assertTrue(s.changes().get(j).isSealed(), "ENCRYPTTRAIL records stay sealed");
                assertArrayEquals(s.changes().get(j).sealed().bytes(), t.changes().get(j).sealed().bytes());
            }
        }

        String doc = Files.readString(out);
        assertFalse(doc.contains("old figures"), doc);
        assertTrue(doc.contains("## Kept\n\nkept\n"), doc);
        assertTrue(doc.contains("`bin/redotrail bench link --transactions 150 --repeat 1`"), doc);
        assertTrue(doc.contains("Load average (1, 5, 15 min, `/proc/loadavg`): "), doc);
        for (String row : ROWS) assertTrue(doc.contains("| " + row + " | "), row + " in:\n" + doc);
    }

    private static List<Transaction> read(Path trail) {
        List<Transaction> all = new ArrayList<>();
        try (TrailReader r = new TrailReader(trail, TrailPosition.START)) {
            for (List<Transaction> b = r.poll(10_000); !b.isEmpty(); b = r.poll(10_000)) all.addAll(b);
        }
        return all;
    }
}
