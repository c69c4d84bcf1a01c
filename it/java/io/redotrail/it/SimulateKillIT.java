package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItDatabases.assertIdentical;
import static io.redotrail.it.ItJvms.awaitLogCount;
import static io.redotrail.it.ItJvms.runUntilApplied;
import static io.redotrail.it.ItJvms.startJvm;
import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.settings;
import static io.redotrail.it.ItSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated source survives a {@code kill -9} of {@code bin/redotrail simulate} in the middle of a workload (its own
 * JVM, hosting the source database): the redo is written before each group is applied to the database, so the kill
 * leaves the database behind its redo, possibly holding part of a group H2 had not committed. The next workload
 * recovers it from the redo first; the routes then replicate everything and source = target row for row.
 */
class SimulateKillIT {
    @TempDir
    Path home;

    @Test
    void aWorkloadKilledMidwayIsRecoveredFromItsRedoAndSourceEqualsTarget() throws Exception {
        Settings s = settings(home, "redotrail.workload.lobRatio", "0");
        ItSupport.play(s, 200, 1); // the home, its source and redo
        Path log = PROJECT.resolve("target/it-logs/SimulateKillIT.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Process sim = startJvm(log, "simulate", "--home", home.toString(), "--transactions", "200000", "--seed", "8",
                "--set", "redotrail.workload.lobRatio=0");
        assertTrue(awaitLogCount(log, "generating workload", 1, Duration.ofSeconds(120)), "simulate never started; see " + log);
        sleep(3000); // well inside the workload: 200,000 transactions take far longer
        sim.destroyForcibly();
        assertTrue(sim.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, sim.exitValue(), "simulate must die of SIGKILL; see " + log);
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            assertFalse(db.clean(), "killed in the middle of its workload");
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CliAccess.Played next = CliAccess.play(s, 300, 9, new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertTrue(text.contains("recovered the source database from its redo (a workload was interrupted)"), text);
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            assertTrue(db.clean());
        }
        Path runLog = PROJECT.resolve("target/it-logs/SimulateKillIT-run.log");
        Files.deleteIfExists(runLog);
        runUntilApplied(home, s, runLog, next.lastSelectedCsn());
        assertIdentical(s);
    }
}
