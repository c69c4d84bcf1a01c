package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.it.net.Host;
import io.redotrail.it.net.TwoHomes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pump ({@code bin/redotrail process PUMP1}, a JVM of its own, in the source home of {@link TwoHomes}) whose
 * target Manager does not listen: it RUNS — its control channel answers — while it retries the remote host (TCPERRS
 * ECONNREFUSED every 60 s), and STATUS and INFO show the retry with OGG-01224. SIGTERM arrives while it sleeps
 * between two attempts: the CamelContext is stopping before its shutdown reaches the pump's consumer, the step
 * waiting to reconnect ends at once, and the group ends as a stop — exit 0, "stopped normally" in the report and
 * ggserr.log, no OGG-01668, STOPPED, the checkpoint as it was. On failure the home stays in
 * target/it-homes/PumpRetryStopIT/source.
 */
class PumpRetryStopIT {
    @Test
    void aPumpWhoseTargetIsDownRunsShowsItsRetriesAndStopsAsAStop() throws Exception {
        TwoHomes h = new TwoHomes("PumpRetryStopIT", null);
        Host src = h.source;
        int deadPort = TwoHomes.freePort(); // closed again: no Manager there
        h.addPump("PUMP1", "RMTHOST 127.0.0.1, MGRPORT " + deadPort + ", TIMEOUT 5");
        Path checkpoint = CheckpointFile.extractFile(src.home, "PUMP1");
        String checkpointBefore = new String(Files.readAllBytes(checkpoint), StandardCharsets.ISO_8859_1);
        Path log = src.log("pump1");
        Process pump = src.startProcess("PUMP1", "--set", "redotrail.pump.tcpErrors=ECONNREFUSED RETRY 6000 5");
        try {
            Path rpt = src.home.resolve("dirrpt/PUMP1.rpt");
            // the first attempt failed and the next is a minute away: the pump sleeps in its retry now
            await("PUMP1 to wait for its first retry", Duration.ofSeconds(90), () -> read(rpt).contains("retry 1 of 5 in 60.0 s"),
                    () -> read(rpt) + read(log));
            assertEquals("RUNNING", src.status("PUMP1").status(), "RUNNING while the target is down");
            String status = src.ggsci("send extract pump1, status").output();
            assertTrue(status.contains("Remote host 127.0.0.1:" + deadPort + ", trail ./dirdat/ha: retrying since ")
                    && status.contains("(attempt 1 of 5, every 60.0 s), last error: OGG-01224 TCP/IP error 111 (Connection refused)"), status);
            assertTrue(src.ggsci("info pump1").output().contains("trail ./dirdat/ha: retrying since "));

            long t0 = System.nanoTime();
            pump.destroy(); // SIGTERM: a graceful stop
            assertTrue(pump.waitFor(45, TimeUnit.SECONDS), "the stop waited for the retry delay");
            assertEquals(0, pump.exitValue(), "exit code of a normal stop\n" + read(log));
            assertTrue(System.nanoTime() - t0 < 40_000_000_000L);
            String report = read(rpt);
            assertTrue(report.contains("EXTRACT PUMP1 stopped normally."), report);
            assertFalse(report.contains("OGG-01668") || report.contains("ABEND"), report);
            String ggserr = src.ggserr();
            assertTrue(ggserr.contains("EXTRACT PUMP1 stopped normally."), ggserr);
            assertFalse(ggserr.contains("OGG-01668"), ggserr);
            assertEquals("STOPPED", src.status("PUMP1").status());
            assertTrue(src.ggsci("info pump1").output().contains("trail ./dirdat/ha: stopped while retrying (OGG-01224"));
            // nothing was sent: the stop leaves the checkpoint as ADD wrote it
            assertEquals(checkpointBefore, new String(Files.readAllBytes(checkpoint), StandardCharsets.ISO_8859_1));
        } finally {
            pump.destroyForcibly();
            pump.waitFor(30, TimeUnit.SECONDS);
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
