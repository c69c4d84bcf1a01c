package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.ArchiveLogs;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.sim.RedoLogWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ADD EXTRACT ..., TRANLOG on real redo logs written by the simulator's writer (small logs: several switches, the
 * early ones only archived): the recorded begin position is checked by reading the redo there with
 * {@link RedoLogReader} — the record at the position is the first at or after the begin, the one before it is
 * before the begin — and a begin before the oldest log still available is refused naming it.
 */
class AddExtractCommandTest {
    private static final long BASE_MILLIS = LocalDateTime.of(2026, 12, 1, 10, 0).atZone(ZoneId.systemDefault())
            .toInstant().toEpochMilli();

    @TempDir
    Path home;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private Ggsci ggsci;
    private RedoLogConfig cfg;

    @BeforeEach
    void redo() {
        cfg = new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), 1, 2, io.redotrail.redo.RedoFormat.HEADER_SIZE + 4096, "ORCL");
        ggsci = new Ggsci(home, k -> null, new PrintStream(buf, true, StandardCharsets.UTF_8));
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            write(w, 1, 200); // SCNs 1000, 1010, ... one record each, a second apart
        }
    }

    /** Inserts and commits, one record per SCN step of 10 (so SCNs between records exist), timestamps 1 s apart. */
    private static void write(RedoLogWriter w, int fromId, int n) {
        for (int id = fromId; id < fromId + n; id++) {
            long scn = 1000 + (id - 1) * 20L;
            Xid xid = new Xid(1, 1, id);
            RowChange ins = new RowChange("HR.EMP", ChangeOp.INSERT, null, new RowImage(new String[]{"ID"}, new Object[]{(long) id}));
            w.append(RedoOp.INSERT, xid, Scn.of(scn), BASE_MILLIS + (id - 1) * 2000L, true, ins);
            w.append(RedoOp.COMMIT, xid, Scn.of(scn + 10), BASE_MILLIS + (id - 1) * 2000L + 1000, false, null);
        }
        w.flush(true);
    }

    private String run(String line, int expectedRc) throws Exception {
        buf.reset();
        int rc = ggsci.execute(line);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(expectedRc, rc, out);
        return out;
    }

    private RedoReadCheckpoint begin(String group) {
        ProcessCheckpoint cp = new CheckpointFile(CheckpointFile.extractFile(home, group)).read().orElseThrow();
        assertEquals("EXTRACT", cp.processType());
        assertEquals(0, cp.startTimeMillis(), "never started");
        assertTrue(cp.writes().isEmpty());
        assertNull(cp.trailRead());
        assertEquals(1, cp.redoReads().size());
        RedoReadCheckpoint r = cp.redoRead(1);
        assertEquals(r.current(), r.recovery());
        assertEquals(r.current(), r.startup());
        return r;
    }

    /** Every record of thread 1 still available, in order. */
    private List<RedoRecord> all() {
        List<RedoRecord> out = new ArrayList<>();
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            for (List<RedoRecord> b = r.poll(1000); !b.isEmpty(); b = r.poll(1000)) out.addAll(b);
        }
        return out;
    }

    /** The index of the record the position names, read with a reader opened there. */
    private int recordAt(RedoPosition p, List<RedoRecord> all) {
        RedoRecord first;
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, p)) {
            first = r.poll(1).get(0);
        }
        assertEquals(p, first.position(), "the position is the start of a record");
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).position().equals(p)) return i;
        }
        throw new AssertionError("no record at " + p);
    }

    /**
     * ALTER EXTRACT BEGIN / SCN moves a stopped extract's read checkpoints as ADD EXTRACT would place them, keeps
     * its write checkpoints, retires its Bounded Recovery files (the next start recovers from the altered
     * checkpoint) and is refused while it runs or for a pump.
     */
    @Test
    void alterExtractBeginRepositionsLikeAddAndRetiresBoundedRecovery() throws Exception {
        run("add extract E1, tranlog, begin now", 0);
        io.redotrail.checkpoint.WriteCheckpoint w = new io.redotrail.checkpoint.WriteCheckpoint("./dirdat/ex",
                new io.redotrail.core.TrailPosition(3, 777), 1, "EXTTRAIL", Scn.of(2000));
        ProcessCheckpoint ran = new CheckpointFile(CheckpointFile.extractFile(home, "E1")).read().orElseThrow();
        new CheckpointFile(CheckpointFile.extractFile(home, "E1")).write(new ProcessCheckpoint("E1", "EXTRACT", ran.redoReads(), null,
                List.of(w), null, null, null, 5, 6, 'G'));
        Path brFile = home.resolve("BR/E1/CP.E1.000000001");
        java.nio.file.Files.createDirectories(brFile.getParent());
        java.nio.file.Files.writeString(brFile, "a BR checkpoint of the old position");

        String out = run("alter extract E1, scn 2345", 0);
        assertTrue(out.contains("EXTRACT altered.") && out.contains("BOUNDED RECOVERY: reset to altered checkpoint"), out);
        RedoReadCheckpoint r = begin0("E1");
        run("add extract E2, tranlog, scn 2345", 0);
        assertEquals(begin("E2").current(), r.current(), "ALTER places the begin where ADD does");
        assertEquals(List.of(w), new CheckpointFile(CheckpointFile.extractFile(home, "E1")).read().orElseThrow().writes(), "the trail stays");
        assertFalse(java.nio.file.Files.exists(brFile), "the BR checkpoint of the old position is retired");
        assertTrue(run("alter extract E1, begin now", 0).contains("EXTRACT altered."));

        // BR BRDIR of dirprm/e1.prm: the files there are retired, the configuration's directory is not touched
        java.nio.file.Files.createDirectories(home.resolve("dirprm"));
        java.nio.file.Files.writeString(home.resolve("dirprm/e1.prm"), "EXTRACT e1\nEXTTRAIL ./dirdat/ex\nBR BRDIR ./mybr\n");
        Path mine = home.resolve("mybr/E1/CP.E1.000000002");
        java.nio.file.Files.createDirectories(mine.getParent());
        java.nio.file.Files.writeString(mine, "the group's BR checkpoint");
        java.nio.file.Files.writeString(brFile, "not the group's directory any more");
        out = run("alter extract E1, begin now", 0);
        assertTrue(out.contains("BR files in " + home.resolve("mybr/E1") + " retired"), out);
        assertFalse(java.nio.file.Files.exists(mine), "retired in BRDIR ./mybr");
        assertTrue(java.nio.file.Files.exists(brFile), "BR/E1 is not the group's: left alone");
        java.nio.file.Files.writeString(home.resolve("dirprm/e1.prm"), "EXTRACT e1\nBR BRDIR\n");
        assertTrue(run("alter extract E1, begin now", 1).contains("e1.prm line 2"), "a BR statement that cannot be read: refused, naming it");
        java.nio.file.Files.delete(home.resolve("dirprm/e1.prm"));

        io.redotrail.report.GroupLock.acquire(home, "E1");
        try {
            assertTrue(run("alter extract E1, begin now", 1).contains("running"));
        } finally {
            io.redotrail.report.GroupLock.release(home, "E1");
        }
        run("add extract P1, exttrailsource ./dirdat/ex", 0);
        assertTrue(run("alter extract P1, begin now", 1).contains("EXTSEQNO"));
    }

    /**
     * ALTER EXTRACT g, EXTSEQNO n, EXTRBA m on a primary Extract: its read checkpoint moves to the first record at or
     * after that redo position (RBA 0: the log's first record), as GoldenGate's classic Extract takes it; an unknown
     * sequence is refused naming the available ones; the trail stays.
     */
    @Test
    void alterExtractExtSeqnoPositionsAPrimaryExtractInTheRedo() throws Exception {
        List<RedoRecord> all = all();
        run("add extract E1, tranlog, begin now", 0);
        RedoRecord firstOf3 = all.stream().filter(r -> r.position().sequence() == 3).findFirst().orElseThrow();
        String out = run("alter extract E1, extseqno 3, extrba 0", 0);
        assertTrue(out.contains("Read checkpoint thread 1: ") && out.contains(" -> Sequence # 3, RBA " + firstOf3.position().rba()
                + ", SCN " + firstOf3.scn().value()) && out.contains("EXTRACT altered."), out);
        assertEquals(firstOf3.position(), begin0("E1").current().position());
        RedoRecord later = all.stream().filter(r -> r.position().sequence() == 3).skip(3).findFirst().orElseThrow();
        run("alter extract E1, thread 1, extseqno 3, extrba " + (later.position().rba() - 1), 0);
        assertEquals(later.position(), begin0("E1").current().position(), "a position inside a record: the next record");
        assertTrue(run("alter extract E1, extseqno 999, extrba 0", 1).contains("Redo log sequence 999 of thread 1 is unknown"));
        assertTrue(run("alter extract E1, thread 2, extseqno 3, extrba 0", 1).contains("Redo thread 2 is unknown"));
    }

    /** The read checkpoint of an altered extract (its writes may be set). */
    private RedoReadCheckpoint begin0(String group) {
        ProcessCheckpoint cp = new CheckpointFile(CheckpointFile.extractFile(home, group)).read().orElseThrow();
        RedoReadCheckpoint r = cp.redoRead(1);
        assertEquals(r.current(), r.recovery());
        assertEquals(r.current(), r.startup());
        return r;
    }

    @Test
    void scnBeginIsTheFirstRecordAtOrAfterIt() throws Exception {
        List<RedoRecord> all = all();
        assertTrue(all.get(0).position().sequence() < all.get(all.size() - 1).position().sequence() - 3, "several log switches");
        int g = 0;
        // on a record's SCN, between two records, in the first log, in a later log
        for (long scn : new long[]{1000, 1005, 1010, 2345, 3000, 4990}) {
            String name = "E" + (g++);
            assertEquals("EXTRACT added.\n", run("add extract " + name + ", tranlog, scn " + scn, 0));
            RedoReadCheckpoint r = begin(name);
            int i = recordAt(r.current().position(), all);
            assertTrue(all.get(i).scn().value() >= scn, "record at the begin: SCN " + all.get(i).scn().value() + " >= " + scn);
            if (i > 0) assertTrue(all.get(i - 1).scn().value() < scn, "the record before it is before SCN " + scn);
            assertEquals(all.get(i).scn(), r.current().scn());
            assertTrue(io.redotrail.checkpoint.HomePaths.same(home, all.get(i).redoFile(), r.current().redoFile()),
                    r.current().redoFile());
        }
        // BEGIN SCN n is the same start point
        run("ADD EXTRACT EB, TRANLOG, BEGIN SCN 2345", 0);
        assertEquals(begin("E3").current().position(), begin("EB").current().position());
    }

    @Test
    void theRedoConsumerOfTheAddedGroupStartsAtTheBegin() throws Exception {
        List<RedoRecord> all = all();
        run("add extract E1, tranlog, scn 2345", 0);
        List<RedoRecord> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("redo:orcl?home=" + home + "&group=e1&idleDelay=5")
                            .process(e -> got.addAll(e.getIn().getBody(io.redotrail.redo.RedoBatch.class).records()));
                }
            });
            camel.start();
            io.redotrail.testutil.Waits.await(() -> !got.isEmpty() && got.get(got.size() - 1).equals(all.get(all.size() - 1)),
                    "the consumer read to the end");
        }
        int i = 0;
        while (all.get(i).scn().value() < 2345) i++;
        assertEquals(all.subList(i, all.size()), got, "from the first record at or after SCN 2345, nothing before it");
    }

    @Test
    void timestampBeginIsTheFirstRecordAtOrAfterIt() throws Exception {
        List<RedoRecord> all = all();
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());
        long[] times = {BASE_MILLIS + 100_500, BASE_MILLIS + 200_000, BASE_MILLIS + 333_333};
        int g = 0;
        for (long t : times) {
            String name = "T" + (g++);
            run("add extract " + name + ", tranlog, begin " + f.format(java.time.Instant.ofEpochMilli(t)), 0);
            int i = recordAt(begin(name).current().position(), all);
            assertTrue(all.get(i).timestampMillis() >= t);
            assertTrue(all.get(i - 1).timestampMillis() < t);
        }
        // minutes only, as GGSCI takes it: 10:02 = 120 s after the first record
        run("add extract TM, tranlog, begin 2026-12-01 10:02", 0);
        int i = recordAt(begin("TM").current().position(), all);
        assertEquals(BASE_MILLIS + 120_000, all.get(i).timestampMillis());
        assertTrue(run("add extract TX, tranlog, begin 2026-13-01 10:02", 1).contains("Invalid BEGIN timestamp '2026-13-01 10:02'"));
    }

    @Test
    void beginNowIsTheEndOfTheRedoAndCapturesWhatComesAfter() throws Exception {
        run("ADD EXTRACT NOW1, TRANLOG, BEGIN NOW", 0);
        RedoReadCheckpoint r = begin("NOW1");
        List<RedoRecord> before = all();
        assertEquals(before.get(before.size() - 1).next(), r.current().position(), "right after the last record flushed");
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            write(w, 201, 3);
        }
        try (RedoLogReader reader = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, r.current().position())) {
            RedoRecord first = reader.poll(1).get(0);
            assertEquals(201L, first.change().after().get("ID"), "the first record written after BEGIN NOW");
        }
    }

    @Test
    void aBeginBeforeTheOldestAvailableLogIsRefusedNamingIt() throws Exception {
        List<RedoRecord> all = all();
        long third = all.stream().filter(x -> x.position().sequence() == 3).findFirst().orElseThrow().scn().value();
        ArchiveLogs.deleteUpTo(cfg.redoDir(), 1, 2); // sequences 1 and 2 gone
        String out = run("add extract OLD, tranlog, scn 1000", 1);
        assertTrue(out.startsWith("ERROR: BEGIN SCN 1000 is before the oldest redo log available for thread 1: sequence 3 ("), out);
        assertTrue(out.contains("arch"), out);
        assertFalse(new CheckpointFile(CheckpointFile.extractFile(home, "OLD")).exists(), "nothing defined");
        assertTrue(run("add extract OLDT, tranlog, begin 2026-12-01 10:00", 1).contains("before the oldest redo log available"));
        run("add extract OK3, tranlog, scn " + third, 0);
        assertEquals(3, begin("OK3").current().position().sequence());
    }

    /**
     * A two-thread source: THREADS below the source's count is refused at ADD (the thread left out would be read
     * from its oldest log, before BEGIN); a checkpoint lacking a thread is refused at start naming it, and ALTER
     * EXTRACT ..., BEGIN gives every thread a start point.
     */
    @Test
    void everyRedoThreadGetsAStartPoint() throws Exception {
        try (RedoLogWriter w = RedoLogWriter.open(new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), 2, 2,
                io.redotrail.redo.RedoFormat.HEADER_SIZE + 4096, "ORCL"))) {
            write(w, 1000, 50);
        }
        assertEquals("ERROR: THREADS 1: the source has 2 redo threads (redo/control), and the Extract reads every one; give"
                + " THREADS 2 or leave THREADS out\n", run("add extract E9, tranlog, begin now, threads 1", 1));
        assertFalse(new CheckpointFile(CheckpointFile.extractFile(home, "E9")).exists(), "nothing defined");
        run("add extract E9, tranlog, begin now", 0);
        assertEquals(2, new CheckpointFile(CheckpointFile.extractFile(home, "E9")).read().orElseThrow().redoReads().size());

        // a checkpoint of thread 1 only, as ADD EXTRACT ..., THREADS 1 wrote it before: the consumer refuses to guess
        ProcessCheckpoint both = new CheckpointFile(CheckpointFile.extractFile(home, "E9")).read().orElseThrow();
        new CheckpointFile(CheckpointFile.extractFile(home, "E9")).write(new ProcessCheckpoint("E9", "EXTRACT",
                List.of(both.redoReads().get(0)), null, List.of(), null, null, null, 0, both.lastUpdateMillis(), 'G'));
        Throwable refused = startE9(r -> { });
        assertEquals("Extract E9 has read checkpoints for redo thread(s) [1] but none for thread 2 of the 2 it reads"
                + " (redotrail.redo.threads); position every thread with ALTER EXTRACT E9, BEGIN NOW | BEGIN time | SCN n,"
                + " or give this one a start with ALTER EXTRACT E9, THREAD 2, EXTSEQNO n, EXTRBA m", refused.getMessage());
        String added = run("alter extract E9, thread 2, extseqno 1, extrba 0", 0);
        assertTrue(added.contains("Read checkpoint thread 2: none -> Sequence # 1, RBA "), added);
        assertEquals(List.of(1, 2), new CheckpointFile(CheckpointFile.extractFile(home, "E9")).read().orElseThrow().redoReads()
                .stream().map(RedoReadCheckpoint::thread).toList());

        // a group that ran and never read a record of thread 2 (idle): thread 2 is read from its oldest log
        new CheckpointFile(CheckpointFile.extractFile(home, "E9")).write(new ProcessCheckpoint("E9", "EXTRACT",
                List.of(both.redoReads().get(0)), null, List.of(), null, null, null, 5, both.lastUpdateMillis(), 'G'));
        List<RedoRecord> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertEquals(null, startE9(got::add), "no abend");
        assertTrue(got.stream().anyMatch(r -> r.position().thread() == 2), "thread 2 read");

        String altered = run("alter extract E9, begin now", 0);
        assertTrue(altered.contains("Read checkpoint thread 2: "), altered);
        assertEquals(2, new CheckpointFile(CheckpointFile.extractFile(home, "E9")).read().orElseThrow().redoReads().size());
    }

    /** Runs group E9's redo consumer (threads=2) until it abends (returned, root cause) or has delivered a record of thread 2. */
    private Throwable startE9(java.util.function.Consumer<RedoRecord> records) throws Exception {
        java.util.Map<String, Throwable> abends = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean thread2 = new java.util.concurrent.atomic.AtomicBoolean();
        try (org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            io.redotrail.report.GroupRuntimes.of(camel).onAbend(abends::put);
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("redo:orcl?home=" + home + "&group=e9&threads=2&idleDelay=5").process(e -> {
                        for (RedoRecord r : e.getIn().getBody(io.redotrail.redo.RedoBatch.class).records()) {
                            records.accept(r);
                            if (r.position().thread() == 2) thread2.set(true);
                        }
                    });
                }
            });
            camel.start();
            io.redotrail.testutil.Waits.await(() -> !abends.isEmpty() || thread2.get(), "E9 to abend or read thread 2");
        }
        if (abends.isEmpty()) return null;
        Throwable root = abends.get("E9");
        while (root.getCause() != null) root = root.getCause();
        return root;
    }

    @Test
    void refusalsNameTheRule() throws Exception {
        assertTrue(run("add extract TOOLONGNAME, tranlog, begin now", 1).contains("1 to 8 characters"));
        assertTrue(run("add extract BAD-1, tranlog, begin now", 1).contains("letters, digits or underscore"));
        assertTrue(run("add extract MGR, tranlog, begin now", 1).contains("names the Manager"));
        assertTrue(run("add extract E1, tranlog", 1).contains("needs a start point"));
        assertTrue(run("add extract E1, tranlog, scn 99999999", 1).contains("No redo record at or after SCN 99999999"));
        run("add extract E1, tranlog, begin now", 0);
        assertEquals("ERROR: EXTRACT E1 already exists.\n", run("ADD EXTRACT e1, TRANLOG, BEGIN NOW", 1));
        assertTrue(run("add extract E2, tranlog, begin now, threads 2", 1).contains("Redo thread 2 is unknown"));
    }

    /**
     * DELETE EXTRACT takes the group's Bounded Recovery files and SKIPTRANS/FORCETRANS list with it: a group ADDed again
     * under the name starts where its ADD says, with nothing of the earlier one.
     */
    @Test
    void deleteExtractRetiresItsBrFilesAndIgnoredTransactions() throws Exception {
        run("ADD EXTRACT EXT1, TRANLOG, BEGIN NOW", 0);
        java.nio.file.Path br = home.resolve("BR/EXT1");
        io.redotrail.checkpoint.CheckpointPoint p = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow()
                .redoRead(1).current();
        new io.redotrail.extract.br.BrStore(br, "EXT1", false).checkpoint(1L, Scn.of(1), p, java.util.Map.of(1, p), java.util.Map.of(1, p), List.of());
        java.nio.file.Path ignore = io.redotrail.extract.ExtractControl.ignoreFile(home, "EXT1");
        java.nio.file.Files.writeString(ignore, "xid.0=1.2.3\n");
        assertTrue(new io.redotrail.extract.br.BrStore(br, "EXT1", false).hasCheckpoint());
        assertEquals("Deleted EXTRACT EXT1.\n", run("DELETE EXTRACT EXT1", 0));
        assertFalse(new io.redotrail.extract.br.BrStore(br, "EXT1", false).hasCheckpoint(), "BR files retired");
        assertFalse(java.nio.file.Files.exists(ignore), "SKIPTRANS/FORCETRANS list gone");
    }
}
