package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItJvms.ggsci;
import static io.redotrail.it.ItJvms.startJvm;
import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pump ({@code bin/redotrail process PUMP1}, a JVM of its own) whose target Manager does not listen: it RUNS —
 * its control channel answers — while it retries the remote host (TCPERRS ECONNREFUSED every 60 s), and STATUS and
 * INFO show the retry with OGG-01224. SIGTERM arrives while it sleeps between two attempts: the CamelContext is
 * stopping before its shutdown reaches the pump's consumer, the step waiting to reconnect ends at once, and the
 * group ends as a stop — exit 0, "stopped normally" in the report and ggserr.log, no OGG-01668, STOPPED, the
 * checkpoint as it was.
 */
class PumpRetryStopIT {
    @TempDir
    Path home;

    @Test
    void aPumpWhoseTargetIsDownRunsShowsItsRetriesAndStopsAsAStop() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort(); // closed again: no Manager there
        }
        long now = System.currentTimeMillis();
        TrailPosition zero = new TrailPosition(0, 0);
        // ADD EXTRACT PUMP1, EXTTRAILSOURCE ./dirdat/ex; ADD RMTTRAIL ./dirdat/ha, EXTRACT PUMP1
        ProcessCheckpoint added = new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(), new TrailReadCheckpoint("./dirdat/ex", zero, now, zero, now),
                List.of(new WriteCheckpoint("./dirdat/ha", zero, now, "RMTTRAIL", Scn.ZERO, 1)), null, null, null, now, now, 'G');
        new CheckpointFile(CheckpointFile.extractFile(home, "PUMP1")).write(added);
        byte[] checkpointBefore = Files.readAllBytes(CheckpointFile.extractFile(home, "PUMP1"));
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/pump1.prm"), "EXTRACT PUMP1\nPASSTHRU\nRMTHOST 127.0.0.1, MGRPORT " + deadPort
                + ", TIMEOUT 5\nRMTTRAIL ./dirdat/ha\nTABLE *.*;\n");
        Path log = PROJECT.resolve("target/it-logs/PumpRetryStopIT.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Process pump = startJvm(log, "process", "--home", home.toString(), "PUMP1", "--set",
                "redotrail.pump.tcpErrors=ECONNREFUSED RETRY 6000 5");
        try {
            Path rpt = home.resolve("dirrpt/PUMP1.rpt");
            // the first attempt failed and the next is a minute away: the pump sleeps in its retry now
            await("PUMP1 to wait for its first retry", Duration.ofSeconds(90), () -> read(rpt).contains("retry 1 of 5 in 60.0 s"),
                    () -> read(rpt) + read(log));
            assertEquals("RUNNING", GroupStatus.of(home, "PUMP1", null).status(), "RUNNING while the target is down");
            String status = ggsci(home, Duration.ofSeconds(60), "send extract pump1, status").output();
            assertTrue(status.contains("Remote host 127.0.0.1:" + deadPort + ", trail ./dirdat/ha: retrying since ")
                    && status.contains("(attempt 1 of 5, every 60.0 s), last error: OGG-01224 TCP/IP error 111 (Connection refused)"), status);
            assertTrue(ggsci(home, Duration.ofSeconds(60), "info pump1").output().contains("trail ./dirdat/ha: retrying since "));

            long t0 = System.nanoTime();
            pump.destroy(); // SIGTERM: a graceful stop
            assertTrue(pump.waitFor(45, TimeUnit.SECONDS), "the stop waited for the retry delay");
            assertEquals(0, pump.exitValue(), "exit code of a normal stop\n" + read(log));
            assertTrue(System.nanoTime() - t0 < 40_000_000_000L);
            String report = read(rpt);
            assertTrue(report.contains("EXTRACT PUMP1 stopped normally."), report);
            assertFalse(report.contains("OGG-01668") || report.contains("ABEND"), report);
            String ggserr = read(home.resolve("ggserr.log"));
            assertTrue(ggserr.contains("EXTRACT PUMP1 stopped normally."), ggserr);
            assertFalse(ggserr.contains("OGG-01668"), ggserr);
            assertEquals("STOPPED", GroupStatus.of(home, "PUMP1", null).status());
            assertTrue(ggsci(home, Duration.ofSeconds(60), "info pump1").output().contains("trail ./dirdat/ha: stopped while retrying (OGG-01224"));
            // nothing was sent: the stop leaves the checkpoint as ADD wrote it
            assertEquals(new String(checkpointBefore, java.nio.charset.StandardCharsets.ISO_8859_1),
                    new String(Files.readAllBytes(CheckpointFile.extractFile(home, "PUMP1")), java.nio.charset.StandardCharsets.ISO_8859_1));
        } finally {
            pump.destroyForcibly();
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
