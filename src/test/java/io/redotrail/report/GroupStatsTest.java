package io.redotrail.report;

import io.redotrail.core.ChangeOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STATS counting (per batch tallies, windows, RESET) and its GoldenGate-shaped text; REPORTCOUNT lines. */
class GroupStatsTest {
    static final ZoneId Z = ZoneId.systemDefault();

    @TempDir
    Path home;

    @Test
    void nothingProcessedSaysNoActiveMaps() {
        GroupStats s = new GroupStats(Z);
        assertEquals("No active extraction maps.\n", StatsText.all().render(s, "EXTRACT", Z));
        assertEquals("No active replication maps.\n", StatsText.all().render(s, "REPLICAT", Z));
    }

    @Test
    void batchesAddUpPerTableInEveryWindow() {
        GroupStats s = new GroupStats(Z);
        s.output("./dirdat/ha");
        GroupStats.Tally t = new GroupStats.Tally();
        for (int i = 0; i < 8000; i++) t.add("YDJK.T1", ChangeOp.INSERT);
        t.add("YDJK.T1", ChangeOp.UPDATE);
        t.add("YDJK.T1", ChangeOp.PK_UPDATE);
        t.add("YDJK.T2", ChangeOp.DELETE);
        assertEquals(8003, s.merge(t, null));
        assertTrue(t.isEmpty(), "tally cleared for reuse");
        t.add("YDJK.T2", ChangeOp.DELETE);
        assertEquals(8004, s.merge(t, null));

        String text = StatsText.all().render(s, "EXTRACT", Z);
        assertTrue(text.startsWith("Start of Statistics at "), text);
        assertTrue(text.contains("\nOutput to ./dirdat/ha:\n\nExtracting from YDJK.T1 to YDJK.T1:\n"), text);
        assertTrue(text.contains("\n*** Total statistics since "), text);
        assertTrue(text.contains("\n*** Daily statistics since "), text);
        assertTrue(text.contains("\n*** Hourly statistics since "), text);
        assertTrue(text.contains("\n*** Latest statistics since "), text);
        assertTrue(text.contains("\tTotal inserts                   \t        8000.00\n"), text);
        assertTrue(text.contains("\tTotal updates                   \t           2.00\n"), text);
        assertTrue(text.contains("\tTotal operations                \t        8002.00\n"), text);
        assertTrue(text.contains("Extracting from YDJK.T2 to YDJK.T2:"), text);
        assertTrue(text.contains("\tTotal deletes                   \t           2.00\n"), text);
        assertTrue(text.endsWith("End of Statistics.\n"), text);
        // four windows, each with five lines, per table
        assertEquals(8, text.split("Total inserts", -1).length - 1, text);
    }

    @Test
    void aPumpsLinkShowsItsBytesAndCompressionRatio() {
        GroupStats s = new GroupStats(Z);
        s.output("./dirdat/ha");
        GroupStats.Tally t = new GroupStats.Tally();
        t.add("YDJK.T1", ChangeOp.INSERT);
        s.merge(t, null);
        assertFalse(StatsText.all().render(s, "EXTRACT", Z).contains("Link to the collector"), "no RMTHOST, no link line");
        io.redotrail.net.compress.CompressionCounters c = new io.redotrail.net.compress.CompressionCounters();
        s.link("COMPRESS LZ4 COMPRESSTHRESHOLD 1000", c);
        c.add(4000, 1000, true);
        c.add(500, 500, false);
        String text = StatsText.all().render(s, "EXTRACT", Z);
        assertTrue(text.contains("\nOutput to ./dirdat/ha:\n\nLink to the collector (COMPRESS LZ4 COMPRESSTHRESHOLD 1000): raw 4500 bytes,"
                + " wire 1500 bytes, ratio 3.00:1, 1 of 2 frames compressed.\n\nExtracting from YDJK.T1"), text);
    }

