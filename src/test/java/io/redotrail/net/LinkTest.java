package io.redotrail.net;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Over real loopback sockets: frames cross; a peer that stops reading or answering is a timeout, not a hang. */
class LinkTest {
    private static final LinkOptions TIMED = LinkOptions.DEFAULT.withTimeout(500);

    @Test
    void framesCrossAndAPeerThatStopsReadingIsATimeoutOfTheSender() throws Exception {
        try (ServerSocket ss = LinkSockets.listen(InetAddress.getLoopbackAddress(), List.of(), LinkOptions.DEFAULT);
             Link client = new Link(LinkSockets.connect("127.0.0.1", ss.getLocalPort(), TIMED), "collector test", TIMED);
             Socket server = LinkSockets.accept(ss, LinkOptions.DEFAULT);
             Link peer = new Link(server, "pump test", LinkOptions.DEFAULT)) {
            client.send(7, new byte[]{1, 2, 3});
            client.flush();
            FrameCodec.Frame f = peer.receive();
            assertEquals(7, f.type());
            assertEquals(3, f.payload().length);
            // the peer reads no more: the socket buffers fill, then the sender's write makes no progress
            byte[] chunk = new byte[1 << 20];
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 1000; i++) client.send(3, chunk);
                client.flush();
            });
            assertTrue(e instanceof SocketTimeoutException && e.getMessage().contains("no progress sending to collector test"), e.toString());
            assertTrue(System.nanoTime() - start < 30_000_000_000L, "ended by the watchdog, not by the buffers");
        }
    }

    @Test
    void noReplyWithinTheTimeoutIsASocketTimeout() throws Exception {
        try (ServerSocket ss = LinkSockets.listen(InetAddress.getLoopbackAddress(), List.of(), LinkOptions.DEFAULT);
             Link client = new Link(LinkSockets.connect("127.0.0.1", ss.getLocalPort(), TIMED), "collector test", TIMED);
             Socket ignored = LinkSockets.accept(ss, LinkOptions.DEFAULT)) {
            assertThrows(SocketTimeoutException.class, client::receive);
        }
    }

    @Test
    void dynamicPortListTakesTheFirstFreePortOrSaysNoneIsFree() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket taken = new ServerSocket(0, 1, lo)) {
            int busy = taken.getLocalPort();
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, lo)) {
                free = probe.getLocalPort();
            }
            try (ServerSocket s = LinkSockets.listen(lo, List.of(busy, free), LinkOptions.DEFAULT)) {
                assertEquals(free, s.getLocalPort());
            }
            java.net.BindException e = assertThrows(java.net.BindException.class, () -> LinkSockets.listen(lo, List.of(busy), LinkOptions.DEFAULT));
            assertTrue(e.getMessage().contains("no free port") && e.getMessage().contains("DYNAMICPORTLIST"), e.getMessage());
        }
    }
}
