package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ADD / DELETE define and remove groups through their checkpoint files (contract 1), on a real home: the seed's
 * GGSCI lines fed verbatim through standard input, trails refused outside dirdat/, the Replicat's checkpoint table
 * kept in its definition across checkpoints written by a process that does not know it, ADD CHECKPOINTTABLE on a
 * real H2 target, DELETE refused while the group's lock is held.
 */
class GroupDefinitionTest {
    @TempDir
    Path home;

    private GgsciOut ggsci(Map<String, String> config, String command) throws Exception {
        return GgsciOut.run(home, config::get, command);
    }

    private GgsciOut ggsci(String command) throws Exception {
        return ggsci(Map.of(), command);
    }

    private GgsciOut stdin(String lines) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Ggsci.run(home, k -> null, List.of(), new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        return new GgsciOut(rc, buf.toString(StandardCharsets.UTF_8));
    }

    private ProcessCheckpoint extract(String g) {
        return new CheckpointFile(CheckpointFile.extractFile(home, g)).read().orElseThrow();
    }

    /** The seed's own GGSCI lines (blog post 000), verbatim, one per stdin line; EXTA is an existing extract there. */
    @Test
    void seedLinesThroughStdin() throws Exception {
        new CheckpointFile(CheckpointFile.extractFile(home, "EXTA")).write(new ProcessCheckpoint("EXTA", "EXTRACT", List.of(), null,
                List.of(new WriteCheckpoint("./dirdat/ex", new TrailPosition(2287, 46787121), 1, "EXTTRAIL", Scn.of(5))),
                null, null, null, 1, 1, 'G'));
        // EXTA's trail is at sequence 2287, as in the seed (a writer that starts at a rolled-over sequence)
        try (io.redotrail.trail.TrailWriter w = io.redotrail.trail.TrailWriter.open(home.resolve("dirdat/ex"), "EXTA", 1 << 20,
                new TrailPosition(2287, 0))) {
            w.append(io.redotrail.trail.TrailTestData.txs(1, 3, 1));
        }
        GgsciOut o = stdin("""
                add extract pumha, exttrailsource ./dirdat/ex
                add rmttrail ./dirdat/ha, extract pumha, megabytes 50
                info exta, showch
                alter extract pumha,extseqno 2287, extrba 0
                """);
        assertEquals(0, o.rc(), o.text());
        String host = java.net.InetAddress.getLocalHost().getHostName();
        assertTrue(o.text().startsWith("GGSCI (" + host + ") 1> add extract pumha, exttrailsource ./dirdat/ex\nEXTRACT added.\n"
                + "GGSCI (" + host + ") 2> add rmttrail ./dirdat/ha, extract pumha, megabytes 50\nRMTTRAIL added.\n"
                + "GGSCI (" + host + ") 3> info exta, showch\n"), o.text());
        assertTrue(o.text().contains("    Sequence #: 2287\n    RBA: 46787121\n"), o.text());
        assertTrue(o.text().contains("GGSCI (" + host + ") 4> alter extract pumha,extseqno 2287, extrba 0\n"), o.text());
        assertTrue(o.text().endsWith("EXTRACT altered.\n"), o.text());
        ProcessCheckpoint p = extract("PUMHA");
        assertEquals("EXTRACT", p.processType());
        assertEquals(0, p.startTimeMillis());
        assertEquals("./dirdat/ex", p.trailRead().trail());
        assertEquals(new TrailPosition(2287, 0), p.trailRead().current(), "the seed's fix: the pump reads from EXTA's current file");
        assertEquals(List.of(new WriteCheckpoint("./dirdat/ha", TrailPosition.START, 0, "RMTTRAIL", Scn.ZERO, 50)), p.writes());

        GgsciOut info = ggsci("info pumha");
        assertTrue(info.text().startsWith("EXTRACT    PUMHA     Initialized   "), info.text());
        assertTrue(info.text().contains("Log Read Checkpoint  File ./dirdat/ex000002287\n                     First Record  RBA 0\n"),
                info.text());
        assertTrue(info.text().contains("Status STOPPED"), info.text());
        GgsciOut trails = ggsci("info rmttrail *");
        assertEquals("""

                       Extract Trail: ./dirdat/ha
                        Seqno Length: 9
                   Flip Seqno Length: no
                             Extract: PUMHA
                               Seqno: 0
                                 RBA: 0
                           File Size: 50M

                """, trails.text());
        assertTrue(ggsci("info exttrail ./dirdat/ex").text().contains("Extract: EXTA\n               Seqno: 2287\n"));
        assertTrue(ggsci("info exttrail ./dirdat/zz").text().startsWith("ERROR: No EXTTRAIL matches ./dirdat/zz."));
    }