    @Test
    void replicatNamesSourceAndTargetAndCountsDiscards() {
        GroupStats s = new GroupStats(Z);
        GroupStats.Tally t = new GroupStats.Tally();
        t.add("SRC.A", ChangeOp.INSERT);
        t.add("SRC.A", ChangeOp.INSERT);
        t.discarded("SRC.A", ChangeOp.INSERT);
        s.merge(t, src -> "TGT.A");
        String text = StatsText.parse(List.of("TOTAL")).render(s, "REPLICAT", Z);
        assertTrue(text.contains("Replicating from SRC.A to TGT.A:"), text);
        assertFalse(text.contains("Output to"), text);
        assertFalse(text.contains("Daily"), text);
        assertTrue(text.contains("\tTotal inserts                   \t           1.00\n"), text);
        assertTrue(text.contains("\tTotal discards                  \t           1.00\n"), text);
        assertTrue(text.contains("\tTotal operations                \t           1.00\n"), text);
        assertTrue(text.contains("\tTotal deletes                   \t           0.00\n\tTotal upserts                   \t           0.00\n"
                + "\tTotal discards "), "GoldenGate's order: inserts, updates, deletes, upserts, discards, operations\n" + text);
        assertFalse(text.contains("Total ignores"), text);

        t.add("SRC.A", ChangeOp.DELETE);
        t.ignored("SRC.A", ChangeOp.DELETE);
        s.merge(t, src -> "TGT.A");
        text = StatsText.parse(List.of("TOTAL")).render(s, "REPLICAT", Z);
        assertTrue(text.contains("\tTotal discards                  \t           1.00\n\tTotal ignores                   \t           1.00\n"
                + "\tTotal operations                \t           1.00\n"), "an ignore is neither an operation nor a discard\n" + text);
        assertEquals(3, s.records(), "REPORTCOUNT counts every record: 1 insert, 1 discard, 1 ignore");
    }

    @Test
    void resetStartsLatestAgainAndTableFilters() {
        GroupStats s = new GroupStats(Z);
        GroupStats.Tally t = new GroupStats.Tally();
        t.add("A.X", ChangeOp.INSERT);
        t.add("B.Y", ChangeOp.INSERT);
        s.merge(t, null);
        String first = StatsText.parse(List.of("LATEST", "RESET")).render(s, "EXTRACT", Z);
        assertTrue(first.contains("Total inserts                   \t           1.00"), first);
        String after = StatsText.parse(List.of("LATEST,", "TABLE", "a.*")).render(s, "EXTRACT", Z);
        assertTrue(after.contains("Extracting from A.X to A.X:"), after);
        assertFalse(after.contains("B.Y"), after);
        assertTrue(after.contains("\tNo database operations have been performed.\n"), after);
        String total = StatsText.parse(List.of("TOTAL")).render(s, "EXTRACT", Z);
        assertTrue(total.contains("Total inserts                   \t           1.00"), "TOTAL survives RESET: " + total);
        String rate = StatsText.parse(List.of("TOTAL", "REPORTRATE", "MIN")).render(s, "EXTRACT", Z);
        assertTrue(rate.contains("\tTotal inserts/minute"), rate);
        assertThrows(IllegalArgumentException.class, () -> StatsText.parse(List.of("REPORTRATE", "WEEK")));
        assertThrows(IllegalArgumentException.class, () -> StatsText.parse(List.of("BOGUS")));
    }

