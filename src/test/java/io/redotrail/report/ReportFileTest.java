package io.redotrail.report;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReportFileTest {
    @TempDir
    Path home;

    @Test
    void linesAreTimestampedGoldenGateStyleAndSharedPerGroup() {
        CamelContext ctx = new DefaultCamelContext();
        ReportFile a = GroupRuntimes.of(ctx, home, "ext1").report();
        ReportFile b = GroupRuntimes.of(ctx, home.resolve(".").resolve("x").getParent(), "EXT1").report();
        assertSame(a, b, "one instance per group in a context, whatever the spelling of home and group");
        a.info("OGG-01052", "No recovery is required for target file ./dirdat/ha000000000, at RBA 0 (file not opened).");
        b.warning("OGG-01027", "Long Running Transaction: XID 10.16.1533.");
        a.error("OGG-01668", "PROCESS ABENDING: missing redo log");
        List<String> lines = a.lines();
        assertEquals(home.resolve("dirrpt/EXT1.rpt").toAbsolutePath(), a.path());
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  INFO    OGG-01052  No recovery is required "
                + "for target file \\./dirdat/ha000000000, at RBA 0 \\(file not opened\\)\\."), lines.get(0));
        assertTrue(lines.get(1).matches("\\S+ \\S+  WARNING OGG-01027  Long Running Transaction: XID 10\\.16\\.1533\\."), lines.get(1));
        assertTrue(lines.get(2).matches("\\S+ \\S+  ERROR   OGG-01668  PROCESS ABENDING: missing redo log"), lines.get(2));
    }

    @Test
    void repeatedWarningsAreSummarisedByOgg01971BeforeTheNextLine() {
        ReportFile r = ReportFile.open(home, "EXT2");
        r.warning("OGG-01027", "Long Running Transaction: XID 10.16.1533, Items 1.", "tx 10.16.1533");
        r.warning("OGG-01027", "Long Running Transaction: XID 10.16.1533, Items 2.", "tx 10.16.1533");
        r.warning("OGG-01027", "Long Running Transaction: XID 10.16.1533, Items 3.", "tx 10.16.1533");
        r.warning("OGG-01027", "Long Running Transaction: XID 10.17.1.", "tx 10.17.1");
        r.info("OGG-01738", "BOUNDED RECOVERY: CHECKPOINT");
        List<String> lines = r.lines();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).endsWith("Items 1."));
        assertTrue(lines.get(1).endsWith("  INFO    OGG-01971  The previous message, 'WARNING OGG-01027', repeated 2 times."), lines.get(1));
        assertTrue(lines.get(2).endsWith("XID 10.17.1."));
        assertTrue(lines.get(3).contains("OGG-01738"));
        r.flush();
    }
}
