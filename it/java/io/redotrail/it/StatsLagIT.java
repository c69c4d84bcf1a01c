package io.redotrail.it;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointLag;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.cli.CliAccess;
import io.redotrail.report.PidFile;
import io.redotrail.report.ReportFile;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real routes on the real clock: once the three groups caught up and idled for several checkpoint intervals,
 * their checkpoints say At EOF with zero lag (INFO ALL shows 00:00:00, and Time Since Chkpt stays small), LAG says
 * At EOF, STATS counts every row change once per group, STATUS / REPORT answer, REPORTCOUNT lines and the stop
 * statistics reach the report files.
 */
class StatsLagIT {
    @TempDir
    Path home;

    @Test
    void idleCaughtUpGroupsShowZeroLagAtEofAndTheirStatistics() throws Exception {
        Settings settings = settings(home, "redotrail.extract.checkpointSecs", "1", "redotrail.reportCount", "EVERY 500 RECORDS");
        CliAccess.Played played = play(settings, 2000, 11);
        long rows = played.stats().committedRowChanges();
        Pipeline p = Pipeline.start(settings);
        try (p) {
            awaitApplied(p, settings, played.lastSelectedCsn(), Duration.ofSeconds(180));
            long caughtUp = System.currentTimeMillis();
            // several checkpoint intervals (1 s) of idling, caught up
            for (String g : List.of("EXT1", "PUMP1", "REP1")) {
                await(g + " to checkpoint 3 s after catching up", Duration.ofSeconds(60),
                        () -> checkpoint(g).lastUpdateMillis() >= caughtUp + 3000, () -> String.valueOf(checkpoint(g)));
                ProcessCheckpoint cp = checkpoint(g);
                assertTrue(cp.atEof(), g + " checkpoint At EOF: " + cp);
                assertEquals(0, CheckpointLag.lagMillis(cp), g + " lag at checkpoint");
            }
            Cli info = execute("ggsci", "info all", "--home", home.toString());
            for (String g : List.of("EXT1", "PUMP1", "REP1")) {
                assertTrue(Pattern.compile("(?m)^(EXTRACT|REPLICAT) +RUNNING +" + g + " +00:00:00 +00:00:0[0-4]$")
                        .matcher(info.output()).find(), g + " in INFO ALL:\n" + info.output());
            }

            assertEquals("Last record lag: ", send("EXT1", "LAG").substring(0, 17));
            assertTrue(send("EXT1", "LAG").endsWith("At EOF, no more records to process.\n"), send("EXT1", "LAG"));
            String ext = send("EXT1", "STATS TOTAL");
            assertTrue(ext.contains("\nOutput to ./dirdat/ex:\n\nExtracting from "), ext);
            assertEquals(rows, operations(ext), "EXT1 operations:\n" + ext);
            String pump = send("PUMP1", "STATS, TOTAL");
            assertTrue(pump.contains("\nOutput to ./dirdat/ha:\n"), pump);
            assertEquals(rows, operations(pump), "PUMP1 operations:\n" + pump);
            String rep = send("REP1", "STATS TOTAL");
            assertTrue(rep.contains("\nReplicating from "), rep);
            assertEquals(rows, operations(rep), "REP1 operations:\n" + rep);
            assertTrue(send("REP1", "STATS LATEST RESET").contains("*** Latest statistics since "));
            assertTrue(send("REP1", "STATS LATEST").contains("No database operations have been performed."));
            String status = send("REP1", "STATUS");
            assertTrue(status.startsWith("REPLICAT REP1 (PID " + ProcessHandle.current().pid() + ")\n"
                    + "  Current status: Recovery complete: At EOF\n"), status);
            assertEquals("Request processed.\n", send("EXT1", "REPORT"));
        }
        assertTrue(abendMessages(p).isEmpty(), abendMessages(p));
        for (String g : List.of("EXT1", "PUMP1", "REP1")) {
            List<String> rpt = ReportFile.open(home, g).lines();
            assertTrue(rpt.stream().anyMatch(l -> l.matches(".*INFO    OGG-08549  \\d+ records processed as of .* \\(rate \\d+, delta \\d+\\)\\.")),
                    g + " REPORTCOUNT lines:\n" + String.join("\n", rpt));
            assertTrue(rpt.contains("End of Statistics."), g + " statistics at stop");
        }
    }

    private ProcessCheckpoint checkpoint(String g) {
        Path f = g.equals("REP1") ? CheckpointFile.replicatFile(home, g) : CheckpointFile.extractFile(home, g);
        return new CheckpointFile(f).read().orElseThrow();
    }

    /** Sum of "Total operations" over the tables of a STATS TOTAL reply. */
    private static long operations(String stats) {
        Matcher m = Pattern.compile("\tTotal operations +\t +(\\d+)\\.00\n").matcher(stats);
        long sum = 0;
        while (m.find()) sum += Long.parseLong(m.group(1));
        return sum;
    }

    /** One request on the group's control channel (dirchk/G.ctl), as GGSCI sends it. */
    private String send(String group, String line) throws IOException {
        int port = PidFile.controlPort(home, group).orElseThrow();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
