package io.redotrail.bench;

import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkBenchTest {
    @TempDir
    Path dir;

    /** A real run, small: every link case carries all the bytes (the receiver's count is checked) and gets its row. */
    @Test
    void aSmallRunMeasuresEveryCaseAndWritesItsSection() throws Exception {
        Path home = dir.resolve("home"), out = dir.resolve("performance.md");
        Files.writeString(out, "# Performance\n\n## Replicat apply rate\n\nkept\n");
        Settings s = PrewrittenTrail.settings(Path.of("config/application.properties"), home, Map.of());
        ConfigCheck.validate(s);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<LinkBench.Result> results = LinkBench.run(s, new LinkBench.Options(300, 1, out), new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(6, results.size());
        for (LinkBench.Result r : results) {
            assertTrue(r.rawBytes() > 0 && r.seconds() > 0, r.toString());
            if (r.c().compression().enabled()) assertTrue(r.ratio() > 1.5, "COMPRESS on trail records: " + r);
            else assertEquals(r.rawBytes(), r.wireBytes(), r.toString());
        }
        String doc = Files.readString(out);
        assertTrue(doc.contains("## Replicat apply rate\n\nkept\n"), doc);
        assertTrue(doc.contains("`bin/redotrail bench link --framing --transactions 300 --repeat 1`"), doc);
        for (String row : List.of("| plain TCP |", "| COMPRESS (LZ4) |", "| TLS, COMPRESS, COMPRESSALGORITHM ZSTD |")) {
            assertTrue(doc.contains(row), row + " in:\n" + doc);
        }
    }
}