    /**
     * A target home's dirchk/ also holds a running collector's record ({@code COLLECTOR_HA.pid}, program
     * COLLECTOR, #12): it is no group, so a wildcard never names it (STOP ER * in such a home failed on it).
     */
    @Test
    void aCollectorsPidFileIsNoGroup() throws Exception {
        assertEquals("REPLICAT added.\n", ggsci("add replicat rep1, exttrail ./dirdat/ha").text());
        GroupLock.acquire(home, "COLLECTOR_ha");
        try {
            GroupLock.write(home, "COLLECTOR_ha", "pid=" + ProcessHandle.current().pid() + "\nprogram=COLLECTOR\nport=7840\ntrail=./dirdat/ha\n");
            assertEquals(java.util.Set.of("REP1"), Groups.find(home, "REPLICAT", "*"));
            assertTrue(Groups.find(home, "EXTRACT", "*").isEmpty(), Groups.find(home, "EXTRACT", "*").toString());
            assertNull(Groups.programOf(home, "COLLECTOR_HA"));
            GgsciOut all = ggsci("info all");
            assertFalse(all.text().contains("COLLECTOR"), all.text());
            assertTrue(all.text().contains("REP1"), all.text());
        } finally {
            GroupLock.release(home, "COLLECTOR_ha");
        }
    }

    @Test
    void trailsLiveInDirdatAndOneGroupWritesEach() throws Exception {
        assertEquals("EXTRACT added.\n", ggsci("ADD EXTRACT P1, EXTTRAILSOURCE dirdat/ex, EXTSEQNO 3, EXTRBA 0").text());
        assertEquals(new TrailPosition(3, 0), extract("P1").trailRead().current());
        GgsciOut out = ggsci("add extract P2, exttrailsource /tmp/elsewhere/ex");
        assertEquals(1, out.rc());
        assertTrue(out.text().contains("Trail /tmp/elsewhere/ex is outside the home's trail directory"), out.text());
        assertTrue(ggsci("add exttrail ./dirtmp/xx, extract P1").text().contains("is outside the home's trail directory"));
        assertEquals("EXTTRAIL added.\n", ggsci("add exttrail ./dirdat/p1, extract P1").text());
        assertTrue(ggsci("add rmttrail ./dirdat/p2, extract P1").text().contains("already writes trail ./dirdat/p1"));
        ggsci("add extract P3, exttrailsource ./dirdat/ex");
        assertTrue(ggsci("add rmttrail ./dirdat/p1, extract P3").text().contains("Trail ./dirdat/p1 is already written by EXTRACT P1."));
        assertTrue(ggsci("add rmttrail ./dirdat/p3, extract NOPE").text().contains("EXTRACT NOPE does not exist."));
        // the writer's range, the same the group process checks: not accepted here to be refused at START
        assertTrue(ggsci("add rmttrail ./dirdat/p3, extract P3, megabytes 2001").text().contains("MEGABYTES must be 1 to 2000, got 2001"));
        assertEquals("RMTTRAIL added.\n", ggsci("add rmttrail ./dirdat/p3, extract P3, megabytes 2000").text());
        // an option GGSCI does not know is refused by name, nothing added
        GgsciOut typo = ggsci("add replicat r9, exttrail ./dirdat/ha, checkpontable x.y");
        assertEquals(1, typo.rc(), typo.text());
        assertTrue(typo.text().contains("Unknown option 'checkpontable' for ADD REPLICAT"), typo.text());
        assertTrue(ggsci("info replicat r9").text().contains("does not exist"));
        assertTrue(ggsci("add extract P9, exttrailsource ./dirdat/ex, extseqno 1 extrbaa 0").text().contains("Unknown option 'extrbaa'"));
        assertTrue(ggsci("add exttrail ./dirdat/p9, extract P3, megabyte 5").text().contains("Unknown option 'megabyte' for ADD EXTTRAIL"));
        assertTrue(ggsci("alter extract P1, extseqno 3, extrab 0").text().contains("Unknown option 'extrab' for ALTER EXTRACT"));
        assertTrue(ggsci("add extract P4, exttrailsource ./dirdat/ex, tranlog").text().contains("usage: ADD EXTRACT"));
    }

