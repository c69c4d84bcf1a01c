package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.trail.TrailReader;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extract's trail producer with {@code overlapForce}: the fsync runs on {@code TrailForce[GROUP]} while the route
 * goes on; the checkpoint follows the confirmation of what was fsynced and is never ahead of it, and the stop
 * waits for the force in flight before its last checkpoint.
 */
class OverlappedForceProducerTest {
    @TempDir
    Path home;

    private static List<RedoReadCheckpoint> redoCheckpoint(long n) {
        CheckpointPoint p = new CheckpointPoint(new RedoPosition(1, 7, 512 * n), Scn.of(1000 + n), 1_700_000_000_000L + n,
                "/redo/redo01.log");
        return List.of(new RedoReadCheckpoint(1, p, p, p));
    }

    @Test
    void theCheckpointFollowsTheConfirmedFsyncAndTheStopWaitsForTheLastOne() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:extract").to("trail:dirdat/ex?group=EXT1&maxFileBytes=4096&checkpointSecs=0&overlapForce=true");
            }
        });
        ctx.start();
        CheckpointFile cpe = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1"));
        GroupRuntime group = GroupRuntimes.of(ctx, home, "EXT1");
        List<Transaction> all = txs(1, 201, 2);
        try {
            ProducerTemplate pt = ctx.createProducerTemplate();
            boolean forceThread = false;
            for (int i = 0; i < 200; i += 10) {
                List<Transaction> batch = all.subList(i, i + 10);
                long n = i + 10;
                Exchange ex = pt.request("direct:extract", e -> {
                    e.getIn().setBody(batch);
                    e.getIn().setHeader(TrailConstants.READ_CHECKPOINT, redoCheckpoint(n));
                });
                if (ex.getException() != null) throw new AssertionError(ex.getException());
                // read in this order: the checkpoint is written after the confirmation it follows
                Optional<ProcessCheckpoint> cp = cpe.read();
                long confirmed = group.trailState().confirmedCsn();
                if (cp.isPresent()) {
                    long cpCsn = cp.get().write(0).lastCsn().value();
                    assertTrue(cpCsn <= confirmed, "checkpoint at CSN " + cpCsn + " ahead of the confirmed fsync " + confirmed);
                    long cpRead = cp.get().redoRead(1).current().position().rba();
                    assertTrue(cpRead <= 512 * (confirmed - 1000), "read checkpoint past what the trail confirmed");
                }
                forceThread |= Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().contains("TrailForce[EXT1]"));
            }
            assertTrue(forceThread, "the fsync ran on the group's force thread");
        } finally {
            ctx.stop();
        }
        ProcessCheckpoint last = cpe.read().orElseThrow();
        assertEquals('G', last.stopStatus());
        assertEquals(Scn.of(1200), last.write(0).lastCsn(), "the stop waited for the last fsync and checkpointed it");
        assertEquals(512 * 200, last.redoRead(1).current().position().rba());
        try (TrailReader r = new TrailReader(home.resolve("dirdat/ex"), TrailPosition.START)) {
            List<Transaction> got = new ArrayList<>();
            List<Transaction> b;
            while (!(b = r.poll(1000)).isEmpty()) got.addAll(b);
            assertEquals(200, got.size());
            assertEquals(last.write(0).position(), got.get(got.size() - 1).trailEnd());
        }
    }
}
