package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.cli.CliAccess;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItSupport.play;
import static io.redotrail.it.ItSupport.settings;
import static io.redotrail.it.control.TwoHomes.WAIT;
import static io.redotrail.it.control.TwoHomes.awaitApplied;
import static io.redotrail.it.control.TwoHomes.awaitRunning;
import static io.redotrail.it.control.TwoHomes.deleteTree;
import static io.redotrail.it.control.TwoHomes.prm;
import static io.redotrail.it.control.TwoHomes.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A misconfigured second pump naming another pump's RMTTRAIL: PUMP1 sends ./dirdat/ha to the target home's
 * collector; PUMP2 (its own JVM, the same RMTHOST and RMTTRAIL) is started while PUMP1 sends a workload. The target
 * Manager refuses PUMP2's request before it touches anything (RTR-01205: the trail's files say PUMP1 writes it), so
 * PUMP1's collector runs on under the same pid, PUMP1 keeps flowing, PUMP2 abends at once naming both pumps, and at
 * the end the target equals the source row for row and the remote trail holds each transaction once. On failure
 * both homes stay in target/it-homes/ForeignPumpIT/.
 */
class ForeignPumpIT {
    private final TwoHomes homes = new TwoHomes(PROJECT.resolve("target/it-homes/ForeignPumpIT"));

    @Test
    void aSecondPumpOnTheSameRemoteTrailAbendsAndTheFirstFlowsOn() throws Exception {
        Path src = homes.src, tgt = homes.tgt;
        deleteTree(homes.root);
        Files.createDirectories(homes.root);
        String targetUrl = "jdbc:h2:file:" + tgt.resolve("db/target") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0";
        Settings s = settings(src, "redotrail.target.jdbcUrl", targetUrl);
        Settings t = settings(tgt, "redotrail.replicat.group", "REP1");
        CliAccess.Played first = play(s, 100, 31);
        Connection targetServer = DriverManager.getConnection(targetUrl, "sa", "");
        Connection sourceServer = DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(src), "sa", "");
        homes.addGroups();
        long now = System.currentTimeMillis();
        TrailPosition zero = new TrailPosition(0, 0);
        // ADD EXTRACT PUMP2, EXTTRAILSOURCE ./dirdat/ex; ADD RMTTRAIL ./dirdat/ha, EXTRACT PUMP2: the operator's mistake
        new CheckpointFile(CheckpointFile.extractFile(src, "PUMP2")).write(new ProcessCheckpoint("PUMP2", "EXTRACT", List.of(),
                new TrailReadCheckpoint("./dirdat/ex", zero, now, zero, now),
                List.of(new WriteCheckpoint("./dirdat/ha", zero, now, "RMTTRAIL", Scn.ZERO, 1)), null, null, null, now, now, 'G'));
        int tport = ManagerJvm.freePort();
        prm(src, "EXT1", "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\nTABLE *.*;\n");
        String pump = "PASSTHRU\nRMTHOST 127.0.0.1, MGRPORT " + tport + ", TIMEOUT 10\nRMTTRAIL ./dirdat/ha\nTABLE YDJK.*;\nTABLE POS_USER9.*;\n";
        prm(src, "PUMP1", "EXTRACT PUMP1\n" + pump);
        prm(src, "PUMP2", "EXTRACT PUMP2\n" + pump);
        prm(tgt, "REP1", "REPLICAT REP1\nMAP YDJK.*, TARGET YDJK.*;\nMAP POS_USER9.*, TARGET POS_USER9.*;\n");
        ManagerJvm.writeMgrPrm(tgt, "PORT " + tport + "\nAUTOSTART ER *\n");
        ManagerJvm.writeMgrPrm(src, "PORT " + ManagerJvm.freePort() + "\nAUTOSTART EXTRACT EXT1\nAUTOSTART EXTRACT PUMP1\n");
        ManagerJvm target = ManagerJvm.start(tgt, "ForeignPumpIT-target", false);
        ManagerJvm source = ManagerJvm.start(src, "ForeignPumpIT-source", false);
        try {
            awaitRunning(src, "PUMP1", -1);
            long collector = homes.awaitCollector(-1);
            awaitApplied(t, first.lastSelectedCsn());

            // PUMP2 starts while PUMP1 sends
            CompletableFuture<CliAccess.Played> second = CompletableFuture.supplyAsync(() -> play(s, 600, 32));
            assertTrue(source.send("START PUMP2").contains("EXTRACT PUMP2 starting"));
            Path rpt2 = src.resolve("dirrpt/PUMP2.rpt");
            await("PUMP2 to abend", WAIT, () -> "ABENDED".equals(status(src, "PUMP2").status()), homes::ggserr);
            String report = Files.readString(rpt2);
            assertTrue(report.contains("PROCESS ABENDING: OGG-01224 Manager at 127.0.0.1:" + tport
                    + " refused the collector for ./dirdat/ha: RTR-01205 trail ./dirdat/ha is written by PUMP1, not by PUMP2: one pump"
                    + " per remote trail (give PUMP2 an RMTTRAIL of its own); the collector of PUMP1 is left as it is"), report);
            assertTrue(homes.ggserr().contains("Collector for ./dirdat/ha refused to EXTRACT PUMP2: trail ./dirdat/ha is written by PUMP1"),
                    homes::ggserr);

            CliAccess.Played played = second.get(5, TimeUnit.MINUTES);
            awaitApplied(t, played.lastSelectedCsn());
            assertEquals(collector, homes.collectorPid(), "PUMP1's collector was not touched");
            assertEquals("RUNNING", status(src, "PUMP1").status());
            assertEquals(0, source.terminate(WAIT));
            assertEquals(0, target.terminate(WAIT));
        } catch (Throwable e) {
            e.addSuppressed(new AssertionError("homes kept in " + homes.root + homes.ggserr()));
            throw e;
        } finally {
            source.close();
            target.close();
        }
        targetServer.close();
        sourceServer.close();
        homes.assertDelivered(s, targetUrl, "PUMP2's attempt on PUMP1's trail");
    }
}
