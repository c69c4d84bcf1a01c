package io.redotrail.trail.remote;

import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.net.FrameCompression;
import io.redotrail.net.Link;
import io.redotrail.net.LinkOptions;
import io.redotrail.net.LinkSockets;
import io.redotrail.net.compress.Compression;
import io.redotrail.net.compress.CompressionCounters;
import io.redotrail.net.compress.CompressionOptions;
import io.redotrail.net.tls.KeyStoreSpec;
import io.redotrail.net.tls.SecurityDocStores;
import io.redotrail.net.tls.TlsLink;
import io.redotrail.net.tls.TlsSettings;
import io.redotrail.report.ControlServer;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The remote sink over TLS and COMPRESS against a collector session in this JVM (SecureLinkIT runs the processes):
 * what was sent is what the trail holds; a pump and a collector that disagree on TLS fail at once with RTR-01621; a
 * collector the pump does not trust abends it at once (TCPERRS TLSERROR), without retries.
 */
class RemoteTlsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static SecurityDocStores.Homes stores;
    @TempDir
    Path home;

    private ControlServer manager;
    private final List<CompletableFuture<Object>> sessions = new ArrayList<>();
    private final List<String> events = new ArrayList<>();

    @BeforeAll
    static void makeStores() throws Exception {
        stores = SecurityDocStores.shared();
    }

    private static TlsLink link(KeyStoreSpec key, Path trustHome) throws IOException {
        return TlsLink.create(new TlsSettings(key, SecurityDocStores.store(trustHome, "trust"), false));
    }

    /** A Manager whose COLLECTOR request runs a collector session with {@code options}, replying "port[ TLS]". */
    private ControlServer manager(LinkOptions options, boolean saysTls) throws IOException {
        manager = new ControlServer("MANAGER", LOOPBACK, 0, verb -> !verb.equals("COLLECTOR") ? null : (v, a) -> {
            ServerSocket ss = LinkSockets.listen(LOOPBACK, List.of(), options);
            sessions.add(CompletableFuture.supplyAsync(() -> {
                try (ss; Socket s = LinkSockets.accept(ss, options); Link link = new Link(s, "pump " + s.getRemoteSocketAddress(), options)) {
                    return new CollectorSession(home, a.get(0), link).run(10_000);
                } catch (IOException e) {
                    return e;
                }
            }));
            return ss.getLocalPort() + (saysTls ? " TLS" : "");
        }, true);
        return manager;
    }

    @AfterEach
    void stop() {
        if (manager != null) manager.close();
    }

    private RemoteTrailSink open(LinkOptions options) {
        RemoteTrailSink.Target t = new RemoteTrailSink.Target("127.0.0.1", manager.port(), "./dirdat/ha", "PUMP1", 1 << 20, 30);
        RemoteTrailSink sink = RemoteTrailSink.open(t, null, options, TcpErrors.parse("ECONNRESET RETRY 1 3; ECONNABORTED RETRY 1 3"),
                new RemoteTrailSink.Listener() {
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

    @Test
    void compressedTransactionsOverTlsReachTheTrailAsSent() throws Exception {
        manager(LinkOptions.DEFAULT.withTls(link(SecurityDocStores.store(stores.good(), "collector"), stores.good())), true);
        CompressionCounters counters = new CompressionCounters();
        LinkOptions pump = LinkOptions.DEFAULT.withCompression(new CompressionOptions(Compression.LZ4, 100), counters)
                .withTls(link(null, stores.good()));
        assertEquals(FrameCompression.LZ4, pump.compression());
        List<Transaction> sent = TrailTestData.txs(1, 200, 4);
        try (RemoteTrailSink sink = open(pump)) {
            sink.append(sent, c -> { });
        }
        List<Transaction> got = new ArrayList<>();
        try (TrailReader r = new TrailReader(home.resolve("dirdat/ha"), TrailPosition.START)) {
            for (List<Transaction> b = r.poll(1 << 20); !b.isEmpty(); b = r.poll(1 << 20)) got.addAll(b);
        }
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) TrailTestData.assertSameTx(sent.get(i), got.get(i));
        assertTrue(counters.compressedFrames() > 0 && counters.ratio() > 1.5, counters.summary());
        assertTrue(events.stream().anyMatch(e -> e.startsWith("INFO OGG-01229 Connected to 127.0.0.1:")), events.toString());
    }

    @Test
    void aPumpAndACollectorThatDisagreeOnTlsStopAtOnce() throws Exception {
        manager(LinkOptions.DEFAULT, true);
        RemoteTrailSink.RemoteTrailException plain = assertThrows(RemoteTrailSink.RemoteTrailException.class, () -> open(LinkOptions.DEFAULT));
        assertTrue(plain.getMessage().startsWith("OGG-01224 RTR-01621 the collector for ./dirdat/ha at 127.0.0.1 speaks TLS"), plain.getMessage());
        manager.close();

        manager(LinkOptions.DEFAULT, false);
        RemoteTrailSink.RemoteTrailException tls = assertThrows(RemoteTrailSink.RemoteTrailException.class,
                () -> open(LinkOptions.DEFAULT.withTls(link(null, stores.good()))));
        assertTrue(tls.getMessage().startsWith("OGG-01224 RTR-01621 this pump speaks TLS (RMTHOST ..., TLS) and the collector"), tls.getMessage());
        assertTrue(events.stream().noneMatch(e -> e.startsWith("WARNING")), "no retry: " + events);
    }

    @Test
    void anUntrustedCollectorAbendsThePumpWithoutRetries() throws Exception {
        manager(LinkOptions.DEFAULT.withTls(link(SecurityDocStores.store(stores.good(), "collector"), stores.good())), true);
        RemoteTrailSink.RemoteTrailException e = assertThrows(RemoteTrailSink.RemoteTrailException.class,
                () -> open(LinkOptions.DEFAULT.withTls(link(null, stores.rogue()))));
        assertTrue(e.getMessage().startsWith("OGG-01224 TCP/IP error TLSERROR, endpoint: 127.0.0.1:")
                && e.getMessage().contains("RTR-01615 the certificate of peer 127.0.0.1:")
                && e.getMessage().contains("is not trusted by trust store " + stores.rogue().resolve("dircrt/trust.p12")), e.getMessage());
        assertTrue(events.stream().noneMatch(x -> x.startsWith("WARNING")), "no retry: " + events);
        Object collector = sessions.get(0).get(30, TimeUnit.SECONDS);
        assertTrue(collector instanceof IOException, String.valueOf(collector));
    }
}
