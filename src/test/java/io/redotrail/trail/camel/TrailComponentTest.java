package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailTestData;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrailComponentTest {
    @TempDir
    Path home;

    private final List<Transaction> applied = Collections.synchronizedList(new ArrayList<>());
    private volatile TrailReadCheckpoint lastApplied;

    private CamelContext context(RouteBuilder routes) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.addRoutes(routes);
        ctx.start();
        return ctx;
    }

    private static List<RedoReadCheckpoint> redoCheckpoint(long n) {
        CheckpointPoint p = new CheckpointPoint(new RedoPosition(1, 7, 512 * n), Scn.of(1000 + n), 1_700_000_000_000L + n,
                "/redo/redo01.log");
        return List.of(new RedoReadCheckpoint(1, p, p, p));
    }

    private void send(CamelContext ctx, List<Transaction> batch) {
        ProducerTemplate pt = ctx.createProducerTemplate();
        long last = batch.get(batch.size() - 1).csn().value() - 1000;
        Exchange ex = pt.request("direct:extract", e -> {
            e.getIn().setBody(batch);
            e.getIn().setHeader(TrailConstants.READ_CHECKPOINT, redoCheckpoint(last));
        });
        if (ex.getException() != null) throw new AssertionError(ex.getException());
    }

    private void awaitApplied(CamelContext ctx, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15000;
        while (applied.size() < n && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertEquals(n, applied.size(), "applied transactions " + GroupRuntimes.of(ctx).abends());
    }

    private RouteBuilder extractPumpReplicat() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:extract").to("trail:dirdat/ex?group=EXT1&maxFileBytes=4096&checkpointSecs=0");
                from("trail:dirdat/ex?group=PMP1&role=EXTRACT&idleDelay=5&maxBatchOps=7")
                        .to("trail:dirdat/ha?group=PMP1&trailType=RMTTRAIL&checkpointSecs=0&maxFileBytes=8192");
                from("trail:dirdat/ha?group=REP1&idleDelay=5").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> b = e.getIn().getBody(List.class);
                    applied.addAll(b);
                    lastApplied = e.getIn().getHeader(TrailConstants.READ_CHECKPOINT, TrailReadCheckpoint.class);
                });
            }
        };
    }

    @Test
    void transactionsFlowInOrderAndCheckpointsRecordPositions() throws Exception {
        List<Transaction> all = txs(1, 101, 2);
        CamelContext ctx = context(extractPumpReplicat());
        try {
            for (int i = 0; i < 100; i += 10) send(ctx, all.subList(i, i + 10));
            awaitApplied(ctx, 100);
            for (int i = 0; i < 100; i++) TrailTestData.assertSameTx(all.get(i), applied.get(i));
            assertEquals(applied.get(99).trailEnd(), lastApplied.current());
            assertTrue(applied.get(99).trailEnd().seqno() > 0, "pump trail rolled over? " + applied.get(99).trailEnd());

            ProcessCheckpoint ext = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow();
            assertEquals('A', ext.stopStatus());
            assertEquals("dirdat/ex", ext.write(0).trail());
            assertEquals(Scn.of(1100), ext.write(0).lastCsn());
            assertEquals("EXTTRAIL", ext.write(0).trailType());
            assertTrue(ext.write(0).position().seqno() > 2, "extract trail rolled over at 4096 bytes");
            assertEquals(512 * 100, ext.redoRead(1).current().position().rba());
            assertEquals(512 * 10, ext.redoRead(1).startup().position().rba(), "startup kept from the first checkpoint");
        } finally {
            ctx.stop();
        }
        ProcessCheckpoint ext = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow();
        assertEquals('G', ext.stopStatus());
        try (TrailReader r = new TrailReader(home.resolve("dirdat/ex"), TrailPosition.START)) {
            List<Transaction> got = new ArrayList<>();
            List<Transaction> b;
            while (!(b = r.poll(1000)).isEmpty()) got.addAll(b);
            assertEquals(ext.write(0).position(), got.get(got.size() - 1).trailEnd());
        }
        ProcessCheckpoint pump = new CheckpointFile(CheckpointFile.extractFile(home, "PMP1")).read().orElseThrow();
        assertEquals("RMTTRAIL", pump.write(0).trailType());
        assertEquals("dirdat/ex", pump.trailRead().trail());
        assertEquals(new TrailPosition(0, 0), pump.trailRead().startup());
        assertEquals(Scn.of(1100), pump.write(0).lastCsn());
    }

    @Test
    void restartSkipsWhatIsAlreadyInTheTrailAndResumesFromCheckpoints() throws Exception {
        CamelContext ctx = context(extractPumpReplicat());
        try {
            send(ctx, txs(1, 11, 3));
            awaitApplied(ctx, 10);
        } finally {
            ctx.stop();
        }
        applied.clear();
        ctx = context(extractPumpReplicat());
        try {
            // the extract restarts from an older read checkpoint and re-sends 5..10 before new work
            ProducerTemplate pt = ctx.createProducerTemplate();
            Exchange ex = pt.request("direct:extract", e -> {
                e.getIn().setBody(txs(5, 16, 3));
                e.getIn().setHeader(TrailConstants.READ_CHECKPOINT, redoCheckpoint(15));
            });
            assertEquals(5L * 3, ex.getMessage().getHeader(TrailConstants.ROW_COUNT));
            // the pump resumes from its .cpe: only 11..15 reach the remote trail; the replicat (role=REPLICAT, no
            // positionStore) resumes from its own dirchk/REP1.cpr, so it sees 11..15 and nothing again
            awaitApplied(ctx, 5);
        } finally {
            ctx.stop();
        }
        // a re-delivery would have come first (the stream is in trail order)
        assertEquals(5, applied.size());
        for (int i = 0; i < 5; i++) assertEquals(Scn.of(1011 + i), applied.get(i).csn());
        ProcessCheckpoint rep = new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).read().orElseThrow();
        assertEquals('G', rep.stopStatus());
        assertEquals(applied.get(4).trailEnd(), rep.trailRead().current());
    }

    @Test
    void positionStoreBeanWinsAndRouteFailureAbends() throws Exception {
        CamelContext seed = context(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:extract").to("trail:dirdat/ex?group=EXT1");
            }
        });
        List<Transaction> five = new ArrayList<>();
        try {
            send(seed, txs(1, 6, 1));
        } finally {
            seed.stop();
        }
        try (TrailReader r = new TrailReader(home.resolve("dirdat/ex"), TrailPosition.START)) {
            while (five.size() < 5) five.addAll(r.poll(100));
        }
        CamelContext ctx = new DefaultCamelContext();
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.getRegistry().bind("store", (io.redotrail.trail.ReadPositionStore) () -> Optional.of(five.get(2).trailEnd()));
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/ex?group=REP9&positionStore=#store&idleDelay=5").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> b = e.getIn().getBody(List.class);
                    applied.addAll(b);
                    if (applied.size() >= 2) throw new IllegalStateException("target database gone");
                });
            }
        });
        ctx.start();
        try {
            long deadline = System.currentTimeMillis() + 10000;
            while (!GroupRuntimes.of(ctx).abends().containsKey("REP9") && System.currentTimeMillis() < deadline) Thread.sleep(10);
            Map<String, Throwable> abends = GroupRuntimes.of(ctx).abends();
            assertNotNull(abends.get("REP9"));
            assertEquals(2, applied.size());
            assertEquals(Scn.of(1004), applied.get(0).csn());
        } finally {
            ctx.stop();
        }
    }

    @Test
    void encryptedTrailThroughEndpointOptionsWithAKeyFileOfItsOwn() throws Exception {
        io.redotrail.trail.crypto.TrailKeys.generate(home.resolve("keys/K"), "k", 128, new java.security.SecureRandom());
        CamelContext ctx = context(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:extract").to("trail:dirdat/ex?group=EXT1&checkpointSecs=0&encrypt=aes128&keyName=K&keyFile=keys/K");
                from("trail:dirdat/ex?group=REP1&idleDelay=5&keyFile=keys/K").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> b = e.getIn().getBody(List.class);
                    applied.addAll(b);
                });
            }
        });
        try {
            List<Transaction> txs = io.redotrail.trail.TrailTestData.txs(1, 4, 3);
            send(ctx, txs);
            awaitApplied(ctx, 3);
            for (int i = 0; i < 3; i++) io.redotrail.trail.TrailTestData.assertSameTx(txs.get(i), applied.get(i));
            String raw = new String(java.nio.file.Files.readAllBytes(home.resolve("dirdat/ex000000000")), java.nio.charset.StandardCharsets.ISO_8859_1);
            org.junit.jupiter.api.Assertions.assertFalse(raw.contains("row 0 of 1"), "plaintext in the encrypted trail");
        } finally {
            ctx.close();
        }
        CamelContext bad = new DefaultCamelContext();
        bad.getComponent("trail", TrailComponent.class).setHome(home.toString());
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> bad.getEndpoint("trail:dirdat/ex?group=EXT1&encrypt=AES999"));
        String chain = e.toString() + (e.getCause() == null ? "" : " " + e.getCause());
        org.junit.jupiter.api.Assertions.assertTrue(chain.contains("encrypt") && chain.contains("AES999"), chain);
    }
}