    @Test
    void replicatKeepsItsCheckpointTableAcrossCheckpointsWrittenWithoutIt() throws Exception {
        assertEquals("REPLICAT added.\n", ggsci("add replicat rep1, exttrail ./dirdat/ha, checkpointtable ggadmin.ckpt").text());
        CheckpointFile f = new CheckpointFile(CheckpointFile.replicatFile(home, "REP1"));
        ProcessCheckpoint cp = f.read().orElseThrow();
        assertEquals("GGADMIN.CKPT", cp.checkpointTable());
        assertEquals(new TrailReadCheckpoint("./dirdat/ha", TrailPosition.START, 0, TrailPosition.START, 0), cp.trailRead());
        // the replicat process writes its checkpoints without knowing the definition (a fresh instance each time)
        new CheckpointFile(f.path()).write(new ProcessCheckpoint("REP1", "REPLICAT", List.of(),
                new TrailReadCheckpoint("./dirdat/ha", TrailPosition.START, 0, new TrailPosition(0, 900), 5), List.of(),
                null, null, null, 7, 8, 'A'));
        ProcessCheckpoint after = f.read().orElseThrow();
        assertEquals("GGADMIN.CKPT", after.checkpointTable());
        assertEquals(new TrailPosition(0, 900), after.trailRead().current());
        assertTrue(Files.readString(f.path()).contains("\ncheckpointtable=GGADMIN.CKPT\n"));

        assertEquals("REPLICAT added.\n", ggsci("add replicat rep2, exttrail ./dirdat/ha").text());
        assertNull(new CheckpointFile(CheckpointFile.replicatFile(home, "REP2")).read().orElseThrow().checkpointTable());
        assertTrue(ggsci("add replicat rep3, exttrail ./dirdat/ha, checkpointtable nodot").text().contains("expected owner.table"));
        assertTrue(ggsci("add replicat rep3, exttrail ./dirdat/ha, begin 2026-01-01 00:00").text()
                .contains("No transaction in trail ./dirdat/ha committed at or after 2026-01-01 00:00 yet"));
        assertTrue(ggsci("add replicat rep1, exttrail ./dirdat/ha").text().contains("REPLICAT REP1 already exists."));
        assertTrue(ggsci("add replicat rep3").text().contains("usage: ADD REPLICAT"));
    }

    /** ADD REPLICAT ..., PARALLEL: the definition keeps it across the process's checkpoints, INFO shows it. */
    @Test
    void aParallelReplicatKeepsItsTypeAndInfoShowsIt() throws Exception {
        assertEquals("REPLICAT added.\n", ggsci("add replicat repp, exttrail ./dirdat/ha, parallel").text());
        CheckpointFile f = new CheckpointFile(CheckpointFile.replicatFile(home, "REPP"));
        assertTrue(f.parallel());
        new CheckpointFile(f.path()).write(new ProcessCheckpoint("REPP", "REPLICAT", List.of(),
                new TrailReadCheckpoint("./dirdat/ha", TrailPosition.START, 0, new TrailPosition(0, 900), 5), List.of(),
                null, null, null, 7, 8, 'A'));
        assertTrue(new CheckpointFile(f.path()).parallel(), "a checkpoint written without the definition keeps it");
        String info = ggsci("info replicat repp").text();
        assertTrue(info.contains("Replicat type          Parallel"), info);
        ggsci("add replicat reps, exttrail ./dirdat/ha");
        assertFalse(new CheckpointFile(CheckpointFile.replicatFile(home, "REPS")).parallel());
        assertFalse(ggsci("info replicat reps").text().contains("Parallel"));
    }

    @Test
    void replicatBeginIsATransactionBoundaryOfItsTrail() throws Exception {
        assertEquals("REPLICAT added.\n", ggsci("add replicat R0, exttrail ./dirdat/ha, begin now").text());
        assertEquals(TrailPosition.START, replicatAt("R0"), "no trail file yet: everything it will hold comes later");
        List<io.redotrail.core.Transaction> written = new java.util.ArrayList<>();
        try (io.redotrail.trail.TrailWriter w = io.redotrail.trail.TrailWriter.open(home.resolve("dirdat/ha"), "PUMHA", 1 << 20)) {
            w.append(io.redotrail.trail.TrailTestData.txs(1, 5, 2)); // commit times 1_700_000_000_001 ... 004
        }
        try (io.redotrail.trail.TrailReader r = new io.redotrail.trail.TrailReader(home.resolve("dirdat/ha"), TrailPosition.START)) {
            for (var b = r.poll(100); !b.isEmpty(); b = r.poll(100)) written.addAll(b);
        }
        String third = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                .withZone(java.time.ZoneId.systemDefault()).format(java.time.Instant.ofEpochMilli(1_700_000_000_003L));
        assertEquals(0, ggsci("add replicat R1, exttrail ./dirdat/ha, begin " + third).rc());
        assertEquals(written.get(2).trailStart(), replicatAt("R1"), "the first transaction committed at or after it");
        assertEquals(written.get(1).trailEnd(), replicatAt("R1"), "a boundary: where the one before ends");
        assertEquals(0, ggsci("add replicat R2, exttrail ./dirdat/ha, begin now").rc());
        assertEquals(written.get(written.size() - 1).trailEnd(), replicatAt("R2"), "after the last complete transaction");
        assertTrue(ggsci("add replicat R3, exttrail ./dirdat/ha, begin now, extseqno 0").text().contains("not both"));
    }

