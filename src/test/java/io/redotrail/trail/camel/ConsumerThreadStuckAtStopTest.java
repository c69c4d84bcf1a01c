package io.redotrail.trail.camel;

import io.redotrail.camel.GroupConsumer;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.trail.TrailWriter;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.redotrail.testutil.Waits.await;
import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop whose consumer thread outlives the shutdown timeout and the interrupt after it (a route step that ignores
 * interrupts): the group abends and keeps its lock and last checkpoint while that thread may still complete its
 * exchange and write its checkpoint (GroupConsumer.doStop); it starts again only once that thread ended, from where
 * the thread's checkpoint says. Real thread, real files, a 300 ms shutdown timeout.
 */
class ConsumerThreadStuckAtStopTest {
    @TempDir
    Path home;
    private final Map<String, Throwable> abends = new ConcurrentHashMap<>();
    private final List<Long> received = new CopyOnWriteArrayList<>();
    private volatile TrailPosition readUpTo;

    private ProcessCheckpoint cpr() {
        return new CheckpointFile(CheckpointFile.replicatFile(home, "STUCK")).read().orElseThrow();
    }

    @Test
    void aThreadIgnoringTheStopAbendsTheGroupWhichKeepsItsLockAndLastCheckpointUntilTheThreadEnds() throws Exception {
        TrailPosition end;
        try (TrailWriter writer = TrailWriter.open(home.resolve("dirdat/ex"), "EXT1", 4096)) {
            writer.append(txs(1, 6, 2));
            end = writer.position();
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx).onAbend(abends::put);
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.getShutdownStrategy().setTimeUnit(TimeUnit.MILLISECONDS);
        ctx.getShutdownStrategy().setTimeout(300);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/ex?group=STUCK&idleDelay=2&maxBatchOps=1").routeId("stuck").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> body = e.getIn().getBody(List.class);
                    body.forEach(t -> received.add(t.csn().value()));
                    if (body.stream().anyMatch(t -> t.csn().value() == 1003)) {
                        held.countDown();
                        // a step that ignores interrupts (a blocking driver call): it ends when the test lets it
                        while (true) {
                            try {
                                if (release.await(10, TimeUnit.SECONDS)) break;
                            } catch (InterruptedException ie) {
                                interrupted.set(true);
                            }
                        }
                    }
                    readUpTo = e.getIn().getHeader(TrailConstants.READ_CHECKPOINT, TrailReadCheckpoint.class).current();
                });
            }
        });
        ctx.start();
        try {
            GroupConsumer consumer = (GroupConsumer) ctx.getRoute("stuck").getConsumer();
            await(held, "the route holding CSN 1003");
            ProcessCheckpoint before = cpr();
            assertEquals(List.of(1001L, 1002L, 1003L), received);

            ctx.getRouteController().stopRoute("stuck"); // 300 ms, the interrupt, 300 ms more: the thread runs on
            assertTrue(interrupted.get(), "the stop interrupted the consumer thread");
            assertTrue(consumer.isConsuming(), "the consumer thread still runs");
            Throwable abend = abends.get("STUCK");
            assertTrue(abend != null && abend.getMessage().contains("STUCK: consumer thread did not stop"), String.valueOf(abend));
            assertTrue(GroupLock.heldHere(home, "STUCK"), "the group keeps its lock while its thread runs");
            assertEquals('A', cpr().stopStatus(), "no stopped checkpoint over the thread's");
            assertEquals(before.trailRead().current(), cpr().trailRead().current(), "the last checkpoint stays");
            Exception refused = assertThrows(Exception.class, () -> ctx.getRouteController().startRoute("stuck"));
            assertTrue(String.valueOf(refused.getMessage()).contains("not started: the consumer thread of its previous run has not stopped"),
                    refused.toString());

            release.countDown(); // the step returns; the thread ends (it was told to stop)
            await(() -> !consumer.isConsuming(), "the consumer thread to end");
            assertEquals(List.of(1001L, 1002L, 1003L), received, "nothing read after the stop");
            // the stopped route's error handler rejects the exchange the step finished (Camel: RejectedExecutionException),
            // so 1003 is not checkpointed; that late failure is logged, not a second abend
            assertEquals(before.trailRead().current(), cpr().trailRead().current(), "the checkpoint before 1003");
            assertEquals(List.of("STUCK"), List.copyOf(abends.keySet()));
            assertTrue(GroupLock.heldHere(home, "STUCK"), "the lock is the group's until it stops normally");

            abends.clear();
            ctx.getRouteController().startRoute("stuck"); // the thread ended: the group runs on from its checkpoint
            await(() -> end.equals(readUpTo), "the route to reach " + end + " " + abends);
        } finally {
            release.countDown();
            ctx.stop();
        }
        assertEquals(List.of(1001L, 1002L, 1003L, 1003L, 1004L, 1005L), received, "from the checkpoint on, each transaction once");
        assertEquals('G', cpr().stopStatus());
        assertEquals(end, cpr().trailRead().current());
        assertFalse(GroupLock.heldHere(home, "STUCK"), "a graceful stop releases the lock");
        assertTrue(abends.isEmpty(), abends.toString());
    }
}
