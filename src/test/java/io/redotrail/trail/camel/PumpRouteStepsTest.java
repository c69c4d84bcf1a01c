package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.ReportFile;
import io.redotrail.trail.TrailReader;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
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
import java.util.function.Consumer;

import static io.redotrail.testutil.Waits.await;
import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steps a user adds to a pump route cannot lose, reorder or repeat transactions: a body that is no longer the batch,
 * a batch out of commit order, a failure the route's error handler handled, a batch a filter dropped, a second
 * reader of the group in this JVM: each is refused before anything of the batch reaches the remote trail, the pump's read checkpoint stays
 * before it, and the pump restarted without the faulty step writes every transaction once, in order.
 */
class PumpRouteStepsTest {
    @TempDir
    Path home;
    private final Map<String, Throwable> abends = new ConcurrentHashMap<>();

    private CamelContext start(Consumer<RouteBuilder> pumpSteps) throws Exception {
        return TrailContexts.start(home, abends, new RouteBuilder() {
            @Override
            public void configure() {
                pumpSteps.accept(this); // first: an onException of the steps comes before any route
                from("direct:extract").to("trail:dirdat/ex?group=EXT1&checkpointSecs=0");
            }
        });
    }

    /** The pump as the route files have it, with {@code step} between its consumer and its trail producer. */
    private static Consumer<RouteBuilder> pump(org.apache.camel.Processor step) {
        return rb -> rb.from("trail:dirdat/ex?group=PMP1&role=EXTRACT&idleDelay=5&maxBatchOps=4").routeId("pump")
                .process(step)
                .to("trail:dirdat/ha?group=PMP1&trailType=RMTTRAIL&checkpointSecs=0");
    }

    private static void send(CamelContext ctx, List<Transaction> batch) {
        TrailContexts.sendExtract(ctx, batch);
    }

    private List<Long> remoteTrailCsns() {
        if (!Files.exists(home.resolve("dirdat/ha000000000"))) return List.of();
        List<Long> out = new ArrayList<>();
        try (TrailReader r = new TrailReader(home.resolve("dirdat/ha"), TrailPosition.START)) {
            List<Transaction> b;
            while (!(b = r.poll(1000)).isEmpty()) for (Transaction t : b) out.add(t.csn().value());
        }
        return out;
    }

    private void awaitAbend(String message) throws InterruptedException {
        await(() -> abends.containsKey("PMP1"), "PMP1 to abend");
        String got = abends.get("PMP1").getMessage();
        assertTrue(got.contains(message), got);
    }

    /** The pump, restarted with no faulty step, writes all ten transactions once, in order. */
    private void restartWritesAllOnce() throws Exception {
        restartWritesAllOnceAfter(ctx -> { });
    }

    private void restartWritesAllOnceAfter(Consumer<CamelContext> first) throws Exception {
        abends.clear();
        CamelContext again = start(pump(e -> { }));
        try {
            first.accept(again);
            await(() -> remoteTrailCsns().size() >= 10, "the restarted pump to write the ten transactions " + abends);
        } finally {
            again.stop();
        }
        assertEquals(List.of(1001L, 1002L, 1003L, 1004L, 1005L, 1006L, 1007L, 1008L, 1009L, 1010L), remoteTrailCsns());
        assertTrue(abends.isEmpty(), abends.toString());
    }

    @Test
    void aStepThatChangesTheBodyAbendsThePumpBeforeAnythingIsWritten() throws Exception {
        CamelContext ctx = start(rb -> rb.from("trail:dirdat/ex?group=PMP1&role=EXTRACT&idleDelay=5&maxBatchOps=4").routeId("pump")
                .split(rb.body()).to("trail:dirdat/ha?group=PMP1&trailType=RMTTRAIL&checkpointSecs=0"));
        try {
            send(ctx, txs(1, 11, 2));
            awaitAbend("RTR-01622 trail producer of group PMP1");
            assertTrue(abends.get("PMP1").getMessage().contains("expected a List<Transaction> body, got " + Transaction.class.getName()),
                    abends.get("PMP1").getMessage());
        } finally {
            ctx.stop();
        }
        assertEquals(List.of(), remoteTrailCsns());
        assertFalse(Files.exists(CheckpointFile.extractFile(home, "PMP1")), "no read checkpoint past the refused batch");
        restartWritesAllOnce();
    }

    @Test
    void aStepThatReordersTheBatchAbendsThePump() throws Exception {
        CamelContext ctx = start(pump(e -> {
            @SuppressWarnings("unchecked")
            List<Transaction> b = new ArrayList<>(e.getIn().getBody(List.class));
            java.util.Collections.reverse(b);
            e.getIn().setBody(b);
        }));
        try {
            send(ctx, txs(1, 11, 2));
            awaitAbend("RTR-01623 trail producer of group PMP1");
            assertTrue(abends.get("PMP1").getMessage().matches("(?s).*with CSN .* comes after CSN .* \\(the batch's previous one\\).*"),
                    abends.get("PMP1").getMessage());
        } finally {
            ctx.stop();
        }
        assertEquals(List.of(), remoteTrailCsns());
        restartWritesAllOnce();
    }

