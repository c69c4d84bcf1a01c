package io.redotrail.control.manager;

import io.redotrail.report.EventLog;
import io.redotrail.trail.TrailFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PURGEOLDEXTRACTS over real trail files and checkpoint files. */
class TrailPurgerTest {
    @TempDir
    Path home;

    private long[] seqnos(String prefix) {
        return TrailFormat.seqnos(home.resolve("dirdat").resolve(prefix));
    }

    private List<Path> purge(String rule) {
        MgrParams p = MgrParams.parse(io.redotrail.control.params.ParamFile.parse(Path.of("mgr.prm"), rule));
        return new TrailPurger(home, new EventLog(home, "test")).purge(p.purge().get(0), System.currentTimeMillis());
    }

    @Test
    void deletesExactlyWhatEveryReaderFinished() throws Exception {
        TestHomes.writeTrail(home, "ex", 6);
        TestHomes.writeTrail(home, "ha", 3);
        TestHomes.extract(home, "EXT1", "./dirdat/ex", 6);
        TestHomes.pump(home, "PUMP1", "./dirdat/ex", 4, "./dirdat/ha", 3);
        TestHomes.pump(home, "PUMP2", "./dirdat/ex", 2, null, 0); // a second, slower reader of ex
        TestHomes.replicat(home, "REP1", "./dirdat/ha", 1);
        List<Path> deleted = purge("PURGEOLDEXTRACTS ./dirdat/*, USECHECKPOINTS");
        assertArrayEquals(new long[]{2, 3, 4, 5, 6}, seqnos("ex"), "PUMP2 still needs ex000000002");
        assertArrayEquals(new long[]{1, 2, 3}, seqnos("ha"));
        assertEquals(3, deleted.size());
        String log = Files.readString(home.resolve("ggserr.log"));
        assertTrue(log.contains("INFO    OGG-00957  test:  Purged old extract file './dirdat/ex000000000', applied purge rule USECHECKPOINTS, MINKEEPFILES 1."), log);

        TestHomes.pump(home, "PUMP2", "./dirdat/ex", 6, null, 0);
        purge("PURGEOLDEXTRACTS ./dirdat/ex*");
        assertArrayEquals(new long[]{4, 5, 6}, seqnos("ex"), "PUMP1 reads ex000000004");
        TestHomes.pump(home, "PUMP1", "./dirdat/ex", 6, "./dirdat/ha", 3);
        purge("PURGEOLDEXTRACTS ./dirdat/ex*");
        assertArrayEquals(new long[]{6}, seqnos("ex"));
    }

    @Test
    void neverTheWritersFileNorTheNewest() {
        TestHomes.writeTrail(home, "ex", 4);
        TestHomes.extract(home, "EXT1", "./dirdat/ex", 2); // its checkpoint lags the files it wrote since
        TestHomes.replicat(home, "REP1", "./dirdat/ex", 9); // a reader position beyond every file
        purge("PURGEOLDEXTRACTS ./dirdat/*");
        assertArrayEquals(new long[]{2, 3, 4}, seqnos("ex"));
        TestHomes.extract(home, "EXT1", "./dirdat/ex", 9);
        purge("PURGEOLDEXTRACTS ./dirdat/*");
        assertArrayEquals(new long[]{4}, seqnos("ex"), "the newest file stays");
    }

    @Test
    void minKeepFilesKeepsTheNewest() {
        TestHomes.writeTrail(home, "ex", 5);
        TestHomes.replicat(home, "REP1", "./dirdat/ex", 5);
        purge("PURGEOLDEXTRACTS ./dirdat/*, MINKEEPFILES 3");
        assertArrayEquals(new long[]{3, 4, 5}, seqnos("ex"));
    }

    @Test
    void minKeepHoursKeepsRecentlyModifiedFiles() throws Exception {
        TestHomes.writeTrail(home, "ex", 4);
        TestHomes.replicat(home, "REP1", "./dirdat/ex", 4);
        long old = System.currentTimeMillis() - 3 * 3_600_000L;
        for (long s : new long[]{0, 1}) {
            Files.setLastModifiedTime(TrailFormat.fileOf(home.resolve("dirdat/ex"), s), FileTime.fromMillis(old));
        }
        purge("PURGEOLDEXTRACTS ./dirdat/*, MINKEEPHOURS 2, MINKEEPFILES 1");
        assertArrayEquals(new long[]{2, 3, 4}, seqnos("ex"), "files modified within 2 hours stay");
    }

    @Test
    void aTrailNoGroupReadsIsNotPurged() {
        TestHomes.writeTrail(home, "ex", 3);
        TestHomes.writeTrail(home, "zz", 3);
        TestHomes.extract(home, "EXT1", "./dirdat/ex", 3);
        purge("PURGEOLDEXTRACTS ./dirdat/*");
        assertArrayEquals(new long[]{0, 1, 2, 3}, seqnos("ex"), "only a writer: GoldenGate's rules do not take effect");
        assertArrayEquals(new long[]{0, 1, 2, 3}, seqnos("zz"));
    }

    @Test
    void aNewReaderAtSeqnoZeroHoldsEverything() {
        TestHomes.writeTrail(home, "ex", 3);
        TestHomes.extract(home, "EXT1", "./dirdat/ex", 3);
        TestHomes.pump(home, "PUMPHA", "./dirdat/ex", 0, "./dirdat/ha", 0); // seed 000: ADD EXTRACT ..., EXTTRAILSOURCE
        purge("PURGEOLDEXTRACTS ./dirdat/*");
        assertArrayEquals(new long[]{0, 1, 2, 3}, seqnos("ex"));
    }

    @Test
    void anUnreadableCheckpointStopsThePurge() throws Exception {
        TestHomes.writeTrail(home, "ex", 3);
        TestHomes.replicat(home, "REP1", "./dirdat/ex", 3);
        Files.writeString(home.resolve("dirchk/REP2.cpr"), "damaged");
        purge("PURGEOLDEXTRACTS ./dirdat/*");
        assertArrayEquals(new long[]{0, 1, 2, 3}, seqnos("ex"), "who reads ex is unknown: nothing purged");
        assertTrue(Files.readString(home.resolve("ggserr.log")).contains("WARNING OGG-00950"));
        Files.delete(home.resolve("dirchk/REP2.cpr"));
        purge("PURGEOLDEXTRACTS ./dirdat/*");
        assertEquals("[3]", Arrays.toString(seqnos("ex")));
    }

    @Test
    void aReaderThatDoesNotNameItsTrailStopsThePurge() throws Exception {
        TestHomes.writeTrail(home, "ha", 3);
        TestHomes.replicat(home, "REP1", "./dirdat/ha", 3);
        TestHomes.replicat(home, "REP2", "", 0); // a .cpr as Replicats wrote them before they named the trail
        purge("PURGEOLDEXTRACTS ./dirdat/*");
        assertArrayEquals(new long[]{0, 1, 2, 3}, seqnos("ha"), "REP2 may read ha: nothing purged");
        assertTrue(Files.readString(home.resolve("ggserr.log")).contains("REP2.cpr reads a trail it does not name"));
    }
}
