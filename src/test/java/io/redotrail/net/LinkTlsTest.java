package io.redotrail.net;

import io.redotrail.net.compress.CompressionCounters;
import io.redotrail.net.compress.CompressionOptions;
import io.redotrail.net.compress.CompressionTest;
import io.redotrail.net.tls.SecurityDocStores;
import io.redotrail.net.tls.TlsLink;
import io.redotrail.net.tls.TlsSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link's sockets with TLS (LinkSockets layers it): compressed frames cross; a stalled TLS peer is still a timeout. */
class LinkTlsTest {
    static LinkOptions server;
    static LinkOptions client;

    @BeforeAll
    static void stores() throws Exception {
        Path home = SecurityDocStores.shared().good();
        server = LinkOptions.DEFAULT.withTls(TlsLink.create(new TlsSettings(SecurityDocStores.store(home, "collector"),
                SecurityDocStores.store(home, "trust"), false)));
        client = LinkOptions.DEFAULT.withTimeout(500).withTls(TlsLink.create(new TlsSettings(null, SecurityDocStores.store(home, "trust"), false)));
    }

    @Test
    void compressedFramesCrossTlsAndAStalledPeerIsATimeoutOfTheSender() throws Exception {
        CountDownLatch stopReading = new CountDownLatch(1);
        try (ServerSocket ss = LinkSockets.listen(InetAddress.getLoopbackAddress(), List.of(), server)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = LinkSockets.accept(ss, server); Link peer = new Link(s, "pump test", server)) {
                    assertInstanceOf(SSLSocket.class, s);
                    byte[] payload = peer.receive().payload();
                    stopReading.await(60, TimeUnit.SECONDS); // reads nothing more until the sender gave up
                    return payload;
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            CompressionCounters counters = new CompressionCounters();
            LinkOptions compressed = client.withCompression(CompressionOptions.lz4(), counters);
            byte[] records = CompressionTest.trailRecords(200, 4);
            try (Link link = new Link(LinkSockets.connect("127.0.0.1", ss.getLocalPort(), compressed), "collector test", compressed)) {
                link.send(5, records);
                link.flush();
                byte[] chunk = new byte[1 << 20];
                new java.util.Random(2).nextBytes(chunk);
                long start = System.nanoTime();
                IOException e = assertThrows(IOException.class, () -> {
                    for (int i = 0; i < 1000; i++) link.send(3, chunk);
                    link.flush();
                });
                assertTrue(e instanceof SocketTimeoutException && e.getMessage().contains("no progress sending to collector test"), e.toString());
                assertTrue(System.nanoTime() - start < 30_000_000_000L, "ended by the watchdog, not by the buffers");
            } finally {
                stopReading.countDown();
            }
            assertArrayEquals(records, received.get(60, TimeUnit.SECONDS));
            assertEquals(1, counters.compressedFrames(), counters.summary());
        }
    }

    @Test
    void closingATlsLinkDoesNotWaitForAPeerThatStaysSilent() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LinkOptions untimed = LinkOptions.DEFAULT.withTls(client.tls()); // no TIMEOUT: a read would wait for ever
        try (ServerSocket ss = LinkSockets.listen(InetAddress.getLoopbackAddress(), List.of(), server)) {
            CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
                try (Socket s = LinkSockets.accept(ss, server)) {
                    release.await(60, TimeUnit.SECONDS); // neither reads nor closes
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Link link = new Link(LinkSockets.connect("127.0.0.1", ss.getLocalPort(), untimed), "collector test", untimed);
            link.send(1, new byte[]{1});
            link.flush();
            long start = System.nanoTime();
            link.close();
            long millis = (System.nanoTime() - start) / 1_000_000;
            release.countDown();
            peer.get(60, TimeUnit.SECONDS);
            assertTrue(millis < 10_000, "close took " + millis + " ms waiting for the peer's close_notify");
        }
    }
}
