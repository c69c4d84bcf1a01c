package io.redotrail.trail.remote;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.net.FrameCodec;
import io.redotrail.net.Link;
import io.redotrail.net.LinkOptions;
import io.redotrail.net.LinkSockets;
import io.redotrail.net.compress.Compression;
import io.redotrail.net.compress.CompressionOptions;
import io.redotrail.report.ControlServer;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailTestData;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pump's remote sink against real collector sessions over loopback TCP, in this JVM: the COLLECTOR request is
 * answered by a control server that runs a {@link CollectorSession} on a thread instead of a JVM (TwoHostsIT runs
 * the real processes). The remote trail holds exactly what was sent, a transaction larger than a chunk streams
 * into a file of its own, a new connection skips what the trail holds, and a damaged record or a transaction the
 * trail already holds is refused with an ERROR naming the peer and byte, nothing of it written.
 */
class RemoteTrailTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path home;

    private ControlServer manager;
    private final List<CompletableFuture<CollectorSession.Result>> sessions = new ArrayList<>();

    private ControlServer manager() throws IOException {
        manager = new ControlServer("MANAGER", LOOPBACK, 0, verb -> !verb.equals("COLLECTOR") ? null : (v, a) -> {
            ServerSocket ss = LinkSockets.listen(LOOPBACK, List.of(), LinkOptions.DEFAULT);
            CompletableFuture<CollectorSession.Result> f = CompletableFuture.supplyAsync(() -> {
                try (ss; Socket s = LinkSockets.accept(ss, LinkOptions.DEFAULT);
                     Link link = new Link(s, "pump " + s.getRemoteSocketAddress(), LinkOptions.DEFAULT)) {
                    return new CollectorSession(home, a.get(0), link).run(10_000);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            sessions.add(f);
            return Integer.toString(ss.getLocalPort());
        }, true);
        return manager;
    }

    @AfterEach
    void stop() {
        if (manager != null) manager.close();
    }

    private final List<String> events = new ArrayList<>();

    private RemoteTrailSink open(TrailPosition durable, long maxFileBytes) {
        return open(durable, maxFileBytes, LinkOptions.DEFAULT);
    }

    private RemoteTrailSink open(TrailPosition durable, long maxFileBytes, LinkOptions options) {
        RemoteTrailSink.Target t = new RemoteTrailSink.Target("127.0.0.1", manager.port(), "./dirdat/ha", "PUMP1", maxFileBytes, 30);
        RemoteTrailSink sink = RemoteTrailSink.open(t, durable, options, TcpErrors.parse("ECONNRESET RETRY 1 3"), new RemoteTrailSink.Listener() {
            @Override
            public void event(String severity, String id, String text) {
                events.add(severity + " " + id + " " + text);
            }

            @Override
            public void status(String text) {
            }
        }, new RowRecords.Encoder(null));
        sink.connect(); // open only makes the sink: the pump's reading loop connects it
        return sink;
    }

    /** A spilled transaction as the pump's reader hands it on: iterated, never held as a list. */
    private static Transaction streamed(long n, int rows) {
        Transaction shape = TrailTestData.tx(n, 1);
        StreamedChanges changes = new StreamedChanges() {
            @Override
            public Iterator<RowChange> iterator() {
                return new Iterator<>() {
                    int i;

                    public boolean hasNext() {
                        return i < rows;
                    }

                    public RowChange next() {
                        return TrailTestData.insert(n * 1_000_000 + i, "streamed row " + i++ + " of " + n);
                    }
                };
            }

            @Override
            public int size() {
                return rows;
            }
        };
        return new Transaction(shape.xid(), shape.csn(), shape.commitTimestampMillis(), shape.thread(), changes, shape.startPosition());
    }

    private List<Transaction> readAll() {
        List<Transaction> out = new ArrayList<>();
        try (TrailReader r = new TrailReader(home.resolve("dirdat/ha"), TrailPosition.START)) {
            for (List<Transaction> b = r.poll(1 << 20); !b.isEmpty(); b = r.poll(1 << 20)) out.addAll(b);
        }
        return out;
    }

    @Test
    void theRemoteTrailHoldsWhatWasSentAndABigTransactionStreamsIntoAFileOfItsOwn() throws Exception {
        manager();
        List<Transaction> first = TrailTestData.txs(1, 40, 3);
        Transaction big = streamed(40, 30_000); // about 1.5 MB: several RECORDS chunks
        List<Transaction> after = TrailTestData.txs(41, 60, 2);
        AtomicLong counted = new AtomicLong();
        try (RemoteTrailSink sink = open(null, 256 * 1024)) {
            assertTrue(sink.newTrail());
            sink.append(first, c -> counted.incrementAndGet());
            sink.append(List.of(big), c -> counted.incrementAndGet());
            sink.append(after, c -> counted.incrementAndGet());
            assertEquals(Scn.of(1059), sink.lastCsn());
            assertTrue(sink.status().contains("connected to 127.0.0.1:"), sink.status());
        }
        assertEquals(39 * 3 + 30_000 + 19 * 2, counted.get(), "each change counted once, after the acknowledgement");
        CollectorSession.Result r = sessions.get(0).get(30, TimeUnit.SECONDS);
        assertEquals(3, r.batches());
        assertEquals(59, r.transactions());
        List<Transaction> got = readAll();
        assertEquals(59, got.size());
        for (int i = 0; i < 39; i++) TrailTestData.assertSameTx(first.get(i), got.get(i));
        Transaction b = got.get(39);
        assertEquals(big.xid(), b.xid());
        assertEquals(30_000, b.changes().size());
        assertEquals(TrailTestData.insert(40_000_000 + 29_999, "streamed row 29999 of 40"), b.changes().get(29_999));
        assertTrue(got.get(38).trailEnd().seqno() < b.trailStart().seqno(), "the streamed transaction starts a file of its own: "
                + got.get(38).trailEnd() + " / " + b.trailStart());
        for (int i = 0; i < 19; i++) TrailTestData.assertSameTx(after.get(i), got.get(40 + i));
    }

    @Test
    void aBatchTravelsInMessagesOfManyTransactionsSoCompressWorksOnTransactionsBelowTheThreshold() throws Exception {
        manager();
        List<Transaction> txs = TrailTestData.txs(1, 301, 3); // each a few hundred bytes: below COMPRESSTHRESHOLD 1000
        LinkOptions lz4 = LinkOptions.DEFAULT.withCompression(new CompressionOptions(Compression.LZ4, CompressionOptions.DEFAULT_THRESHOLD), null);
        try (RemoteTrailSink sink = open(null, 64 << 20, lz4)) {
            sink.append(txs, c -> { });
            long[] bytes = sink.bytesSent();
            assertTrue(bytes[1] * 3 < bytes[0], "one message of 300 transactions compresses better than 3:1: " + bytes[0] + " -> " + bytes[1]);
        }
        List<Transaction> got = readAll();
        assertEquals(300, got.size());
        for (int i = 0; i < 300; i++) TrailTestData.assertSameTx(txs.get(i), got.get(i));
    }

    @Test
    void aNewConnectionSkipsWhatTheTrailHolds() throws Exception {
        manager();
        List<Transaction> a = TrailTestData.txs(1, 20, 2);
        TrailPosition durable;
        try (RemoteTrailSink sink = open(null, 1 << 20)) {
            sink.append(a, c -> { });
            durable = sink.position();
        }
        // the pump restarts from an older read checkpoint: it re-reads a, then b follows
        List<Transaction> b = TrailTestData.txs(20, 30, 2);
        try (RemoteTrailSink sink = open(durable, 1 << 20)) {
            assertEquals(durable, sink.position());
            assertFalse(sink.newTrail());
            for (Transaction t : a) assertTrue(sink.alreadyWritten(t), t.xid().toString());
            List<Transaction> all = new ArrayList<>(a);
            all.addAll(b);
            sink.append(all, c -> { }); // the sink itself sends only what the trail lacks
        }
        List<Transaction> got = readAll();
        assertEquals(29, got.size());
        assertEquals(29, got.stream().map(Transaction::xid).distinct().count(), "each transaction once");
    }

    @Test
    void aDamagedRecordIsRefusedNamingThePeerAndByteAndNothingOfTheBatchStays() throws Exception {
        RawPump p = RawPump.connect(home);
        p.link().send(RemoteProtocol.RECORDS, RawPump.records(RemoteProtocol.FIRST | RemoteProtocol.LAST, TrailTestData.tx(1, 2)));
        byte[] bad = RawPump.records(RemoteProtocol.FIRST | RemoteProtocol.LAST, TrailTestData.tx(2, 3));
        bad[bad.length - 20] ^= 0x01; // inside the last record's body: its CRC no longer matches
        p.link().send(RemoteProtocol.RECORDS, bad);
        p.link().send(RemoteProtocol.COMMIT, RemoteProtocol.count(2));
        p.link().flush();
        String why = p.refusal();
        assertTrue(why.contains("from pump 127.0.0.1:raw at byte ") && why.contains("CRC-32C mismatch in the record at payload byte"), why);
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ha"), "PUMP1", 1 << 20)) {
            assertEquals(Scn.ZERO, w.lastCsn(), "the batch was never acknowledged: recovery cut all of it");
        }
    }

    @Test
    void aTransactionTheTrailHoldsIsRefused() throws Exception {
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ha"), "PUMP1", 1 << 20)) {
            w.append(TrailTestData.txs(1, 5, 1));
        }
        RawPump p = RawPump.connect(home);
        p.link().send(RemoteProtocol.RECORDS, RawPump.records(RemoteProtocol.FIRST | RemoteProtocol.LAST, TrailTestData.tx(3, 1)));
        p.link().send(RemoteProtocol.COMMIT, RemoteProtocol.count(1));
        p.link().flush();
        String why = p.refusal();
        assertTrue(why.contains("is already in the trail") && why.contains("the pump must skip it"), why);
    }

    @Test
    void aSecondPumpOnTheSameRemoteTrailIsRefused() throws Exception {
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ha"), "PUMP2", 1 << 20)) {
            w.append(TrailTestData.txs(1, 5, 1));
        }
        manager();
        RemoteTrailSink.RemoteTrailException e = assertThrows(RemoteTrailSink.RemoteTrailException.class, () -> open(null, 1 << 20));
        assertTrue(e.getMessage().startsWith("OGG-01232") && e.getMessage().contains("trail ./dirdat/ha is written by PUMP2, not by PUMP1"),
                e.getMessage());
    }

    @Test
    void aCommitThatMiscountsIsRefused() throws Exception {
        RawPump p = RawPump.connect(home);
        p.link().send(RemoteProtocol.RECORDS, RawPump.records(RemoteProtocol.FIRST | RemoteProtocol.LAST, TrailTestData.tx(1, 2)));
        p.link().send(RemoteProtocol.COMMIT, RemoteProtocol.count(2));
        p.link().flush();
        assertTrue(p.refusal().contains("COMMIT announces 2 transactions, 1 were sent"));
    }

    @Test
    void aRefusedConnectionIsRetriedAsTcperrsSaysThenTheSinkFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        RemoteTrailSink.Target t = new RemoteTrailSink.Target("127.0.0.1", port, "./dirdat/ha", "PUMP1", 1 << 20, 5);
        List<String> statuses = new ArrayList<>();
        RemoteTrailSink.RemoteTrailException e = assertThrows(RemoteTrailSink.RemoteTrailException.class,
                () -> RemoteTrailSink.open(t, null, LinkOptions.DEFAULT, TcpErrors.parse("ECONNREFUSED RETRY 1 3"), new RemoteTrailSink.Listener() {
                    @Override
                    public void event(String severity, String id, String text) {
                        events.add(severity + " " + id + " " + text);
                    }

                    @Override
                    public void status(String text) {
                        statuses.add(text);
                    }
                }, new RowRecords.Encoder(null)).connect());
        assertTrue(e.getMessage().startsWith("OGG-01224 TCP/IP error 111 (Connection refused), endpoint: 127.0.0.1:" + port)
                && e.getMessage().contains("3 retries used up (TCPERRS ECONNREFUSED)"), e.getMessage());
        assertEquals(3, events.stream().filter(x -> x.startsWith("WARNING OGG-01224 TCP/IP error 111 (Connection refused)")).count(), events.toString());
        assertTrue(statuses.stream().anyMatch(x -> x.contains("retrying since") && x.contains("attempt 3 of 3")), statuses.toString());
    }
}
