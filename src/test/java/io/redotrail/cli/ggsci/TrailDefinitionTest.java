package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.TrailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trail's definition in its writer's write checkpoint, on a real home: its name checked as the process checks it,
 * its MEGABYTES kept through ETROLLOVER, changed by ALTER EXTTRAIL / RMTTRAIL, and the trail removed from its group by
 * DELETE EXTTRAIL / RMTTRAIL (its files stay).
 */
class TrailDefinitionTest {
    @TempDir
    Path home;

    private GgsciOut ggsci(String command) throws Exception {
        return GgsciOut.run(home, k -> null, command);
    }

    private GgsciOut ok(String command) throws Exception {
        GgsciOut o = ggsci(command);
        assertEquals(0, o.rc(), command + ": " + o.text());
        return o;
    }

    private void refused(String command, String text) throws Exception {
        GgsciOut o = ggsci(command);
        assertEquals(1, o.rc(), command + ": " + o.text());
        assertTrue(o.text().contains(text), command + ": " + o.text());
    }

    private ProcessCheckpoint extract(String g) {
        return new CheckpointFile(CheckpointFile.extractFile(home, g)).read().orElseThrow();
    }

    @Test
    void etrolloverKeepsTheTrailsFileSize() throws Exception {
        ok("add extract e2, exttrailsource ./dirdat/ex");
        ok("add exttrail ./dirdat/e2, extract e2, megabytes 7");
        assertTrue(ok("info exttrail ./dirdat/e2").text().contains("File Size: 7M"));
        ok("alter extract e2, etrollover");
        WriteCheckpoint w = extract("E2").write(0);
        assertEquals(new TrailPosition(0, 0), w.position(), "no file yet: the rollover is to file 0, still pending");
        assertEquals(7, w.megabytes());
        assertTrue(ok("info exttrail ./dirdat/e2").text().contains("File Size: 7M"));
    }

    @Test
    void aTrailNameTheProcessWouldRefuseIsRefusedWhenAdded() throws Exception {
        ok("add extract e4, exttrailsource ./dirdat/ex");
        for (String bad : List.of("./dirdat/abc", "./dirdat/1x", "./dirdat/e")) {
            refused("add exttrail " + bad + ", extract e4", "Invalid trail name " + bad + ": a trail is named by two characters");
            refused("add replicat r" + bad.length() + ", exttrail " + bad, "Invalid trail name " + bad);
            refused("add extract p" + bad.length() + ", exttrailsource " + bad, "Invalid trail name " + bad);
        }
        assertTrue(extract("E4").writes().isEmpty());
        assertEquals(List.of("E4"), List.copyOf(Groups.find(home, "EXTRACT", "*")), "no group was added with a bad trail");
        assertTrue(Groups.find(home, "REPLICAT", "*").isEmpty());
    }

    @Test
    void megabytesOutsideTheWritersLimitsIsRefused() throws Exception {
        ok("add extract p2, exttrailsource ./dirdat/ex");
        refused("add rmttrail ./dirdat/r2, extract p2, megabytes 0", "MEGABYTES must be 1 to 2000, got 0");
        refused("add rmttrail ./dirdat/r2, extract p2, megabytes 2001", "MEGABYTES must be 1 to 2000, got 2001");
        assertTrue(extract("P2").writes().isEmpty());
        ok("add rmttrail ./dirdat/r2, extract p2, megabytes 2000");
        assertEquals(2000, extract("P2").write(0).megabytes());
    }

    @Test
    void alterChangesTheSizeAndKeepsThePosition() throws Exception {
        ok("add extract p1, exttrailsource ./dirdat/ex");
        ok("add rmttrail ./dirdat/r1, extract p1, megabytes 5");
        assertEquals("RMTTRAIL altered.\n", ok("alter rmttrail ./dirdat/r1, extract p1, megabytes 50").text());
        WriteCheckpoint w = extract("P1").write(0);
        assertEquals(50, w.megabytes());
        assertEquals(TrailPosition.START, w.position());
        assertTrue(ok("info rmttrail ./dirdat/r1").text().contains("File Size: 50M"));
        refused("alter rmttrail ./dirdat/r1, extract p1, megabytes 0", "MEGABYTES must be 1 to 2000, got 0");
        refused("alter rmttrail ./dirdat/r1, extract p1", "usage: ALTER RMTTRAIL");
        refused("alter rmttrail ./dirdat/r1, extract p1, megabytes 9, pages 3", "Unknown option 'pages'");
        refused("alter exttrail ./dirdat/r1, extract p1, megabytes 9", "EXTTRAIL ./dirdat/r1 does not exist for EXTRACT P1");
        ok("add extract p3, exttrailsource ./dirdat/ex");
        refused("alter rmttrail ./dirdat/r1, extract p3, megabytes 9", "RMTTRAIL ./dirdat/r1 is written by EXTRACT P1, not P3");
        assertEquals(50, extract("P1").write(0).megabytes(), "the refusals changed nothing");
    }

    @Test
    void deleteRemovesTheTrailFromItsGroupAndKeepsItsFiles() throws Exception {
        ok("add extract e1, exttrailsource ./dirdat/ex");
        ok("add exttrail ./dirdat/ea, extract e1");
        Path file = Files.createDirectories(home.resolve("dirdat")).resolve("ea000000000");
        Files.writeString(file, "kept");
        refused("add exttrail ./dirdat/eb, extract e1", "already writes trail ./dirdat/ea");
        refused("delete exttrail ./dirdat/zz", "EXTTRAIL ./dirdat/zz does not exist.");
        assertEquals("Deleted EXTTRAIL ./dirdat/ea.\n", ok("delete exttrail ./dirdat/ea").text());
        assertTrue(extract("E1").writes().isEmpty());
        assertTrue(Files.exists(file), "a trail's files stay");
        ok("add exttrail ./dirdat/eb, extract e1");
        assertEquals("./dirdat/eb", extract("E1").write(0).trail());
    }
}
