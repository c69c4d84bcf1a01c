package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailWriter;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static io.redotrail.testutil.Waits.await;
import static io.redotrail.testutil.Waits.join;
import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * role=REPLICAT without positionStore: a route that reads a trail (a custom sink) keeps its own read checkpoint in
 * dirchk/GROUP.cpr, after each exchange it completed, and restarts from it; a failed exchange is not checkpointed.
 */
class TrailConsumerCheckpointTest {
    @TempDir
    Path home;
    private TrailWriter writer;
    private final List<Transaction> received = new CopyOnWriteArrayList<>();
    private volatile TrailPosition readUpTo;

    /** Abends of the groups in the contexts this test started (each context keeps its own). */
    private final java.util.Map<String, Throwable> abends = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void openWriter() {
        writer = TrailWriter.open(home.resolve("dirdat/ex"), "EXT1", 4096);
    }

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    private CamelContext start(RouteBuilder routes) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx).onAbend(abends::put);
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.addRoutes(routes);
        ctx.start();
        return ctx;
    }

    /** The sink: records every transaction and how far the consumer has read. */
    private RouteBuilder sink(String group, long failOnCsn) {
        return sink(group, failOnCsn, "");
    }

    /** The sink, with further endpoint options ({@code &key=value...}). */
    private RouteBuilder sink(String group, long failOnCsn, String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/ex?group=" + group + "&idleDelay=2&maxBatchOps=1" + options).routeId("sink").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> body = e.getIn().getBody(List.class);
                    received.addAll(body);
                    for (Transaction t : body) {
                        if (t.csn().value() == failOnCsn) throw new IllegalStateException("sink file system full");
                    }
                    readUpTo = e.getIn().getHeader(TrailConstants.READ_CHECKPOINT, TrailReadCheckpoint.class).current();
                });
            }
        };
    }

    private void awaitCaughtUp() throws InterruptedException {
        TrailPosition end = writer.position();
        await(() -> end.equals(readUpTo), "the sink to reach " + end + " " + abends);
    }

    private ProcessCheckpoint cpr(String group) {
        return new CheckpointFile(CheckpointFile.replicatFile(home, group)).read().orElseThrow();
    }

    private static List<Long> csns(List<Transaction> l) {
        return l.stream().map(t -> t.csn().value()).toList();
    }

    @Test
    void aSinkRouteResumesAfterWhatItCompleted() throws Exception {
        writer.append(txs(1, 6, 2));
        CamelContext first = start(sink("SINK1", -1));
        try {
            awaitCaughtUp();
        } finally {
            first.stop();
        }
        assertEquals(List.of(1001L, 1002L, 1003L, 1004L, 1005L), csns(received));
        ProcessCheckpoint stopped = cpr("SINK1");
        assertEquals('G', stopped.stopStatus());
        assertEquals("REPLICAT", stopped.processType());
        assertEquals(writer.position(), stopped.trailRead().current());

        writer.append(txs(6, 9, 2));
        received.clear();
        CamelContext second = start(sink("sink1", -1));
        try {
            awaitCaughtUp();
        } finally {
            second.stop();
        }
        // in trail order: anything delivered again would come before 1006
        assertEquals(List.of(1006L, 1007L, 1008L), csns(received));
        assertEquals(writer.position(), cpr("SINK1").trailRead().current());
        assertTrue(abends.isEmpty(), abends.toString());
    }

    @Test
    void withoutReadAheadTheRouteThreadReadsBetweenExchanges() throws Exception {
        writer.append(txs(1, 6, 2));
        CamelContext first = start(sink("SINK6", 1004, "&readAheadMegabytes=0"));
        try {
            await(() -> abends.containsKey("SINK6"), "the abend of SINK6");
        } finally {
            first.stop();
        }
        assertEquals(List.of(1001L, 1002L, 1003L, 1004L), csns(received), "nothing is read after the failure");
        assertEquals(received.get(2).trailEnd(), cpr("SINK6").trailRead().current(), "checkpoint after 1003 only");

        abends.clear();
        received.clear();
        CamelContext second = start(sink("SINK6", -1, "&readAheadMegabytes=0"));
        try {
            awaitCaughtUp();
        } finally {
            second.stop();
        }
        assertEquals(List.of(1004L, 1005L), csns(received));
        assertEquals(writer.position(), cpr("SINK6").trailRead().current());
    }

    @Test
    void aFailedExchangeIsNotCheckpointedAndComesAgainAfterRestart() throws Exception {
        writer.append(txs(1, 6, 2));
        CamelContext first = start(sink("SINK2", 1003));
        try {
            await(() -> abends.containsKey("SINK2"), "the abend of SINK2");
        } finally {
            first.stop();
        }
        assertEquals(List.of(1001L, 1002L, 1003L), csns(received), "nothing is read after the failure");
        assertTrue(abends.get("SINK2").getMessage().contains("sink file system full"));
        assertEquals(received.get(1).trailEnd(), cpr("SINK2").trailRead().current(), "checkpoint after 1002 only");
        assertEquals('A', cpr("SINK2").stopStatus(), "an abended group is not marked stopped normally");

        abends.clear();
        received.clear();
        CamelContext second = start(sink("SINK2", -1));
        try {
            awaitCaughtUp();
        } finally {
            second.stop();
        }
        assertEquals(List.of(1003L, 1004L, 1005L), csns(received));
    }

    @Test
    void anExceptionTheRouteHandledCountsAsCompleted() throws Exception {
        writer.append(txs(1, 6, 2));
        List<Long> handled = new CopyOnWriteArrayList<>();
        CamelContext ctx = start(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalStateException.class).handled(true).process(e -> handled.add(1L));
                from("trail:dirdat/ex?group=SINK5&idleDelay=2&maxBatchOps=1").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> body = e.getIn().getBody(List.class);
                    readUpTo = e.getIn().getHeader(TrailConstants.READ_CHECKPOINT, TrailReadCheckpoint.class).current();
                    received.addAll(body);
                    if (!body.isEmpty() && body.get(0).csn().equals(Scn.of(1003))) throw new IllegalStateException("to the dead letter");
                });
            }
        });
        try {
            awaitCaughtUp();
        } finally {
            ctx.stop();
        }
        assertEquals(List.of(1L), handled);
        assertEquals(List.of(1001L, 1002L, 1003L, 1004L, 1005L), csns(received));
        assertEquals(writer.position(), cpr("SINK5").trailRead().current());
        assertTrue(abends.isEmpty(), abends.toString());
    }

    @Test
    void gracefulStopLetsTheExchangeInFlightFinishAndCheckpointsIt() throws Exception {
        writer.append(txs(1, 6, 2));
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CamelContext ctx = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/ex?group=SINK3&idleDelay=2&maxBatchOps=1").routeId("sink").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> body = e.getIn().getBody(List.class);
                    if (!body.isEmpty() && body.get(0).csn().equals(Scn.of(1002))) {
                        inFlight.countDown();
                        await(release, "the test to release the exchange of 1002");
                    }
                    received.addAll(body);
                });
            }
        });
        await(inFlight, "the exchange of 1002 to be in flight");
        ServiceSupport consumer = (ServiceSupport) ctx.getRoute("sink").getConsumer();
        Thread stopper = new Thread(ctx::stop, "stopper");
        stopper.start();
        await(consumer::isStopping, "the consumer to be stopping");
        release.countDown();
        join(stopper, "the context to stop");
        assertEquals(List.of(1001L, 1002L), csns(received), "1002 finished, nothing read after the stop began");
        ProcessCheckpoint cp = cpr("SINK3");
        assertEquals('G', cp.stopStatus());
        assertEquals(received.get(1).trailEnd(), cp.trailRead().current());
        assertTrue(abends.isEmpty(), abends.toString());
    }

    @Test
    void aCheckpointOfAnotherTrailRefusesTheStart() throws Exception {
        writer.append(txs(1, 3, 1));
        CamelContext first = start(sink("SINK4", -1));
        try {
            awaitCaughtUp();
        } finally {
            first.stop();
        }
        TrailWriter.open(home.resolve("dirdat/zz"), "EXT2", 4096).close();
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx).onAbend(abends::put);
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/zz?group=SINK4").log("${body}");
            }
        });
        Exception e = assertThrows(Exception.class, ctx::start);
        StringBuilder why = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) why.append(t.getMessage()).append(" / ");
        assertTrue(why.toString().contains("SINK4.cpr is for trail dirdat/ex, this route reads dirdat/zz"), why.toString());
        assertTrue(abends.containsKey("SINK4"), "a refused start is the group's abend");
        ctx.stop();
    }

    @Test
    void positionStoreIsForRoleReplicatOnly() {
        CamelContext ctx = new DefaultCamelContext();
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.getRegistry().bind("store", (io.redotrail.trail.ReadPositionStore) java.util.Optional::empty);
        Exception e = assertThrows(ResolveEndpointFailedException.class,
                () -> ctx.getEndpoint("trail:dirdat/ex?group=PUMP9&role=EXTRACT&positionStore=#store"));
        assertTrue(e.getMessage().contains("positionStore is for role=REPLICAT"), e.getMessage());
        assertThrows(ResolveEndpointFailedException.class, () -> ctx.getEndpoint("trail:dirdat/ex?group=PUMP9&role=PUMP"));
        assertEquals(TrailRole.EXTRACT, ctx.getEndpoint("trail:dirdat/ex?group=PUMP9&role=EXTRACT", TrailEndpoint.class)
                .getConfiguration().getRole());
        assertEquals(TrailRole.REPLICAT, ctx.getEndpoint("trail:dirdat/ex?group=REP9", TrailEndpoint.class)
                .getConfiguration().getRole(), "the default");
    }
}
