package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointLag;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.ReportFile;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.redotrail.testutil.Waits.await;
import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pump (trail consumer role=EXTRACT → trail producer) on real files and the real clock: seed 000's missing start
 * file (waits, says so once, flows after the checkpoint is moved as ALTER EXTSEQNO does), and the lag its
 * checkpoint records: positive for a backlog, zero and "At EOF" once idle and caught up.
 */
class PumpWaitAndLagTest {
    @TempDir
    Path home;
    private final Map<String, Throwable> abends = new ConcurrentHashMap<>();

    private CamelContext pump() throws Exception {
        return pump(1);
    }

    private CamelContext pump(int checkpointSecs) throws Exception {
        return pump(checkpointSecs, "");
    }

    private CamelContext pump(int checkpointSecs, String readOptions) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx).onAbend(abends::put);
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/ex?group=PUMHA&role=EXTRACT&idleDelay=5&maxBatchOps=3" + readOptions).routeId("pump")
                        .to("trail:dirdat/ha?group=PUMHA&checkpointSecs=" + checkpointSecs + "&trailType=RMTTRAIL");
            }
        });
        ctx.start();
        return ctx;
    }

    private ProcessCheckpoint checkpoint() {
        return new CheckpointFile(CheckpointFile.extractFile(home, "PUMHA")).read().orElseThrow();
    }

    /** As ADD EXTRACT p, EXTTRAILSOURCE ./dirdat/ex writes it (seqno 0 RBA 0), or as ALTER moves it. */
    private void readCheckpointAt(long seqno) {
        TrailReadCheckpoint read = new TrailReadCheckpoint("./dirdat/ex", new TrailPosition(0, 0), 0,
                new TrailPosition(seqno, 0), 0);
        new CheckpointFile(CheckpointFile.extractFile(home, "PUMHA")).write(new ProcessCheckpoint("PUMHA", "EXTRACT",
                List.of(), read, List.of(), null, null, null, 0, System.currentTimeMillis(), 'G'));
    }

    private List<Transaction> readAll(String prefix) {
        try (TrailReader r = new TrailReader(home.resolve("dirdat").resolve(prefix), new TrailPosition(
                TrailFormat.seqnos(home.resolve("dirdat").resolve(prefix))[0], 0))) {
            List<Transaction> out = new ArrayList<>();
            for (List<Transaction> b = r.poll(1000); !b.isEmpty(); b = r.poll(1000)) out.addAll(b);
            return out;
        }
    }

    @Test
    void missingStartFileIsWaitedForAndNamedThenFlowsAfterReposition() throws Exception {
        List<Transaction> all = txs(1, 120, 3);
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ex"), "EXTA", 4096)) {
            w.append(all);
        }
        long[] seqnos = TrailFormat.seqnos(home.resolve("dirdat/ex"));
        assertTrue(seqnos.length >= 4, "need several ex files, got " + seqnos.length);
        Files.delete(TrailFormat.fileOf(home.resolve("dirdat/ex"), 0));
        Files.delete(TrailFormat.fileOf(home.resolve("dirdat/ex"), 1));
        List<Transaction> kept = readAll("ex");
        readCheckpointAt(0);

        CamelContext ctx = pump();
        ReportFile rpt = ReportFile.open(home, "PUMHA");
        String alter = "ALTER EXTRACT PUMHA, EXTSEQNO 2, EXTRBA 0";
        try {
            await(() -> rpt.lines().stream().anyMatch(l -> l.contains(alter)), "the report to name " + alter);
            // several checkpoint intervals later: still waiting, said once, nothing skipped, at seqno 0
            long first = checkpoint().lastUpdateMillis();
            await(() -> checkpoint().lastUpdateMillis() >= first + 2000, "two more checkpoints of PUMHA while waiting");
            assertEquals(1, rpt.lines().stream().filter(l -> l.contains("RTR-01003")).count(), rpt.lines().toString());
            assertTrue(rpt.lines().stream().anyMatch(l -> l.contains("WARNING RTR-01003  Waiting for trail file ./dirdat/ex000000000 "
                    + "(read checkpoint Sequence # 0), which does not exist; the first existing file of trail ./dirdat/ex is "
                    + "Sequence # 2 (./dirdat/ex000000002).")), rpt.lines().toString());
            assertTrue(rpt.lines().stream().anyMatch(l -> l.contains("OGG-01052  No recovery is required for target file "
                    + "./dirdat/ha000000000, at RBA 0 (file not opened).")), rpt.lines().toString());
            assertEquals(new TrailPosition(0, 0), checkpoint().trailRead().current());
            assertTrue(readAll("ha").isEmpty(), "nothing may reach ha while the pump waits");
            String waiting = GroupRuntimes.of(ctx).find("PUMHA").orElseThrow().waiting();
            assertTrue(waiting != null && waiting.endsWith(alter), waiting);
        } finally {
            ctx.stop();
        }
        assertTrue(abends.isEmpty(), "abends: " + abends);

        readCheckpointAt(2); // what ALTER EXTRACT PUMHA, EXTSEQNO 2, EXTRBA 0 writes
        CamelContext again = pump();
        try {
            await(() -> readAll("ha").size() == kept.size(), "the pump to copy files 2.. to ha");
            assertEquals(kept.stream().map(Transaction::xid).toList(), readAll("ha").stream().map(Transaction::xid).toList());
            assertEquals(null, GroupRuntimes.of(again).find("PUMHA").orElseThrow().waiting());
        } finally {
            again.stop();
        }
        assertTrue(abends.isEmpty(), "abends: " + abends);
    }

    /**
     * A pump with no read checkpoint at all (its .cpe deleted, as docs/recovery.md says for a damaged one) reads from
     * the oldest file of its trail; when files before it are gone, the report says so and names them (RTR-01008).
     */
    @Test
    void withoutACheckpointTheOldestFileIsReadAndMissingEarlierFilesAreNamed() throws Exception {
        List<Transaction> all = txs(1, 120, 3);
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ex"), "EXTA", 4096)) {
            w.append(all);
        }
        Files.delete(TrailFormat.fileOf(home.resolve("dirdat/ex"), 0));
        Files.delete(TrailFormat.fileOf(home.resolve("dirdat/ex"), 1));
        List<Transaction> kept = readAll("ex");
        CamelContext ctx = pump();
        ReportFile rpt = ReportFile.open(home, "PUMHA");
        try {
            await(() -> readAll("ha").size() == kept.size(), "the pump to copy files 2.. to ha");
            assertEquals(1, rpt.lines().stream().filter(l -> l.contains("RTR-01008")).count(), rpt.lines().toString());
            assertTrue(rpt.lines().stream().anyMatch(l -> l.contains("WARNING RTR-01008  EXTRACT PUMHA has no read checkpoint: "
                    + "reading trail ./dirdat/ex from its oldest file, Sequence # 2 (./dirdat/ex000000002); Sequence # 0 to 1 are "
                    + "not there (purged?) and what they held is not read by this group.")), rpt.lines().toString());
        } finally {
            ctx.stop();
        }
        assertTrue(abends.isEmpty(), "abends: " + abends);
    }

    /** A pump started before its trail has a file says what it waits for (a misspelt trail would look idle), then flows. */
    @Test
    void aTrailWithoutFilesIsWaitedForAndNamed() throws Exception {
        readCheckpointAt(0);
        CamelContext ctx = pump();
        ReportFile rpt = ReportFile.open(home, "PUMHA");
        try {
            await(() -> rpt.lines().stream().anyMatch(l -> l.contains("RTR-01005")), "the report to name the trail waited for");
            String waiting = GroupRuntimes.of(ctx).find("PUMHA").orElseThrow().waiting();
            assertEquals("Waiting for trail file ./dirdat/ex000000000: trail ./dirdat/ex has no file yet (its writer has not"
                    + " started, or the trail name differs from the one it writes)", waiting);
            try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ex"), "EXTA", 1 << 20)) {
                w.append(txs(1, 4, 1));
            }
            await(() -> readAll("ha").size() == 3, "the pump to copy the three transactions");
            await(() -> GroupRuntimes.of(ctx).find("PUMHA").orElseThrow().waiting() == null, "the wait to end");
            assertEquals(1, rpt.lines().stream().filter(l -> l.contains("RTR-01005")).count(), rpt.lines().toString());
        } finally {
            ctx.stop();
        }
        assertTrue(abends.isEmpty(), "abends: " + abends);
    }

    /** A damaged length field in the newest file's last record: the pump copies what is before it, waits and says where. */
    @Test
    void incompleteLastRecordIsWaitedAtAndReported() throws Exception {
        List<Transaction> all = txs(1, 6, 2);
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ex"), "EXTA", 1 << 20)) {
            w.append(all);
        }
        List<Transaction> read = readAll("ex");
        Path file = TrailFormat.fileOf(home.resolve("dirdat/ex"), 0);
        long rba = read.get(4).trailStart().rba();
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer.wrap(bytes, (int) rba, 4).putInt(1 << 20);
        Files.write(file, bytes);
        readCheckpointAt(0);

        CamelContext ctx = pump(1, "&incompleteTailSecs=1");
        ReportFile rpt = ReportFile.open(home, "PUMHA");
        try {
            await(() -> rpt.lines().stream().anyMatch(l -> l.contains("RTR-01004")), "the report to say where reading waits");
            String line = rpt.lines().stream().filter(l -> l.contains("RTR-01004")).findFirst().orElseThrow();
            assertTrue(line.contains("WARNING RTR-01004  Waiting: trail file ./dirdat/ex000000000 (Sequence # 0) ends inside the"
                    + " record at RBA " + rba + ": its length field gives " + ((1 << 20) + TrailFormat.FRAME) + " bytes, "
                    + (bytes.length - rba) + " bytes are present, and the file has not grown for "), line);
            assertTrue(line.contains("Nothing after it is read or skipped."), line);
            String waiting = GroupRuntimes.of(ctx).find("PUMHA").orElseThrow().waiting();
            assertTrue(waiting != null && waiting.contains("RBA " + rba), waiting);
            await(() -> readAll("ha").size() == 4, "the four transactions before it in ha");
            assertEquals(read.subList(0, 4).stream().map(Transaction::xid).toList(),
                    readAll("ha").stream().map(Transaction::xid).toList());
            Thread.sleep(1500);
            assertEquals(1, rpt.lines().stream().filter(l -> l.contains("RTR-01004")).count(), "said once: " + rpt.lines());
        } finally {
            ctx.stop();
        }
        assertTrue(abends.isEmpty(), "abends: " + abends);
    }

    @Test
    void backlogShowsPositiveLag() throws Exception {
        writeOldTransactions();
        // checkpoints 60 s apart: the first one, written at the first batch with more waiting, stays to be read
        CamelContext ctx = pump(60);
        try {
            await(() -> new CheckpointFile(CheckpointFile.extractFile(home, "PUMHA")).exists(), "the first checkpoint");
            ProcessCheckpoint first = checkpoint();
            assertFalse(first.atEof(), "a backlog is not At EOF");
            assertTrue(CheckpointLag.lagMillis(first) >= 3000, "backlog lag " + CheckpointLag.lagMillis(first));
        } finally {
            ctx.stop();
        }
        assertTrue(abends.isEmpty(), "abends: " + abends);
    }

    /** 30 one-row transactions committed 3 seconds ago: a pump reading 3 row changes per batch has a backlog. */
    private List<Transaction> writeOldTransactions() {
        List<Transaction> old = new ArrayList<>();
        long commit = System.currentTimeMillis() - 3000;
        for (Transaction t : txs(1, 30, 1)) {
            old.add(new Transaction(t.xid(), t.csn(), commit, t.thread(), t.changes(), t.startPosition()));
        }
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ex"), "EXTA", 1 << 20)) {
            w.append(old);
        }
        return old;
    }

    @Test
    void idleAndCaughtUpShowsZeroLagAndAtEof() throws Exception {
        List<Transaction> old = writeOldTransactions();
        CamelContext ctx = pump();
        try {
            await(() -> readAll("ha").size() == old.size(), "the pump to catch up");
            // idle and caught up for several checkpoint intervals (1 s): lag 0, At EOF, checkpoints keep coming
            long caughtUp = System.currentTimeMillis();
            await(() -> checkpoint().lastUpdateMillis() >= caughtUp + 3000, "three more idle checkpoints");
            ProcessCheckpoint idle = checkpoint();
            assertTrue(idle.atEof(), "idle checkpoint says At EOF");
            assertEquals(0, CheckpointLag.lagMillis(idle));
            assertTrue(idle.lagMillis() == 0, "recorded lag at EOF: " + idle.lagMillis());
            // Time Since Chkpt stays small: the idle checkpoint is written again, not left to age (how often is the
            // checkpoint interval's business, not a wall-clock bound this test could race against)
            await(() -> checkpoint().lastUpdateMillis() > idle.lastUpdateMillis(), "a further idle checkpoint after "
                    + idle.lastUpdateMillis());
            ProcessCheckpoint next = checkpoint();
            assertTrue(next.atEof() && CheckpointLag.lagMillis(next) == 0 && next.lagMillis() == 0, "the next idle checkpoint: "
                    + next.atEof() + ", lag " + next.lagMillis());
            var rt = GroupRuntimes.of(ctx).find("PUMHA").orElseThrow();
            assertTrue(rt.stats().lastRecordLagMillis() >= 3000, "LAG keeps the last record's lag: " + rt.stats().lastRecordLagMillis());
            assertTrue(rt.stats().isAtEof());
        } finally {
            ctx.stop();
        }
        assertFalse(checkpoint().lagMillis() < 0, "the stop checkpoint records the lag too");
        assertTrue(abends.isEmpty(), "abends: " + abends);
    }
}
