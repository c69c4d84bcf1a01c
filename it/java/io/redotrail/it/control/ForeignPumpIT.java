package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.it.net.Host;
import io.redotrail.it.net.TwoHomes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.net.Host.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A misconfigured second pump naming another pump's RMTTRAIL, on two homes as two hosts ({@link TwoHomes}): PUMP1
 * sends ./dirdat/ha to the target home's collector; PUMP2 (its own JVM, the same RMTHOST and RMTTRAIL) is started
 * while PUMP1 sends a workload. The target Manager refuses PUMP2's request before it touches anything (RTR-01205:
 * the trail's files say PUMP1 writes it), so PUMP1's collector runs on under the same pid, PUMP1 keeps flowing,
 * PUMP2 abends at once naming both pumps, and at the end the target equals the source row for row and the remote
 * trail holds each transaction once. On failure both homes stay in target/it-homes/ForeignPumpIT/.
 */
class ForeignPumpIT {
    @Test
    void aSecondPumpOnTheSameRemoteTrailAbendsAndTheFirstFlowsOn() throws Exception {
        TwoHomes h = new TwoHomes("ForeignPumpIT", null);
        Host src = h.source, tgt = h.target;
        h.firstPlay(100, 31, true); // the source home, its redo, and the target database's tables, hosted by this JVM
        int tport = TwoHomes.freePort();
        String rmthost = "RMTHOST 127.0.0.1, MGRPORT " + tport + ", TIMEOUT 10";
        h.addGroups("PUMP1", rmthost);
        // the operator's mistake: PUMP2 on PUMP1's RMTTRAIL. GGSCI in one home refuses a second writer of a trail
        // (as a second source home would not), so its checkpoint is written as ADD EXTRACT PUMP2, EXTTRAILSOURCE
        // ./dirdat/ex; ADD RMTTRAIL ./dirdat/ha, EXTRACT PUMP2 would write it
        long now = System.currentTimeMillis();
        TrailPosition zero = new TrailPosition(0, 0);
        new CheckpointFile(CheckpointFile.extractFile(src.home, "PUMP2")).write(new ProcessCheckpoint("PUMP2", "EXTRACT", List.of(),
                new TrailReadCheckpoint("./dirdat/ex", zero, now, zero, now),
                List.of(new WriteCheckpoint("./dirdat/ha", zero, now, "RMTTRAIL", Scn.ZERO, 1)), null, null, null, now, now, 'G'));
        h.pumpPrm("PUMP2", rmthost);
        h.mgrPrm(tgt, "PORT " + tport + "\nAUTOSTART ER *\n");
        h.mgrPrm(src, "PORT " + TwoHomes.freePort() + "\nAUTOSTART EXTRACT EXT1\nAUTOSTART EXTRACT PUMP1\n");
        h.run(() -> {
            h.startManagers();
            src.awaitRunning("PUMP1", -1);
            long collector = tgt.awaitCollector("ha", -1);
            h.awaitApplied(h.lastCsn(), WAIT);

            // PUMP2 starts while PUMP1 sends
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> h.play(600, 32));
            assertTrue(src.send("START PUMP2").contains("EXTRACT PUMP2 starting"));
            Path rpt2 = src.home.resolve("dirrpt/PUMP2.rpt");
            await("PUMP2 to abend", WAIT, () -> "ABENDED".equals(src.status("PUMP2").status()), h::state);
            String report = Files.readString(rpt2);
            assertTrue(report.contains("PROCESS ABENDING: OGG-01224 Manager at 127.0.0.1:" + tport
                    + " refused the collector for ./dirdat/ha: RTR-01205 trail ./dirdat/ha is written by PUMP1, not by PUMP2: one pump"
                    + " per remote trail (give PUMP2 an RMTTRAIL of its own); the collector of PUMP1 is left as it is"), report);
            assertTrue(tgt.ggserr().contains("Collector for ./dirdat/ha refused to EXTRACT PUMP2: trail ./dirdat/ha is written by PUMP1"),
                    h::state);

            second.get(5, TimeUnit.MINUTES);
            h.awaitApplied(h.lastCsn(), WAIT);
            assertEquals(collector, tgt.collectorPid("ha"), "PUMP1's collector was not touched");
            assertEquals("RUNNING", src.status("PUMP1").status());
            h.verify(); // both Managers stopped (exit 0), source = target, each transaction once in the remote trail
        });
    }
}
