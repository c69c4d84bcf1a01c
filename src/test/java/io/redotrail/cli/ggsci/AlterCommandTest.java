package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.redo.ControlFile;
import io.redotrail.redo.RedoFormat;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import io.redotrail.report.ReportFile;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGSCI ALTER on real checkpoint files, a real trail and a real H2 checkpoint table: what is refused (and how it
 * is worded), that a Replicat's row and .cpr move together, and that ETROLLOVER is not repeated while pending.
 */
class AlterCommandTest {
    @TempDir
    Path home;

    private Path ha;
    private List<Transaction> written;
    private String url;

    @BeforeEach
    void trailAndCheckpoints() {
        ha = home.resolve("dirdat").resolve("ha");
        try (TrailWriter w = TrailWriter.open(ha, "PUMP1", 1 << 20)) {
            w.append(io.redotrail.trail.TrailTestData.txs(1, 5, 2));
        }
        written = new ArrayList<>();
        try (TrailReader r = new TrailReader(ha, TrailPosition.START)) {
            for (List<Transaction> b = r.poll(100); !b.isEmpty(); b = r.poll(100)) written.addAll(b);
        }
        TrailPosition end = written.get(3).trailEnd();
        url = "jdbc:h2:file:" + home.resolve("db").resolve("target").toAbsolutePath();
        new CheckpointFile(CheckpointFile.extractFile(home, "PUMP1")).write(new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(),
                new TrailReadCheckpoint(home.resolve("dirdat/ex").toString(), TrailPosition.START, 0, TrailPosition.START, 0),
                List.of(new WriteCheckpoint(ha.toString(), end, 1, "RMTTRAIL", Scn.of(1004))), null, null, null, 1, 1, 'G'));
        new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).write(new ProcessCheckpoint("REP1", "REPLICAT", List.of(),
                new TrailReadCheckpoint("", TrailPosition.START, 0, end, 0), List.of(), null, null, null, 1, 1, 'G'));
    }

    private GgsciOut ggsci(String command) throws Exception {
        Map<String, String> config = Map.of("redotrail.replicat.checkpointTable", "GGADMIN.CHECKPOINT",
                "redotrail.target.jdbcUrl", url, "redotrail.pump.trail", "ha");
        return GgsciOut.run(home, config::get, command);
    }

    private static void assertRefused(GgsciOut o, String... texts) {
        assertEquals(1, o.rc(), o.text());
        for (String t : texts) assertTrue(o.text().contains(t), "expected '" + t + "' in:\n" + o.text());
    }

    @Test
    void replicatRowAndFileMoveTogether() throws Exception {
        TrailPosition second = written.get(1).trailEnd();
        GgsciOut o = ggsci("alter replicat rep1, extseqno 0, extrba " + second.rba());
        assertEquals(0, o.rc(), o.text());
        assertTrue(o.text().contains("no row for REP1 (nothing applied yet), row added") && o.text().endsWith("REPLICAT altered.\n"), o.text());
        assertEquals(second, rowPosition());
        assertEquals(second, new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).read().orElseThrow().trailRead().current());

        // an existing row keeps its CSN watermark: moving back never makes the Replicat apply twice
        try (Connection c = DriverManager.getConnection(url)) {
            new CheckpointTable("GGADMIN.CHECKPOINT", home.toString()).update(c, "REP1", second, Scn.of(1002), 0, List.of(written.get(1).xid()));
        }
        assertEquals(0, ggsci("alter rep1, extseqno 0, extrba 0").rc());
        assertEquals(TrailPosition.START, rowPosition());
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(Scn.of(1002), new CheckpointTable("GGADMIN.CHECKPOINT", home.toString()).read(c, "REP1").orElseThrow().logCsn());
        }
        assertTrue(ReportFile.open(home, "REP1").lines().stream().anyMatch(l -> l.contains("OGG-01021  Command received from GGSCI: alter rep1")));
    }

    /** BEGIN positions a trail reader where ADD REPLICAT would: the first transaction committed at or after the time. */
    @Test
    void replicatBeginTimeAndNow() throws Exception {
        String third = java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(written.get(2).commitTimestampMillis()),
                java.time.ZoneId.systemDefault()).format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
        GgsciOut o = ggsci("alter replicat rep1, begin " + third);
        assertEquals(0, o.rc(), o.text());
        assertEquals(written.get(2).trailStart(), rowPosition());
        assertEquals(written.get(2).trailStart(), new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).read().orElseThrow()
                .trailRead().current());
        assertEquals(0, ggsci("alter replicat rep1, begin now").rc());
        assertEquals(written.get(written.size() - 1).trailEnd(), rowPosition());
        assertRefused(ggsci("alter replicat rep1, begin 2100-01-01 00:00"), "No transaction in trail", "committed at or after 2100-01-01 00:00");
        assertRefused(ggsci("alter replicat rep1, begin now, extseqno 0, extrba 0"), "usage: ALTER REPLICAT");
        assertRefused(ggsci("alter replicat rep1, scn 5"), "SCN positions an Extract reading redo");
        assertEquals(written.get(written.size() - 1).trailEnd(), rowPosition(), "nothing changed by a refused command");
    }

    @Test
    void refusals() throws Exception {
        long inside = written.get(1).trailEnd().rba() + 4;
        assertRefused(ggsci("alter replicat REP1, extseqno 0, extrba " + inside), "RBA " + inside + " of " + ha + "000000000 is not a "
                + "transaction boundary", "nearest: RBA " + written.get(1).trailEnd().rba() + " and RBA " + written.get(2).trailEnd().rba());
        assertRefused(ggsci("alter replicat REP1, extseqno 3, extrba 0"), ha + "000000003 (EXTSEQNO 3) does not exist");
        assertRefused(ggsci("alter replicat REP1, etrollover"), "ETROLLOVER applies to a process that writes a trail");
        assertRefused(ggsci("alter replicat REP1, extrba 0"), "usage: ALTER REPLICAT");
        assertRefused(ggsci("alter replicat REP1, extseqno x"), "EXTSEQNO must be a number");
        assertRefused(ggsci("alter extract REP9, etrollover"), "EXTRACT REP9 does not exist");
        GroupLock.acquire(home, "REP1"); // as a running Replicat holds it
        try {
            GroupLock.write(home, "REP1", new PidFile(ProcessHandle.current().pid(), "REPLICAT", System.currentTimeMillis(), false, null).text());
            assertRefused(ggsci("alter replicat REP1, extseqno 0, extrba 0"), "REPLICAT REP1 is running (process "
                    + ProcessHandle.current().pid(), "stop it first");
        } finally {
            GroupLock.release(home, "REP1");
        }
        assertEquals(written.get(3).trailEnd(), new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).read().orElseThrow()
                .trailRead().current(), "nothing changed by a refused command");
    }

    @Test
    void etrolloverIsNotRepeatedWhilePending() throws Exception {
        GgsciOut first = ggsci("alter extract PUMP1, etrollover");
        assertEquals(0, first.rc(), first.text());
        assertTrue(first.text().contains("-> Sequence # 1, RBA 0") && first.text().contains("Nothing is missing from the trail")
                && first.text().contains("Rollover performed.\nEXTRACT altered."), first.text());
        GgsciOut again = ggsci("alter extract PUMP1, etrollover");
        assertTrue(again.text().contains("-> Sequence # 1, RBA 0"), again.text());
        // its reader may be pointed at the file the writer will create
        assertEquals(0, ggsci("alter replicat REP1, extseqno 1, extrba 0").rc());
    }

    /**
     * A pump sending to a collector (dirchk/PUMP1.rmt): its RMTTRAIL's files are on the remote host, so this home's
     * (here: none) say nothing of it and nothing is called missing; the write checkpoint moves to the next file
     * keeping its CSN, and the read checkpoint back to the source trail's oldest file (the collector says at the next
     * start what to skip).
     */
    @Test
    void etrolloverOfAPumpSendingToACollectorJudgesNothingFromThisHome() throws Exception {
        Path ex = home.resolve("dirdat").resolve("ex");
        try (TrailWriter w = TrailWriter.open(ex, "EXT1", 1 << 20)) {
            w.append(io.redotrail.trail.TrailTestData.txs(1, 5, 2));
            new CheckpointFile(CheckpointFile.extractFile(home, "PUMP1")).write(new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(),
                    new TrailReadCheckpoint(ex.toString(), TrailPosition.START, 0, w.position(), 0),
                    List.of(new WriteCheckpoint("./dirdat/ha", written.get(3).trailEnd(), 1, "RMTTRAIL", Scn.of(1004))),
                    null, null, null, 1, 1, 'G'));
        }
        // RMTHOST in its parameter file (a pump that never ran has no dirchk/PUMP1.rmt yet)
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/pump1.prm"), "EXTRACT pump1\nRMTHOST 127.0.0.2, MGRPORT 7809\nRMTTRAIL ./dirdat/ha\nTABLE YDJK.*;\n");
        Files.delete(io.redotrail.trail.TrailFormat.fileOf(ha, 0)); // this home has no file of the trail
        GgsciOut o = ggsci("alter extract PUMP1, etrollover");
        assertEquals(0, o.rc(), o.text());
        for (String t : List.of("-> Sequence # 1, RBA 0, new file ./dirdat/ha000000001 on the remote host",
                "is written by a collector on the remote host: what it holds is not visible here",
                "-> Sequence # 0, RBA 0 of " + ex, "Rollover performed.")) {
            assertTrue(o.text().contains(t), "expected '" + t + "' in:\n" + o.text());
        }
        assertFalse(o.text().contains("missing") || o.text().contains("WARNING") || o.text().contains("no longer exist"), o.text());
        ProcessCheckpoint cp = new CheckpointFile(CheckpointFile.extractFile(home, "PUMP1")).read().orElseThrow();
        assertEquals(new TrailPosition(1, 0), cp.write(0).position());
        assertEquals(Scn.of(1004), cp.write(0).lastCsn());
        assertEquals(TrailPosition.START, cp.trailRead().current());
        assertTrue(ggsci("alter extract PUMP1, etrollover").text().contains("-> Sequence # 1, RBA 0"), "not repeated while pending");
        // without a parameter file, the state its last run with a remote host left
        Files.delete(home.resolve("dirprm/pump1.prm"));
        io.redotrail.report.RemoteStatusFile.write(home, "PUMP1", "connected to 127.0.0.2:7809, collector port 7820");
        assertTrue(ggsci("alter extract PUMP1, etrollover").text().contains("is written by a collector on the remote host"));
    }

    /**
     * EXT1's trail lost transactions (its checkpoint says CSN 1004, the trail holds up to 1002): the redo read
     * checkpoint moves back to the oldest log still on disk, BR files are retired, and since that log starts at SCN
     * 1500 the CSNs it cannot cover are printed.
     */
    @Test
    void extractRolloverRewindsRedoAndNamesWhatCannotBeReread() throws Exception {
        Path ex = home.resolve("dirdat").resolve("ex");
        try (TrailWriter w = TrailWriter.open(ex, "EXT1", 1 << 20)) {
            w.append(io.redotrail.trail.TrailTestData.txs(1, 3, 2));
        }
        ControlFile cf = new ControlFile();
        cf.dbName = "SRC";
        cf.threads.put(1, new ControlFile.ThreadState(3, 4, 1));
        Path redo = home.resolve("redo");
        cf.logs.add(new ControlFile.LogEntry(1, 2, 2, 1000, 1500, 1, null, home.resolve("arch/1_2.arc")));
        cf.logs.get(0).archiveDeleted = true;
        cf.logs.add(new ControlFile.LogEntry(1, 3, 3, 1500, 2000, 1, redo.resolve("redo_1_3.log"), null));
        cf.logs.add(new ControlFile.LogEntry(1, 4, 1, 2000, -1, 1, redo.resolve("redo_1_1.log"), null));
        cf.write(RedoFormat.controlFile(redo));
        CheckpointPoint at4 = new CheckpointPoint(new RedoPosition(1, 4, 9000), Scn.of(2100), 1, "redo_1_1.log");
        new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT",
                List.of(new RedoReadCheckpoint(1, at4, at4, at4)), null,
                List.of(new WriteCheckpoint(ex.toString(), new TrailPosition(0, 99_999), 1, "EXTTRAIL", Scn.of(1004))),
                null, null, null, 1, 1, 'G'));
        // BR BRDIR ./mybr in the group's parameter file: that directory is the one retired
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/ext1.prm"), "EXTRACT ext1\nEXTTRAIL ./dirdat/ex\nBR BRINTERVAL 4H, BRDIR ./mybr\n");
        Path other = home.resolve("BR").resolve("EXT1").resolve("CP.EXT1.000000007");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "not this group's directory");
        Path br = home.resolve("mybr").resolve("EXT1").resolve("CP.EXT1.000000007");
        Files.createDirectories(br.getParent());
        Files.writeString(br, "stale");

        GgsciOut o = ggsci("alter extract EXT1, etrollover");
        assertEquals(0, o.rc(), o.text());
        for (String t : List.of("Transactions with CSN 1003 to 1004 are missing from the trail",
                "Recovery Sequence # 4, RBA 9000 -> Sequence # 3, RBA 512", "SCN 1500",
                "transactions that committed between SCN 1003 and 1499 are NOT captured again unless archived logs of thread 1 "
                        + "before sequence 3 are restored", "EXT1 stopped, dirchk/EXT1.cpe is deleted", "BOUNDED RECOVERY: reset")) {
            assertTrue(o.text().contains(t), "expected '" + t + "' in:\n" + o.text());
        }
        ProcessCheckpoint cp = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow();
        assertEquals(new RedoPosition(1, 3, 512), cp.redoRead(1).recovery().position());
        assertEquals(new TrailPosition(1, 0), cp.write(0).position());
        assertEquals(Scn.of(1002), cp.write(0).lastCsn(), "the CSN the trail kept, which the writer and extract judge by");
        assertFalse(Files.exists(br), "BR checkpoint retired: the next start re-reads the redo");
        assertTrue(Files.exists(other), "the configuration's BR directory is not the group's");
        assertTrue(o.text().contains("BR files in " + home.resolve("mybr/EXT1") + " retired"), o.text());
    }

    private TrailPosition rowPosition() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            return new CheckpointTable("GGADMIN.CHECKPOINT", home.toString()).read(c, "REP1").orElseThrow().position();
        }
    }
}
