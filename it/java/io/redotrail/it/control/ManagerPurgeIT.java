package io.redotrail.it.control;

import io.redotrail.control.manager.TestHomes;
import io.redotrail.trail.TrailFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PURGEOLDEXTRACTS run by the Manager in its own JVM, every second, over a home of real trail files and checkpoint
 * files: it deletes exactly the files every reader has finished, keeps MINKEEPFILES, never a file a reader or
 * writer needs, and never a trail no group reads; it follows the readers' checkpoints as they move.
 */
class ManagerPurgeIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path home;

    private String seqnos(String prefix) {
        return Arrays.toString(TrailFormat.seqnos(home.resolve("dirdat").resolve(prefix)));
    }

    @Test
    void purgesWhatEveryReaderFinishedAsTheCheckpointsMove() throws Exception {
        TestHomes.writeTrail(home, "ex", 7);
        TestHomes.writeTrail(home, "ha", 4);
        TestHomes.writeTrail(home, "zz", 3); // nobody reads zz
        TestHomes.extract(home, "EXT1", "./dirdat/ex", 7);
        TestHomes.pump(home, "PUMP1", "./dirdat/ex", 3, "./dirdat/ha", 4);
        TestHomes.pump(home, "PUMP2", "./dirdat/ex", 5, null, 0);
        TestHomes.replicat(home, "REP1", "./dirdat/ha", 1);
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\n"
                + "PURGEOLDEXTRACTS ./dirdat/*, USECHECKPOINTS, MINKEEPFILES 2, FREQUENCYSECONDS 1\n");
        try (ManagerJvm m = ManagerJvm.start(home, "ManagerPurgeIT", true)) {
            await("ex and ha purged up to their readers", WAIT, () -> seqnos("ex").equals("[3, 4, 5, 6, 7]")
                    && seqnos("ha").equals("[1, 2, 3, 4]"), () -> "ex " + seqnos("ex") + ", ha " + seqnos("ha"));
            // PUMP1 moves on to ex 6; PUMP2 (at 5) is now the slowest reader of ex
            TestHomes.pump(home, "PUMP1", "./dirdat/ex", 6, "./dirdat/ha", 4);
            await("ex purged up to PUMP2", WAIT, () -> seqnos("ex").equals("[5, 6, 7]"), () -> "ex " + seqnos("ex"));
            // every reader past the end: MINKEEPFILES 2 keeps the two newest
            TestHomes.pump(home, "PUMP1", "./dirdat/ex", 9, "./dirdat/ha", 4);
            TestHomes.pump(home, "PUMP2", "./dirdat/ex", 9, null, 0);
            TestHomes.replicat(home, "REP1", "./dirdat/ha", 9);
            TestHomes.extract(home, "EXT1", "./dirdat/ex", 9);
            await("MINKEEPFILES 2", WAIT, () -> seqnos("ex").equals("[6, 7]") && seqnos("ha").equals("[3, 4]"),
                    () -> "ex " + seqnos("ex") + ", ha " + seqnos("ha"));
            assertEquals("[0, 1, 2, 3]", seqnos("zz"), "a trail no group reads is not purged");
            assertEquals(0, m.terminate(WAIT));
        }
        String log = Files.readString(home.resolve("ggserr.log"));
        for (int s = 0; s <= 5; s++) {
            assertTrue(log.contains("INFO    OGG-00957  redotrail Manager, mgr.prm:  Purged old extract file './dirdat/ex00000000" + s
                    + "', applied purge rule USECHECKPOINTS, MINKEEPFILES 2."), log);
        }
        assertEquals(6 + 3, log.split("OGG-00957", -1).length - 1, "one line per deleted file:\n" + log);
        assertArrayEquals(new long[]{0, 1, 2, 3}, TrailFormat.seqnos(home.resolve("dirdat/zz")));
    }
}
