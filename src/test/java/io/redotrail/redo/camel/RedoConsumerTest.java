package io.redotrail.redo.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.sim.RedoLogWriter;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.redotrail.testutil.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedoConsumerTest {
    @TempDir
    Path home;
    private RedoLogWriter writer;
    private long scn = 100;

    @BeforeEach
    void openWriter() {
        writer = RedoLogWriter.open(new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), 1, 3, 64 * 1024, "ORCL"));
    }

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    private void writeTransactions(long fromId, int n) {
        for (long id = fromId; id < fromId + n; id++) {
            Xid xid = new Xid(1, 1, id);
            writer.append(RedoOp.INSERT, xid, Scn.of(scn++), id, true, new RowChange("HR.EMP", ChangeOp.INSERT, null,
                    new RowImage(new String[]{"ID"}, new Object[]{id})));
            writer.append(RedoOp.COMMIT, xid, Scn.of(scn++), id, false, null);
        }
        writer.flush(true);
    }

    private CamelContext start(String uri, List<RedoBatch> sink) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("extract").process(e -> {
                    RedoBatch b = e.getIn().getBody(RedoBatch.class);
                    assertEquals(b.records().stream().filter(r -> r.op().isRowChange()).count(),
                            e.getIn().getHeader(RedoConstants.ROW_COUNT, Long.class));
                    sink.add(b);
                });
            }
        });
        ctx.start();
        return ctx;
    }

    private static List<RedoRecord> records(List<RedoBatch> batches) {
        List<RedoRecord> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.records()));
        return all;
    }

    private static List<Long> ids(List<RedoRecord> records) {
        return records.stream().filter(r -> r.op() == RedoOp.INSERT).map(r -> (Long) r.change().after().get("ID")).toList();
    }

    @Test
    void batchesArriveInScnOrderAndResumeFromTheRecoveryCheckpoint() throws Exception {
        writeTransactions(1, 1000); // spans several log switches
        List<RedoBatch> batches = new CopyOnWriteArrayList<>();
        String uri = "redo:orcl?home=" + home + "&group=ext1&idleDelay=5&maxBatchRecords=300";
        CamelContext ctx = start(uri, batches);
        GroupRuntimes groups = GroupRuntimes.of(ctx); // the registry is emptied when the context stops
        try {
            await(() -> records(batches).size() == 2000, "2000 records");
            writeTransactions(1001, 10); // written while the consumer runs
            await(() -> records(batches).size() == 2020, "2020 records");
        } finally {
            ctx.stop();
        }
        List<RedoRecord> all = records(batches);
        for (int i = 1; i < all.size(); i++) assertTrue(all.get(i).scn().isAfter(all.get(i - 1).scn()), "SCN order at " + i);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 1010).boxed().toList(), ids(all));
        assertTrue(batches.stream().allMatch(b -> b.records().size() <= 300));
        RedoBatch lastFull = batches.stream().filter(b -> !b.records().isEmpty()).reduce((a, b) -> b).orElseThrow();
        RedoRecord lastRec = lastFull.records().get(lastFull.records().size() - 1);
        CheckpointPoint cur = lastFull.currentByThread().get(1);
        assertEquals(lastRec.next(), cur.position());
        assertEquals(lastRec.scn(), cur.scn());
        assertEquals(lastRec.redoFile(), cur.redoFile());

        // checkpoint: transaction 501 still open -> recovery at its first record
        RedoRecord open = all.stream().filter(r -> r.op() == RedoOp.INSERT && r.xid().sqn() == 501).findFirst().orElseThrow();
        CheckpointPoint recovery = new CheckpointPoint(open.position(), open.scn(), open.timestampMillis(), open.redoFile());
        long now = System.currentTimeMillis();
        new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT",
                List.of(new RedoReadCheckpoint(1, recovery, recovery, cur)), null, List.of(), null, null, null, now, now, 'G'));
        writeTransactions(1011, 5);

        List<RedoBatch> resumed = new CopyOnWriteArrayList<>();
        CamelContext ctx2 = start(uri, resumed);
        GroupRuntimes groups2 = GroupRuntimes.of(ctx2);
        try {
            await(() -> records(resumed).size() == 2 * (1015 - 500), "records from the recovery checkpoint");
        } finally {
            ctx2.stop();
        }
        List<RedoRecord> again = records(resumed);
        assertEquals(open.position(), again.get(0).position());
        assertEquals(java.util.stream.LongStream.rangeClosed(501, 1015).boxed().toList(), ids(again));
        assertTrue(groups.abends().isEmpty(), groups.abends().toString());
        assertTrue(groups2.abends().isEmpty(), groups2.abends().toString());
    }

    @Test
    void idleConsumerSendsEmptyBatchesSoDownstreamCanCheckpoint() throws Exception {
        writeTransactions(1, 3);
        List<RedoBatch> batches = new CopyOnWriteArrayList<>();
        CamelContext ctx = start("redo:orcl?home=" + home + "&group=EXT3&idleDelay=2", batches);
        try {
            await(() -> batches.stream().filter(b -> b.records().isEmpty()).count() >= 2, "two empty batches");
        } finally {
            ctx.stop();
        }
        RedoBatch empty = batches.get(batches.size() - 1);
        assertTrue(empty.records().isEmpty());
        assertEquals(writer.currentPosition(), empty.currentByThread().get(1).position());
    }

    @Test
    void beginNowSkipsExistingRedo() throws Exception {
        writeTransactions(1, 20);
        List<RedoBatch> batches = new CopyOnWriteArrayList<>();
        CamelContext ctx = start("redo:orcl?home=" + home + "&group=EXT4&idleDelay=2&begin=now", batches);
        try {
            // begin=now is resolved when the consumer thread opens the logs: its first batch, idle, says it has
            await(() -> !batches.isEmpty(), "the first (idle) batch: the reader positioned at the end");
            assertTrue(batches.get(0).records().isEmpty(), "nothing before now is read: " + ids(records(batches)));
            writeTransactions(21, 2);
            await(() -> records(batches).size() == 4, "the two new transactions");
        } finally {
            ctx.stop();
        }
        assertEquals(List.of(21L, 22L), ids(records(batches)));
    }

    @Test
    void failureInTheRouteAbendsTheGroupAndStopsReading() throws Exception {
        writeTransactions(1, 50);
        AtomicInteger calls = new AtomicInteger();
        CamelContext ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redo:orcl?home=" + home + "&group=EXT2&idleDelay=2&maxBatchRecords=10").routeId("ext2").process(e -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("trail disk full");
                });
            }
        });
        ctx.start();
        try {
            await(() -> GroupRuntimes.of(ctx).abends().containsKey("EXT2"), "abend of EXT2");
            // the read loop ended (and its read-ahead thread with it): no exchange can follow, however slow the machine
            io.redotrail.camel.GroupConsumer consumer = (io.redotrail.camel.GroupConsumer) ctx.getRoute("ext2").getConsumer();
            await(() -> !consumer.isConsuming(), "the read loop of EXT2 to end after its abend");
            await(() -> readAheadThread("EXT2") == null, "the read-ahead thread of EXT2 to end with the loop");
            assertEquals(1, calls.get(), "nothing is processed after a failure");
            assertTrue(GroupRuntimes.of(ctx).abends().get("EXT2").getMessage().contains("trail disk full"));
        } finally {
            ctx.stop();
        }
    }

    @Test
    void missingLogAbendsWithOgg00446() throws Exception {
        writeTransactions(1, 10);
        CheckpointPoint p = new CheckpointPoint(new RedoPosition(1, 1, 512), Scn.of(1), 0, "");
        long now = System.currentTimeMillis();
        // the checkpoint needs sequence 1: its group is reused by sequence 4 and its archive is deleted
        writer.switchLogFile();
        writer.switchLogFile();
        writer.switchLogFile();
        java.nio.file.Files.delete(home.resolve("arch/1_1.arc"));
        new CheckpointFile(CheckpointFile.extractFile(home, "EXT5")).write(new ProcessCheckpoint("EXT5", "EXTRACT",
                List.of(new RedoReadCheckpoint(1, p, p, p)), null, List.of(), null, null, null, now, now, 'G'));
        List<RedoBatch> batches = new CopyOnWriteArrayList<>();
        CamelContext ctx = start("redo:orcl?home=" + home + "&group=EXT5&idleDelay=2", batches);
        GroupRuntimes groups = GroupRuntimes.of(ctx); // the registry is emptied when the context stops
        try {
            await(() -> GroupRuntimes.of(ctx).abends().containsKey("EXT5"), "abend of EXT5");
        } finally {
            ctx.stop();
        }
        String msg = groups.abends().get("EXT5").getMessage();
        assertTrue(msg.startsWith("OGG-00446 Could not find archived log for sequence 1 thread 1"), msg);
        assertTrue(msg.contains("needed by the Recovery checkpoint (thread 1 seqno 1 RBA 512)"), msg);
        assertTrue(records(batches).isEmpty());
    }

    @Test
    void unreadableRedoReachesTheRouteErrorHandlerWithBridgeErrorHandler() throws Exception {
        writeTransactions(1, 10);
        writer.switchLogFile();
        writer.switchLogFile();
        writer.switchLogFile();
        java.nio.file.Files.delete(home.resolve("arch/1_1.arc"));
        CheckpointPoint p = new CheckpointPoint(new RedoPosition(1, 1, 512), Scn.of(1), 0, "");
        long now = System.currentTimeMillis();
        new CheckpointFile(CheckpointFile.extractFile(home, "EXT9")).write(new ProcessCheckpoint("EXT9", "EXTRACT",
                List.of(new RedoReadCheckpoint(1, p, p, p)), null, List.of(), null, null, null, now, now, 'G'));
        List<Exception> caught = new CopyOnWriteArrayList<>();
        List<RedoBatch> batches = new CopyOnWriteArrayList<>();
        CamelContext ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redo:orcl?home=" + home + "&group=EXT9&idleDelay=2&bridgeErrorHandler=true")
                        .onException(Exception.class).handled(true)
                            .process(e -> caught.add(e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class)))
                        .end()
                        .process(e -> batches.add(e.getIn().getBody(RedoBatch.class)));
            }
        });
        ctx.start();
        try {
            await(() -> GroupRuntimes.of(ctx).abends().containsKey("EXT9"), "abend of EXT9");
        } finally {
            ctx.stop();
        }
        // the route's error handler saw it, and the group abended all the same: nothing was read past it
        assertEquals(1, caught.size());
        assertTrue(caught.get(0).getMessage().startsWith("OGG-00446 Could not find archived log for sequence 1 thread 1"),
                caught.get(0).getMessage());
        assertTrue(batches.isEmpty());
    }

    @Test
    void corruptRedoReadAheadAbendsTheGroupWithFileAndPositionAfterTheBatchesBeforeIt() throws Exception {
        writeTransactions(1, 3000); // several log switches: sequence 1's group is reused, only its archive is left
        Path archive = home.resolve("arch/1_1.arc");
        long size = java.nio.file.Files.size(archive);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{0x55, 0x55, 0x55, 0x55}), size / 2);
        }
        List<RedoBatch> batches = new CopyOnWriteArrayList<>();
        CamelContext ctx = start("redo:orcl?home=" + home + "&group=EXT10&idleDelay=2&maxBatchRecords=10&readAheadMegabytes=1", batches);
        GroupRuntimes groups = GroupRuntimes.of(ctx);
        try {
            await(() -> groups.abends().containsKey("EXT10"), "abend of EXT10");
        } finally {
            ctx.stop();
        }
        Throwable cause = groups.abends().get("EXT10");
        assertTrue(cause instanceof io.redotrail.core.CorruptFileException, String.valueOf(cause));
        io.redotrail.core.CorruptFileException bad = (io.redotrail.core.CorruptFileException) cause;
        assertEquals(archive, bad.file());
        assertTrue(bad.position() <= size / 2 && bad.position() > size / 2 - 200, "position " + bad.position());
        // the batches read before the damage were delivered, in order, and nothing at or after it (the records of
        // the batch the damage interrupted were not: that batch is read again, and fails again, at a restart)
        List<RedoRecord> all = records(batches);
        RedoRecord last = all.get(all.size() - 1);
        assertEquals(1, last.position().sequence());
        assertTrue(last.next().rba() <= bad.position(), "delivered " + last.next() + ", damage at " + bad.position());
        // at most the interrupted batch (10 records of under 200 bytes here) lies between the two
        assertTrue(bad.position() - last.next().rba() < 10 * 200, "delivered " + last.next() + ", damage at " + bad.position());
        assertEquals(java.util.stream.LongStream.rangeClosed(1, ids(all).size()).boxed().toList(), ids(all));
    }

    @Test
    void stopWhileTheReadAheadWaitsForRoomEndsItsThreadAndDeliversNothingMore() throws Exception {
        writeTransactions(1, 4000); // 8,000 records, about 2 MB with each record's overhead: more than the bound
        List<RedoBatch> batches = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch inRoute = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CamelContext ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redo:orcl?home=" + home + "&group=EXT11&idleDelay=2&maxBatchRecords=100&readAheadMegabytes=1")
                        .routeId("ext11").process(e -> {
                            batches.add(e.getIn().getBody(RedoBatch.class));
                            inRoute.countDown();
                            io.redotrail.testutil.Waits.await(release, "the test releasing the route");
                        });
            }
        });
        ctx.start();
        GroupRuntimes groups = GroupRuntimes.of(ctx);
        await(inRoute, "the first exchange");
        await(() -> readAheadThread("EXT11") != null && waitingForRoom(readAheadThread("EXT11")), "the read-ahead waiting for room");
        Thread stopper = new Thread(() -> {
            try {
                ctx.stop();
            } catch (RuntimeException e) {
                throw new AssertionError(e);
            }
        });
        stopper.start();
        org.apache.camel.support.service.ServiceSupport consumer =
                (org.apache.camel.support.service.ServiceSupport) ctx.getRoute("ext11").getConsumer();
        // once the consumer is stopping it starts no further exchange (isRunAllowed is false)
        await(() -> consumer.isStopping() || consumer.isStopped(), "the consumer stopping");
        release.countDown(); // the exchange in flight finishes; what was read ahead is dropped
        io.redotrail.testutil.Waits.join(stopper, "the stop");
        assertEquals(null, readAheadThread("EXT11"), "the read-ahead thread ended with the route");
        assertEquals(1, batches.size(), "nothing is delivered after the stop");
        assertEquals(100, batches.get(0).records().size());
        assertTrue(groups.abends().isEmpty(), groups.abends().toString());
    }

    private static Thread readAheadThread(String group) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("RedoReadAhead[" + group + "]") && t.isAlive()).findFirst().orElse(null);
    }

    private static boolean waitingForRoom(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(io.redotrail.camel.ReadAheadQueue.class.getName()) && e.getMethodName().equals("put")) {
                return t.getState() == Thread.State.WAITING;
            }
        }
        return false;
    }

    @Test
    void componentHomeIsTheDefaultAndUnknownOptionsAreRejected() throws Exception {
        writeTransactions(1, 2);
        List<RedoBatch> batches = new CopyOnWriteArrayList<>();
        CamelContext ctx = new DefaultCamelContext();
        RedoComponent component = new RedoComponent();
        component.setHome(home.toString());
        ctx.addComponent("redo", component);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redo:orcl?group=EXT6&idleDelay=2").process(e -> batches.add(e.getIn().getBody(RedoBatch.class)));
            }
        });
        ctx.start();
        try {
            await(() -> records(batches).size() == 4, "4 records");
            RedoEndpoint ep = ctx.getEndpoint("redo:orcl?group=ext6", RedoEndpoint.class);
            assertEquals("EXT6", ep.getConfiguration().getGroup());
            assertEquals(home.toString(), ep.getConfiguration().getHome());
            org.junit.jupiter.api.Assertions.assertThrows(org.apache.camel.ResolveEndpointFailedException.class,
                    () -> ctx.getEndpoint("redo:orcl?group=EXT7&bogus=1"));
            org.junit.jupiter.api.Assertions.assertThrows(org.apache.camel.ResolveEndpointFailedException.class,
                    () -> ctx.getEndpoint("redo:orcl?group=EXT7&begin=yesterday"));
        } finally {
            ctx.stop();
        }
        org.junit.jupiter.api.Assertions.assertThrows(org.apache.camel.ResolveEndpointFailedException.class,
                () -> new DefaultCamelContext().getEndpoint("redo:orcl?group=EXT8"), "home is required");
    }
}