    @Test
    void aTransactionSentAgainAfterAWriteOfThisRunAbendsThePump() throws Exception {
        List<Transaction> seen = new ArrayList<>();
        CamelContext ctx = start(pump(e -> {
            @SuppressWarnings("unchecked")
            List<Transaction> b = new ArrayList<>(e.getIn().getBody(List.class));
            // a step that sends the first transaction again with the batch holding 1005
            if (b.stream().anyMatch(t -> t.csn().value() == 1005)) b.add(0, seen.get(0));
            seen.addAll(b);
            e.getIn().setBody(b);
        }));
        try {
            send(ctx, txs(1, 5, 2));
            await(() -> remoteTrailCsns().size() == 4, "the first batch in the remote trail");
            send(ctx, txs(5, 11, 2));
            awaitAbend("RTR-01623 trail producer of group PMP1");
            assertTrue(abends.get("PMP1").getMessage().contains("(1001) comes after CSN 0.1004 (1004) (the trail's last one, written in this run)"),
                    abends.get("PMP1").getMessage());
        } finally {
            ctx.stop();
        }
        assertEquals(List.of(1001L, 1002L, 1003L, 1004L), remoteTrailCsns());
        restartWritesAllOnce();
    }

    /** The pump's third batch: two transactions of two rows each, so 1005 and 1006. */
    private static boolean holds1006(Exchange e) {
        @SuppressWarnings("unchecked")
        List<Transaction> b = e.getIn().getBody(List.class);
        return b.stream().anyMatch(t -> t.csn().value() == 1006);
    }

    /**
     * The pump of {@code routes} abends at the batch holding 1006, its message holding each of {@code messages}; the
     * remote trail keeps what came before it, and the pump restarted without the faulty step writes all ten once.
     */
    private void abendsAtTheBatchHolding1006(Consumer<RouteBuilder> routes, String... messages) throws Exception {
        CamelContext ctx = start(routes);
        try {
            send(ctx, txs(1, 11, 2));
            awaitAbend(messages[0]);
            for (String m : messages) assertTrue(abends.get("PMP1").getMessage().contains(m), abends.get("PMP1").getMessage());
        } finally {
            ctx.stop();
        }
        assertEquals(List.of(1001L, 1002L, 1003L, 1004L), remoteTrailCsns(), "nothing after the failed batch");
        restartWritesAllOnce();
    }