    private TrailPosition replicatAt(String g) {
        return new CheckpointFile(CheckpointFile.replicatFile(home, g)).read().orElseThrow().trailRead().current();
    }

    @Test
    void addCheckpointTableCreatesItInTheTarget() throws Exception {
        String url = "jdbc:h2:file:" + home.resolve("db").resolve("target").toAbsolutePath();
        Map<String, String> cfg = Map.of("redotrail.target.jdbcUrl", url);
        GgsciOut o = ggsci(cfg, "add checkpointtable ggadmin.ckpt");
        assertEquals("Successfully created checkpoint table GGADMIN.CKPT.\n", o.text());
        try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.getMetaData().getTables(null, "GGADMIN", "CKPT%", null)) {
            int n = 0;
            while (rs.next()) n++;
            assertEquals(2, n, "the table and its _LOX companion");
        }
        GgsciOut again = ggsci(cfg, "ADD CHECKPOINTTABLE GGADMIN.CKPT");
        assertEquals(0, again.rc(), "an existing table is fine");
        assertEquals("Checkpoint table GGADMIN.CKPT already exists.\n", again.text());
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("DROP TABLE GGADMIN.CKPT_LOX");
        }
        assertEquals("Checkpoint table GGADMIN.CKPT already exists; created its companion GGADMIN.CKPT_LOX.\n",
                ggsci(cfg, "add checkpointtable ggadmin.ckpt").text());
        assertEquals("Successfully created checkpoint table GGADMIN.CHECKPOINT.\n", ggsci(cfg, "add checkpointtable").text());
        assertTrue(ggsci("add checkpointtable").text().contains("redotrail.target.jdbcUrl is not set"));
    }

    @Test
    void deleteRemovesDirchkFilesKeepsParamsAndRefusesWhileRunning() throws Exception {
        String url = "jdbc:h2:file:" + home.resolve("db").resolve("target").toAbsolutePath();
        Map<String, String> cfg = Map.of("redotrail.target.jdbcUrl", url);
        ggsci("add extract pumha, exttrailsource ./dirdat/ex");
        ggsci("add replicat rep1, exttrail ./dirdat/ha, checkpointtable ggadmin.ckpt");
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/pumha.prm"), "EXTRACT PUMHA\n");
        try (Connection c = DriverManager.getConnection(url)) {
            CheckpointTable t = new CheckpointTable("GGADMIN.CKPT", home.toString());
            t.create(c);
            t.update(c, "REP1", new TrailPosition(0, 100), Scn.of(3), 0, List.of());
        }
        GroupLock.acquire(home, "PUMHA"); // as the running pump holds it
        try {
            GroupLock.write(home, "PUMHA", new PidFile(ProcessHandle.current().pid(), "EXTRACT", 1, false, null).text());
            GgsciOut refused = ggsci("delete extract pumha");
            assertEquals(1, refused.rc());
            assertTrue(refused.text().contains("EXTRACT PUMHA is running (process " + ProcessHandle.current().pid()), refused.text());
            assertTrue(Files.exists(CheckpointFile.extractFile(home, "PUMHA")));
        } finally {
            GroupLock.release(home, "PUMHA");
        }
        assertEquals("Deleted EXTRACT PUMHA.\n", ggsci("DELETE EXTRACT PUMHA").text());
        assertFalse(Files.exists(CheckpointFile.extractFile(home, "PUMHA")));
        assertFalse(Files.exists(PidFile.pathOf(home, "PUMHA")));
        assertTrue(Files.exists(home.resolve("dirprm/pumha.prm")), "parameter file kept");
        assertEquals("Deleted REPLICAT REP1.\n", ggsci(cfg, "delete rep1").text());
        try (Connection c = DriverManager.getConnection(url)) {
            assertTrue(new CheckpointTable("GGADMIN.CKPT", home.toString()).read(c, "REP1").isEmpty(), "its checkpoint-table row went too");
        }
        assertTrue(ggsci("delete extract pumha").text().contains("EXTRACT PUMHA does not exist."));
        assertEquals("EXTRACT added.\n", ggsci("add extract pumha, exttrailsource ./dirdat/ex").text(), "the name is free again");
    }
}
