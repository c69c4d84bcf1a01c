package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.report.PidFile;
import io.redotrail.report.ReportFile;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private record Out(int rc, String text) {
    }

    private Out ggsci(String command) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, String> config = Map.of("redotrail.replicat.checkpointTable", "GGADMIN.CHECKPOINT",
                "redotrail.target.jdbcUrl", url, "redotrail.pump.trail", "ha");
        int rc = new Ggsci(home, config::get, new PrintStream(buf, true, StandardCharsets.UTF_8)).execute(command);
        return new Out(rc, buf.toString(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Out o, String... texts) {
        assertEquals(1, o.rc(), o.text());
        for (String t : texts) assertTrue(o.text().contains(t), "expected '" + t + "' in:\n" + o.text());
    }

    @Test
    void replicatRowAndFileMoveTogether() throws Exception {
        TrailPosition second = written.get(1).trailEnd();
        Out o = ggsci("alter replicat rep1, extseqno 0, extrba " + second.rba());
        assertEquals(0, o.rc(), o.text());
        assertTrue(o.text().contains("no row for REP1 (nothing applied yet), row added") && o.text().endsWith("REPLICAT altered.\n"), o.text());
        assertEquals(second, rowPosition());
        assertEquals(second, new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).read().orElseThrow().trailRead().current());

        // an existing row keeps its CSN watermark: moving back never makes the Replicat apply twice
        try (Connection c = DriverManager.getConnection(url)) {
            new CheckpointTable("GGADMIN.CHECKPOINT").update(c, "REP1", second, Scn.of(1002), 0, List.of(written.get(1).xid()));
        }
        assertEquals(0, ggsci("alter rep1, extseqno 0, extrba 0").rc());
        assertEquals(TrailPosition.START, rowPosition());
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(Scn.of(1002), new CheckpointTable("GGADMIN.CHECKPOINT").read(c, "REP1").orElseThrow().logCsn());
        }
        assertTrue(ReportFile.of(home, "REP1").lines().stream().anyMatch(l -> l.contains("OGG-01021  Command received from GGSCI: alter rep1")));
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
        new PidFile(ProcessHandle.current().pid(), "REPLICAT", System.currentTimeMillis(), true, "x").write(PidFile.pathOf(home, "REP1"));
        assertRefused(ggsci("alter replicat REP1, extseqno 0, extrba 0"), "REPLICAT REP1 is running (process "
                + ProcessHandle.current().pid(), "stop it first");
        assertEquals(written.get(3).trailEnd(), new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).read().orElseThrow()
                .trailRead().current(), "nothing changed by a refused command");
    }

    @Test
    void etrolloverIsNotRepeatedWhilePending() throws Exception {
        Out first = ggsci("alter extract PUMP1, etrollover");
        assertEquals(0, first.rc(), first.text());
        assertTrue(first.text().contains("-> Sequence # 1, RBA 0") && first.text().contains("Nothing is missing from the trail")
                && first.text().contains("Rollover performed.\nEXTRACT altered."), first.text());
        Out again = ggsci("alter extract PUMP1, etrollover");
        assertTrue(again.text().contains("-> Sequence # 1, RBA 0"), again.text());
        // its reader may be pointed at the file the writer will create
        assertEquals(0, ggsci("alter replicat REP1, extseqno 1, extrba 0").rc());
    }

    private TrailPosition rowPosition() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            return new CheckpointTable("GGADMIN.CHECKPOINT").read(c, "REP1").orElseThrow().position();
        }
    }
}