    @Test
    void aFailureTheErrorHandlerHandledAbendsThePumpInsteadOfSkippingTheBatch() throws Exception {
        List<Throwable> alerted = new ArrayList<>();
        abendsAtTheBatchHolding1006(rb -> {
            rb.onException(IllegalStateException.class).handled(true).process(e -> alerted.add(e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)));
            pump(e -> {
                if (holds1006(e)) throw new IllegalStateException("lookup service down");
            }).accept(rb);
        }, "RTR-01624 EXTRACT PMP1: a step of route pump failed on the batch and the route's error handler handled it", "lookup service down");
        assertEquals(1, alerted.size(), "the handler ran: " + alerted);
    }

    @Test
    void aFailureTheRouteWentOnFromAbendsThePump() throws Exception {
        abendsAtTheBatchHolding1006(rb -> {
            rb.onException(IllegalArgumentException.class).continued(true);
            pump(e -> {
                if (holds1006(e)) e.getIn().setBody("not a batch");
            }).accept(rb);
        }, "RTR-01624 EXTRACT PMP1: java.lang.IllegalArgumentException: RTR-01622 trail producer of group PMP1",
                "and the route went on (onException continued: true");
    }

    @Test
    void aStepThatEmptiesTheBodyAbendsThePump() throws Exception {
        abendsAtTheBatchHolding1006(pump(e -> {
            if (holds1006(e)) e.getIn().setBody(null);
        }), "RTR-01622 trail producer of group PMP1", "expected a List<Transaction> body, got null");
    }

    /** A filter that drops a batch: the trail producer never sees it, so the pump abends instead of reading past it. */
    @Test
    void aFilterThatDropsABatchAbendsThePump() throws Exception {
        abendsAtTheBatchHolding1006(rb -> rb.from("trail:dirdat/ex?group=PMP1&role=EXTRACT&idleDelay=5&maxBatchOps=4").routeId("pump")
                        .filter(e -> !holds1006(e))
                        .to("trail:dirdat/ha?group=PMP1&trailType=RMTTRAIL&checkpointSecs=0"),
                "RTR-01628 EXTRACT PMP1: the batch completed route pump without reaching the group's trail producer: a step dropped it");
    }

    /** A start refused because another process holds the group's lock leaves no claim behind in this JVM. */
    @Test
    void aStartRefusedByAnotherProcessLeavesTheGroupFreeInThisJvm() throws Exception {
        Path pid = io.redotrail.report.PidFile.pathOf(home, "PMP1");
        Files.createDirectories(pid.getParent());
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), pid.toString()).start();
        try {
            assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine());
            Exception refused = assertThrows(Exception.class, () -> start(pump(e -> { })));
            assertTrue(rootMessage(refused).contains("is already running"), rootMessage(refused));
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
        restartWritesAllOnceAfter(ctx -> send(ctx, txs(1, 11, 2)));
    }

    @Test
    void aSecondReaderOfAGroupInThisJvmIsRefusedAndLeavesTheFirstAlone() throws Exception {
        CamelContext ctx = start(pump(e -> { }));
        try {
            send(ctx, txs(1, 5, 2));
            // a second route reading as PMP1 in this context: the context refuses it, naming the running reader
            Exception second = assertThrows(Exception.class, () -> ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("trail:dirdat/ex?group=PMP1&role=EXTRACT&idleDelay=5&readAheadMegabytes=0").routeId("pump2").to("log:x");
                }
            }));
            assertTrue(rootMessage(second).startsWith("RTR-01625 EXTRACT PMP1 (route pump2 of CamelContext " + ctx.getName()
                    + ") not started: group PMP1 is already read in this JVM by EXTRACT PMP1 (route pump of CamelContext "), rootMessage(second));
            // a second CamelContext in this JVM
            DefaultCamelContext other = new DefaultCamelContext();
            other.getComponent("trail", TrailComponent.class).setHome(home.toString());
            other.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("trail:dirdat/ex?group=PMP1&role=EXTRACT&idleDelay=5").routeId("elsewhere").to("log:x");
                }
            });
            try {
                Exception third = assertThrows(Exception.class, other::start);
                assertTrue(rootMessage(third).contains("not started: group PMP1 is already read in this JVM"), rootMessage(third));
            } finally {
                other.stop();
            }
            // the first reader runs on, unharmed
            send(ctx, txs(5, 11, 2));
            await(() -> remoteTrailCsns().size() == 10, "the first pump to write all ten " + abends);
            assertTrue(abends.isEmpty(), abends.toString());
            assertTrue(ReportFile.open(home, "PMP1").lines().stream().noneMatch(l -> l.contains("OGG-01668") || l.contains("stopped normally")),
                    "the refused readers wrote no abend and no stop into the running group's report");
            assertTrue(Files.exists(io.redotrail.report.PidFile.controlPathOf(home, "PMP1")), "the running group's control channel stays");
            assertFalse(io.redotrail.report.PidFile.read(io.redotrail.report.PidFile.pathOf(home, "PMP1")).orElseThrow().stopped(),
                    "the running group's pid file is not marked stopped");
        } finally {
            ctx.stop();
        }
        // once the first stopped, the group can be read again
        restartWritesAllOnce();
    }

    @Test
    void theRoleMustMatchWhetherTheRouteWritesATrail() {
        // role=EXTRACT without a trail producer of the group: nothing would keep its read checkpoint
        Exception noProducer = assertThrows(Exception.class, () -> start(rb -> rb.from("trail:dirdat/ex?group=PMP1&role=EXTRACT&idleDelay=5")
                .routeId("pump").to("log:x")));
        assertTrue(rootMessage(noProducer).startsWith("RTR-01626 EXTRACT PMP1 not started: its trail: consumer says role=EXTRACT"),
                rootMessage(noProducer));
        // a pump without role=EXTRACT: a second read checkpoint beside its producer's
        Exception noRole = assertThrows(Exception.class, () -> start(rb -> rb.from("trail:dirdat/ex?group=PMP1&idleDelay=5")
                .routeId("pump").to("trail:dirdat/ha?group=PMP1&trailType=RMTTRAIL")));
        assertTrue(rootMessage(noRole).startsWith("RTR-01626 REPLICAT PMP1 not started: its route reads ")
                && rootMessage(noRole).contains("must say role=EXTRACT"), rootMessage(noRole));
        assertFalse(Files.exists(CheckpointFile.replicatFile(home, "PMP1")), "no stray .cpr");
    }

    @Test
    void numericOptionsOutOfRangeAreRefusedNamingTheOption() {
        for (String[] c : new String[][] {
                {"maxBatchOps=0", "option maxBatchOps must be at least 1 (operations a batch holds): 0"},
                {"idleDelay=-1", "option idleDelay must be 0 or more milliseconds: -1"},
                {"checkpointSecs=-1", "option checkpointSecs must be 0 or more seconds: -1"},
                {"megabytes=0", "option megabytes must be 1-2000: 0"},
                {"megabytes=abc", "option megabytes"},
                {"role=PUMP", "option role must be EXTRACT (a pump: its trail producer keeps the read checkpoint) or REPLICAT"}}) {
            CamelContext ctx = new DefaultCamelContext();
            ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
            Exception e = assertThrows(Exception.class, () -> ctx.getEndpoint("trail:dirdat/ex?group=G1&" + c[0]), c[0]);
            assertTrue(rootMessage(e).contains(c[1]), c[0] + ": " + rootMessage(e));
            ctx.stop();
        }
    }

    /** Another process holding a file's lock, as a group process holds its pid file's. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of(args[0]),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
                ch.lock();
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(60_000);
            }
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }
}