    @Test
    void dailyAndHourlyStartAgainAtMidnightAndOnTheHourTotalDoesNot() {
        GroupStats s = new GroupStats(Z);
        long now = System.currentTimeMillis();
        s.restart(now - 2 * 86_400_000L); // started two days ago
        GroupStats.Tally t = new GroupStats.Tally();
        t.add("A.X", ChangeOp.INSERT);
        s.merge(t, null);
        long[] starts = s.snapshot(now).windowStart();
        long midnight = java.time.LocalDate.now(Z).atStartOfDay(Z).toInstant().toEpochMilli();
        assertEquals(now - 2 * 86_400_000L, starts[GroupStats.Window.TOTAL.ordinal()]);
        assertTrue(starts[GroupStats.Window.DAILY.ordinal()] >= midnight, "daily since midnight");
        assertTrue(starts[GroupStats.Window.HOURLY.ordinal()] > now - 3_600_000L, "hourly since the hour");
        // a day later: daily and hourly are empty again, total and latest still hold the insert
        GroupStats.Snapshot later = s.snapshot(now + 86_400_000L);
        GroupStats.Entry e = later.tables().get(0);
        assertEquals(1, e.counts[GroupStats.Window.TOTAL.ordinal()][GroupStats.INSERTS]);
        assertEquals(1, e.counts[GroupStats.Window.LATEST.ordinal()][GroupStats.INSERTS]);
        assertEquals(0, e.counts[GroupStats.Window.DAILY.ordinal()][GroupStats.INSERTS]);
        assertEquals(0, e.counts[GroupStats.Window.HOURLY.ordinal()][GroupStats.INSERTS]);
    }

    @Test
    void lagIsZeroAtEofAndTheLastRecordsLagOtherwise() {
        GroupStats s = new GroupStats(Z);
        assertEquals(-1, s.checkpointLagMillis(), "nothing processed: unknown");
        long now = System.currentTimeMillis();
        s.processed(now - 5000, now);
        assertEquals(5000, s.checkpointLagMillis());
        s.atEof(true);
        assertEquals(0, s.checkpointLagMillis());
        assertEquals(5000, s.lastRecordLagMillis());
        assertEquals("Last record lag: 5 seconds.\nAt EOF, no more records to process.\n", GroupStatusText.lag(s));
        s.atEof(false);
        assertEquals("Last record lag: 5 seconds.\n", GroupStatusText.lag(s));
    }

    @Test
    void reportCountByRecordsAndTime() {
        ReportCount rc = ReportCount.parse("EXT1", "EVERY 1000 RECORDS");
        long t0 = 1_000_000;
        rc.started(t0);
        assertNull(rc.due(999, t0, t0 + 1000, Z));
        String line = rc.due(2500, t0, t0 + 10_000, Z);
        assertTrue(line.matches("2500 records processed as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\(rate 250, delta 250\\)\\."), line);
        assertNull(rc.due(2999, t0, t0 + 11_000, Z));
        ReportCount bySecs = ReportCount.parse("EXT1", "EVERY 10 SECONDS");
        bySecs.started(t0);
        assertNull(bySecs.due(5, t0, t0 + 9_000, Z));
        assertTrue(bySecs.due(5, t0, t0 + 10_000, Z).startsWith("5 records processed as of "));
        assertNull(bySecs.due(5, t0, t0 + 30_000, Z), "nothing processed since the last line: no line");
        assertNull(ReportCount.parse("EXT1", ""));
        everyMinute(ReportCount.parse("EXT1", "every 1 minutes"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportCount.parse("EXT1", "EVERY TEN"));
        assertTrue(e.getMessage().startsWith("EXT1: redotrail.reportCount"), e.getMessage());
    }

    private static void everyMinute(ReportCount rc) {
        rc.started(0);
        assertNull(rc.due(1, 0, 59_999, Z));
        assertTrue(rc.due(1, 0, 60_000, Z) != null);
    }

    @Test
    void runtimeWritesReportCountLinesAndTheStatisticsBlock() {
        GroupRuntime rt = GroupRuntimes.of(new org.apache.camel.impl.DefaultCamelContext(), home, "ext1");
        rt.reportCount("EVERY 2 RECORDS");
        GroupStats.Tally t = new GroupStats.Tally();
        t.add("A.X", ChangeOp.INSERT);
        t.add("A.X", ChangeOp.INSERT);
        rt.batchDone(t, null);
        rt.process().writeStats();
        List<String> lines = rt.report().lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("INFO    OGG-08549  2 records processed as of ")), lines.toString());
        assertTrue(lines.contains("Extracting from A.X to A.X:"), lines.toString());
        assertTrue(lines.contains("End of Statistics."), lines.toString());
    }
}
