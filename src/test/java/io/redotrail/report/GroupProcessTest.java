package io.redotrail.report;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GroupProcessTest {
    @TempDir
    Path home;
    final CamelContext ctx = new DefaultCamelContext();

    private GroupRuntime group(String name) {
        return GroupRuntimes.of(ctx, home, name);
    }

    @Test
    void gracefulStopMarksThePidFileStoppedAndReleasesTheLock() {
        group("ext1").started("EXTRACT");
        PidFile pid = PidFile.read(PidFile.pathOf(home, "EXT1")).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), pid.pid());
        assertTrue(GroupLock.held(home, "EXT1"), "the running group holds its lock");
        assertTrue(PidFile.controlPort(home, "EXT1").isPresent());
        group("EXT1").stopped();
        assertFalse(GroupLock.held(home, "EXT1"), "released at stop");
        assertTrue(PidFile.read(PidFile.pathOf(home, "EXT1")).orElseThrow().stopped());
        assertFalse(Files.exists(PidFile.controlPathOf(home, "EXT1")));
        List<String> rpt = ReportFile.open(home, "EXT1").lines();
        assertTrue(rpt.get(0).endsWith("  INFO    OGG-00993  EXTRACT EXT1 started."), rpt.get(0));
        // the statistics at a graceful stop, then the stop line
        assertTrue(rpt.contains("No active extraction maps."), rpt.toString());
        String last = rpt.get(rpt.size() - 1);
        assertTrue(last.endsWith("  INFO    OGG-00991  EXTRACT EXT1 stopped normally."), last);
        // the group's own events in ggserr.log, with no Manager around
        List<String> events = ggserr();
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(0).endsWith("  INFO    OGG-00993  redotrail Capture, ext1.prm:  EXTRACT EXT1 started."), events.get(0));
        assertTrue(events.get(1).endsWith("  INFO    OGG-00991  redotrail Capture, ext1.prm:  EXTRACT EXT1 stopped normally."), events.get(1));
    }

    private List<String> ggserr() {
        try {
            return Files.readAllLines(EventLog.fileOf(home));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void abendKeepsAMarkedPidFileAndReportsTheCause() {
        group("REP1").started("REPLICAT");
        group("REP1").abend(new IllegalStateException("table YDJK.X does not exist in the target"));
        group("REP1").stopped();
        assertFalse(GroupLock.held(home, "REP1"));
        PidFile pid = PidFile.read(PidFile.pathOf(home, "REP1")).orElseThrow();
        assertTrue(pid.abended());
        assertFalse(pid.stopped());
        assertEquals("REPLICAT", pid.program());
        assertFalse(Files.exists(PidFile.controlPathOf(home, "REP1")));
        List<String> rpt = ReportFile.open(home, "REP1").lines();
        assertEquals(2, rpt.size(), String.join("\n", rpt));
        assertTrue(rpt.get(1).endsWith("  ERROR   OGG-01668  PROCESS ABENDING: table YDJK.X does not exist in the target"), rpt.get(1));
        List<String> events = ggserr();
        assertEquals(2, events.size(), "started, abending; no 'stopped normally': " + events);
        assertTrue(events.get(1).endsWith("  ERROR   OGG-01668  redotrail Delivery, rep1.prm:  REPLICAT REP1 PROCESS ABENDING: table YDJK.X does not"
                + " exist in the target"), events.get(1));
    }

    @Test
    void aCauseWithAMessageIdGetsItsOwnLineBeforeProcessAbending() {
        group("EXT1").process().abended("EXTRACT", new IllegalStateException("OGG-00446 Could not find archived log for sequence 7 thread 1"));
        List<String> rpt = ReportFile.open(home, "EXT1").lines();
        assertEquals(2, rpt.size(), String.join("\n", rpt));
        assertTrue(rpt.get(0).endsWith("  ERROR   OGG-00446  Could not find archived log for sequence 7 thread 1"), rpt.get(0));
        assertTrue(rpt.get(1).endsWith("  ERROR   OGG-01668  PROCESS ABENDING: OGG-00446 Could not find archived log for sequence 7 thread 1"), rpt.get(1));
        PidFile pid = PidFile.read(PidFile.pathOf(home, "EXT1")).orElseThrow();
        assertTrue(pid.abended(), "a refused start is an abend");
        assertFalse(GroupLock.held(home, "EXT1"), "reporting does not keep a lock");
    }

    @Test
    void theLockIsReentrantInOneJvmAndReleasedWithTheLastReference() {
        assertTrue(GroupLock.acquire(home, "PUMP1"));
        assertFalse(GroupLock.acquire(home, "PUMP1"), "second reference, same OS lock");
        GroupLock.release(home, "PUMP1");
        assertTrue(GroupLock.held(home, "PUMP1"));
        GroupLock.release(home, "PUMP1");
        assertFalse(GroupLock.held(home, "PUMP1"));
    }
}
