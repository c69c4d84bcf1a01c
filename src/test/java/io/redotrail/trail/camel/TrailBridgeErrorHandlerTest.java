package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.redotrail.testutil.Waits.await;
import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read failure (a corrupt trail record) goes through the consumer's exception handler: with
 * bridgeErrorHandler=true the route's onException sees it, without it the failure is only logged. Either way the
 * group abends: nothing after the damage is delivered and the read checkpoint stays before it, so once the file is
 * repaired the group resumes with the damaged transaction.
 */
class TrailBridgeErrorHandlerTest {
    @TempDir
    Path home;
    private final List<Exception> bridged = new CopyOnWriteArrayList<>();
    private final List<Exception> notBridged = new CopyOnWriteArrayList<>();
    private final List<Transaction> deliveredBridged = new CopyOnWriteArrayList<>();
    private final List<Transaction> deliveredLogged = new CopyOnWriteArrayList<>();

    /** Abends of the groups in the contexts this test started (each context keeps its own). */
    private final java.util.Map<String, Throwable> abends = new java.util.concurrent.ConcurrentHashMap<>();

    private CamelContext start() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx).onAbend(abends::put);
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/ex?group=BRIDGED&idleDelay=2&maxBatchOps=1&bridgeErrorHandler=true")
                        .onException(Exception.class).handled(true)
                            .process(e -> bridged.add(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))).end()
                        .process(e -> deliveredBridged.addAll(transactions(e)));
                from("trail:dirdat/ex?group=LOGGED&idleDelay=2&maxBatchOps=1")
                        .onException(Exception.class).handled(true)
                            .process(e -> notBridged.add(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))).end()
                        .process(e -> deliveredLogged.addAll(transactions(e)));
            }
        });
        ctx.start();
        return ctx;
    }

    @SuppressWarnings("unchecked")
    private static List<Transaction> transactions(Exchange e) {
        return e.getIn().getBody(List.class);
    }

    private static void flip(Path file, long offset) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            ch.write(b.rewind(), offset);
        }
    }

    private TrailPosition cpr(String group) {
        return new CheckpointFile(CheckpointFile.replicatFile(home, group)).read().orElseThrow().trailRead().current();
    }

    @Test
    void aCorruptRecordReachesTheRouteErrorHandlerOnlyWhenBridgedAndTheGroupStopsBeforeIt() throws Exception {
        Path trail = home.resolve("dirdat/ex");
        List<Transaction> written = new ArrayList<>();
        try (TrailWriter w = TrailWriter.open(trail, "EXT1", 4096)) {
            w.append(txs(1, 61, 2));
        }
        try (TrailReader r = new TrailReader(trail, TrailPosition.START)) {
            List<Transaction> b;
            while (!(b = r.poll(1000)).isEmpty()) written.addAll(b);
        }
        Transaction damaged = written.get(2);
        assertEquals(0, damaged.trailStart().seqno());
        assertTrue(written.get(written.size() - 1).trailEnd().seqno() > 0, "file 0 has a successor");
        Path file0 = TrailFormat.fileOf(trail, 0);
        flip(file0, damaged.trailStart().rba() + 30);

        CamelContext ctx = start();
        try {
            await(() -> abends.containsKey("BRIDGED") && abends.containsKey("LOGGED"), "both groups to abend");
        } finally {
            ctx.stop();
        }
        assertEquals(1, bridged.size(), "the bridged route's onException saw the read failure");
        String why = bridged.get(0).getMessage();
        assertTrue(why.contains(file0.getFileName().toString()), why);
        assertTrue(notBridged.isEmpty(), "without bridgeErrorHandler the route's error handler is not involved");
        for (List<Transaction> delivered : List.of(deliveredBridged, deliveredLogged)) {
            assertEquals(List.of(1001L, 1002L), delivered.stream().map(t -> t.csn().value()).toList());
        }
        assertEquals(written.get(1).trailEnd(), cpr("BRIDGED"), "the checkpoint stays before the damage");
        assertEquals(written.get(1).trailEnd(), cpr("LOGGED"));

        // repaired: the groups resume with the damaged transaction
        flip(file0, damaged.trailStart().rba() + 30);
        abends.clear();
        deliveredBridged.clear();
        deliveredLogged.clear();
        CamelContext again = start();
        try {
            await(() -> deliveredBridged.size() == 58 && deliveredLogged.size() == 58, "the rest of the trail");
        } finally {
            again.stop();
        }
        assertEquals(1003L, deliveredBridged.get(0).csn().value());
        assertEquals(1003L, deliveredLogged.get(0).csn().value());
        assertEquals(1, bridged.size());
        assertTrue(abends.isEmpty(), abends.toString());
    }
}
