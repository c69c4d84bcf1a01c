package io.redotrail.extract;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.cli.ggsci.Ggsci;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.PidFile;
import io.redotrail.report.ReportFile;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Long transactions, SHOWTRANS, SKIPTRANS and FORCETRANS through a real Camel route (the aggregator on the
 * route thread, fed like the redo consumer: a batch every few ms, idle or not) and the real TCP control
 * channel, driven by GGSCI commands. Record timestamps follow seed 002's clock (2014-06-21 18:10:14 ...).
 */
class ExtractControlTest {
    private static final String REDO = "/u01/app/oracle/oradata/ggate1/redo03.log";
    private static final Xid A = Xid.parse("10.16.1533");
    private static final Xid B = Xid.parse("10.17.1");

    @TempDir
    Path home;

    private CamelContext camel;
    private Thread feeder;
    private volatile boolean feeding = true;
    private final ConcurrentLinkedQueue<List<RedoRecord>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong batches = new AtomicLong();
    private final List<Transaction> written = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Idle batches say the reader is caught up (as the redo consumer's do), unless a test reads a backlog. */
    private volatile boolean caughtUp = true;
    private final Object step = new Object();
    private long rba = 116752;

    static long at(String ts) {
        return LocalDateTime.parse(ts.replace(' ', 'T')).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private RedoRecord rec(RedoOp op, Xid xid, long scn, String ts, boolean first) {
        RowChange c = op == RedoOp.COMMIT || op == RedoOp.ROLLBACK ? null
                : new RowChange("YDJK.ACCOUNT", ChangeOp.INSERT, null, new RowImage(new String[]{"ID"}, new Object[]{scn}));
        RedoRecord r = new RedoRecord(new RedoPosition(1, 14878, rba), 40, op, xid, Scn.of(scn), at(ts), first, c, REDO);
        rba += 40;
        return r;
    }

    /** Hands records to the route thread and waits until a later batch went through (so they were processed). */
    private void feed(RedoRecord... records) throws InterruptedException {
        long before = batches.get();
        pending.add(List.of(records));
        while (batches.get() < before + 2) {
            assertNull(failure.get(), () -> "route failed: " + failure.get());
            Thread.sleep(5);
        }
        assertNull(failure.get());
    }

    private record Result(int rc, String out) {
    }

    private Result ggsci(String command) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = new Ggsci(home, k -> null, new PrintStream(buf, true, StandardCharsets.UTF_8)).execute(command);
        return new Result(rc, buf.toString(StandardCharsets.UTF_8));
    }

    private void start(TransactionAggregator agg) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:redo").routeId("extract").process(agg).process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> body = e.getMessage().getBody(List.class);
                    written.addAll(body);
                });
            }
        });
        camel.start();
        GroupRuntimes.of(camel, home, "EXT1").started("EXTRACT"); // what the redo consumer does at start
        ProducerTemplate template = camel.createProducerTemplate();
        feeder = new Thread(() -> {
            CheckpointPoint current = null;
            while (feeding) {
                List<RedoRecord> records = pending.poll();
                if (records == null) records = List.of();
                if (!records.isEmpty()) {
                    RedoRecord last = records.get(records.size() - 1);
                    current = new CheckpointPoint(last.next(), last.scn(), last.timestampMillis(), last.redoFile());
                }
                try {
                    // under the lock a test changes caughtUp and the wall clock together with: a batch built before
                    // such a change is processed before it, never with the old flag and the new time
                    synchronized (step) {
                        template.sendBodyAndHeader("direct:redo", new RedoBatch(records, current == null ? Map.of() : Map.of(1, current)),
                                io.redotrail.redo.camel.RedoConstants.CAUGHT_UP, caughtUp && records.isEmpty());
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    return;
                }
                batches.incrementAndGet();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "route-feeder");
        feeder.start();
    }

    @AfterEach
    void stop() throws Exception {
        feeding = false;
        if (feeder != null) feeder.join(5_000);
        if (camel != null) {
            GroupRuntimes.of(camel, home, "EXT1").stopped();
            camel.stop();
        }
    }

    /** A transaction left open while the database writes no more redo still ages: record time goes on with the wall clock. */
    @Test
    void aLongTransactionIsReportedWhileTheDatabaseIsQuiet() throws Exception {
        TransactionAggregator agg = new TransactionAggregator();
        agg.setGroup("EXT1");
        agg.setHome(home.toString());
        agg.setBrOff(true);
        agg.setWarnLongTrans("1M");
        agg.setCheckInterval("1M");
        AtomicLong wall = new AtomicLong(1_000_000);
        agg.longTransWallClock(wall::get);
        start(agg);
        feed(rec(RedoOp.INSERT, A, 9137521, "2014-06-21 18:10:14", true));
        wall.addAndGet(59_000); // idle batches only: less than a minute of quiet
        feed();
        assertTrue(ReportFile.open(home, "EXT1").lines().stream().noneMatch(l -> l.contains("OGG-01027")));
        synchronized (step) {
            caughtUp = false; // a backlog being read: its records' own times count, not the time spent reading it
            wall.addAndGet(2_000);
        }
        feed();
        assertTrue(ReportFile.open(home, "EXT1").lines().stream().noneMatch(l -> l.contains("OGG-01027")));
        caughtUp = true;
        feed();
        assertTrue(ReportFile.open(home, "EXT1").lines().stream().anyMatch(l -> l.contains("WARNING OGG-01027  Long Running "
                + "Transaction: XID 10.16.1533, Items 1,")), ReportFile.open(home, "EXT1").lines().toString());
    }

    @Test
    void longTransactionsAreReportedAndShowSkipForceWorkOverTheControlChannel() throws Exception {
        TransactionAggregator agg = new TransactionAggregator();
        agg.setGroup("EXT1");
        agg.setHome(home.toString());
        agg.setBrOff(true); // no trail producer in this route: with BR on the extract would refuse to start
        agg.setWarnLongTrans("5M");
        agg.setCheckInterval("5M");
        start(agg);
        assertTrue(Files.exists(PidFile.pathOf(home, "EXT1")));
        assertTrue(PidFile.controlPort(home, "EXT1").isPresent());

        feed(rec(RedoOp.INSERT, A, 9137521, "2014-06-21 18:10:14", true),
                rec(RedoOp.INSERT, A, 9137522, "2014-06-21 18:10:14", false),
                rec(RedoOp.INSERT, A, 9137523, "2014-06-21 18:10:15", false));
        feed(rec(RedoOp.INSERT, B, 9137600, "2014-06-21 18:16:00", true));

        Result show = ggsci("send extract EXT1, showtrans");
        assertEquals(0, show.rc, show.out);
        String expected = """

                Sending SHOWTRANS request to EXTRACT EXT1 ...

                Oldest redo log file necessary to restart Extract is:

                Redo Log Sequence Number 14878, RBA 116752

                ------------------------------------------------------------
                XID:                  10.16.1533
                Items:                3
                Extract:              EXT1
                Redo Thread:          1
                Start Time:           2014-06-21:18:10:14
                SCN:                  0.9137521 (9137521)
                Redo Seq:             14878
                Redo RBA:             116752
                Status:               Running

                ------------------------------------------------------------
                XID:                  10.17.1
                """;
        assertTrue(show.out.startsWith(expected), show.out);
        assertTrue(ggsci("send ext1 showtrans 10.17.1").out.contains("XID:                  10.17.1\n"));
        assertFalse(ggsci("send ext1 showtrans 10.17.1").out.contains("10.16.1533\n"));
        // DURATION by record time as of the newest record read (18:16:00): A is 5m46s old, B new; TABULAR as a table
        Result tab = ggsci("send extract EXT1, showtrans duration 5 min tabular");
        assertEquals(0, tab.rc, tab.out);
        assertTrue(tab.out.endsWith("""
                Redo Log Sequence Number 14878, RBA 116752

                XID                  Items      Extract  Redo Thread Start Time          SCN                      Redo Seq   Redo RBA     Status
                10.16.1533           3          EXT1     1           2014-06-21:18:10:14 0.9137521 (9137521)      14878      116752       Running

                """), tab.out);
        assertTrue(ggsci("send extract EXT1, showtrans duration 6 m").out.contains("No transactions found."));
        assertTrue(ggsci("send extract EXT1, showtrans duration 1 fortnight").out.contains(
                "ERROR: SHOWTRANS DURATION unit 'fortnight': S, M, H or D (SEC, MIN, HOUR, DAY)"));

        // 18:17:42: the first check interval (5M of record time) has passed and A is older than WARNLONGTRANS 5M
        feed(rec(RedoOp.INSERT, Xid.parse("1.1.1"), 9137700, "2014-06-21 18:17:42", true),
                rec(RedoOp.COMMIT, Xid.parse("1.1.1"), 9137701, "2014-06-21 18:17:42", false));
        // 18:27:41: A again (summarised by OGG-01971), B now old too
        feed(rec(RedoOp.INSERT, Xid.parse("1.1.2"), 9138688, "2014-06-21 18:27:41", true),
                rec(RedoOp.COMMIT, Xid.parse("1.1.2"), 9138689, "2014-06-21 18:27:41", false));
        List<String> rpt = ReportFile.open(home, "EXT1").lines().stream().filter(l -> !l.contains("OGG-0099")).toList();
        assertEquals(3, rpt.size(), String.join("\n", rpt));
        assertTrue(rpt.get(0).endsWith("  WARNING OGG-01027  Long Running Transaction: XID 10.16.1533, Items 3, Extract EXT1, "
                + "Redo Thread 1, SCN 0.9137521 (9137521), Redo Seq #14878, Redo RBA 116752."), rpt.get(0));
        assertTrue(rpt.get(1).endsWith("  INFO    OGG-01971  The previous message, 'WARNING OGG-01027', repeated 1 times."), rpt.get(1));
        assertTrue(rpt.get(2).contains("WARNING OGG-01027  Long Running Transaction: XID 10.17.1, Items 1,"), rpt.get(2));

        // SKIPTRANS only skips the oldest transaction unless FORCE
        Result notOldest = ggsci("send extract EXT1, skiptrans 10.17.1");
        assertEquals(1, notOldest.rc, notOldest.out);
        assertTrue(notOldest.out.contains("ERROR: Transaction 10.17.1 is not the oldest open transaction (the oldest is 10.16.1533)"),
                notOldest.out);
        Result unknown = ggsci("send extract EXT1, skiptrans 9.9.9");
        assertTrue(unknown.out.contains("ERROR: Transaction 9.9.9 not found"), unknown.out);

        // FORCETRANS: A goes to the trail at the next batch, as committed at the current SCN
        int before = written.size();
        Result forced = ggsci("send extract EXT1, forcetrans 10.16.1533");
        assertEquals(0, forced.rc, forced.out);
        assertTrue(forced.out.contains("Transaction [XID 10.16.1533, Redo Thread 1, Start Time 2014-06-21:18:10:14, Items 3] "
                + "forced to trail as committed at CSN 0.9138689 (9138689)."), forced.out);
        feed();
        List<Transaction> after = written.subList(before, written.size());
        assertEquals(1, after.size());
        assertEquals(A, after.get(0).xid());
        assertEquals(3, after.get(0).size());
        assertEquals(9138689, after.get(0).csn().value());
        // its late changes and COMMIT are ignored: no duplicate, no abend
        feed(rec(RedoOp.INSERT, A, 9138700, "2014-06-21 18:28:00", false), rec(RedoOp.COMMIT, A, 9138701, "2014-06-21 18:28:00", false));
        assertEquals(before + 1, written.size());

        // now B is the oldest: SKIPTRANS discards it, its COMMIT later writes nothing
        Result skipped = ggsci("send extract EXT1, skiptrans 10.17.1");
        assertEquals(0, skipped.rc, skipped.out);
        assertTrue(skipped.out.contains("Transaction [XID 10.17.1, Redo Thread 1, Start Time 2014-06-21:18:16:00, Items 1] skipped."),
                skipped.out);
        feed(rec(RedoOp.INSERT, B, 9138800, "2014-06-21 18:29:00", false), rec(RedoOp.COMMIT, B, 9138801, "2014-06-21 18:29:00", false));
        assertEquals(before + 1, written.size());
        assertTrue(ggsci("send extract EXT1, showtrans").out.contains("No transactions found."));
        assertTrue(ReportFile.open(home, "EXT1").lines().stream().anyMatch(l -> l.contains("OGG-01021  Command received from GGSCI: "
                + "SKIPTRANS 10.17.1. Transaction [XID 10.17.1")));
        assertTrue(ggsci("send extract EXT1, status").out.contains("Current status:"));

        // both decisions survive a restart that re-reads the redo: a fresh aggregator on this home ignores them
        String ignoreFile = Files.readString(home.resolve("dirchk/EXT1.ignore"));
        assertTrue(ignoreFile.contains("10.16.1533") && ignoreFile.contains("10.17.1"), ignoreFile);
        TransactionAggregator restarted = new TransactionAggregator();
        restarted.setGroup("EXT1");
        restarted.setHome(home.toString());
        restarted.setBrOff(true);
        org.apache.camel.Exchange ex = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        List<RedoRecord> reread = List.of(rec(RedoOp.INSERT, A, 9138700, "2014-06-21 18:28:00", true),
                rec(RedoOp.COMMIT, A, 9138701, "2014-06-21 18:28:00", false),
                rec(RedoOp.INSERT, B, 9138800, "2014-06-21 18:29:00", true),
                rec(RedoOp.COMMIT, B, 9138801, "2014-06-21 18:29:00", false));
        RedoRecord last = reread.get(reread.size() - 1);
        ex.getMessage().setBody(new io.redotrail.redo.RedoBatch(reread, java.util.Map.of(1,
                new io.redotrail.checkpoint.CheckpointPoint(last.next(), last.scn(), last.timestampMillis(), last.redoFile()))));
        restarted.process(ex);
        assertTrue(ex.getMessage().getBody(List.class).isEmpty(), "a forced or skipped transaction is not written again");

        // stopped: no listener any more
        GroupRuntimes.of(camel, home, "EXT1").stopped();
        assertTrue(PidFile.read(PidFile.pathOf(home, "EXT1")).orElseThrow().stopped(), "pid file marked stopped");
        assertFalse(Files.exists(PidFile.controlPathOf(home, "EXT1")));
        Result down = ggsci("send extract EXT1, showtrans");
        assertEquals(1, down.rc);
        assertEquals("ERROR: EXTRACT EXT1 not currently running.\n", down.out);
    }

    @Test
    void skipTransForceSkipsAnyTransactionAndDurationsAreValidated() throws Exception {
        TransactionAggregator agg = new TransactionAggregator();
        agg.setGroup("EXT1");
        agg.setHome(home.toString());
        agg.setBrOff(true); // no trail producer in this route: with BR on the extract would refuse to start
        assertThrows(IllegalArgumentException.class, () -> agg.setWarnLongTrans("soon"));
        assertThrows(IllegalArgumentException.class, () -> agg.setCheckInterval("0M"));
        start(agg);
        feed(rec(RedoOp.INSERT, A, 100, "2014-06-21 18:10:14", true), rec(RedoOp.INSERT, B, 101, "2014-06-21 18:10:15", true));
        Result r = ggsci("send extract EXT1, skiptrans 10.17.1 force");
        assertEquals(0, r.rc, r.out);
        feed(rec(RedoOp.COMMIT, B, 102, "2014-06-21 18:10:16", false), rec(RedoOp.COMMIT, A, 103, "2014-06-21 18:10:16", false));
        assertEquals(List.of(A), written.stream().map(Transaction::xid).toList());
        assertTrue(ReportFile.open(home, "EXT1").lines().stream().noneMatch(l -> l.contains("OGG-01027")),
                "nothing is older than the default WARNLONGTRANS 1H");
    }
}
