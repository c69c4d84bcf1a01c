package io.redotrail.trail.remote;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.Transaction;
import io.redotrail.net.FrameCodec;
import io.redotrail.net.Link;
import io.redotrail.net.LinkOptions;
import io.redotrail.net.LinkSockets;
import io.redotrail.trail.RowRecords;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A raw pump for collector tests: a real {@link CollectorSession} for ./dirdat/ha in {@code home} on a thread, over
 * loopback TCP; the test sends HELLO (or {@link #connect} does) and then whatever frames it means to test.
 */
record RawPump(Link link, CompletableFuture<CollectorSession.Result> session) {
    /** The collector names this pump so in its errors. */
    static final String PEER = "pump 127.0.0.1:raw";

    /** Connected, HELLO of this protocol version sent and READY received. */
    static RawPump connect(Path home) throws IOException {
        RawPump p = open(home);
        p.hello(RemoteProtocol.VERSION);
        assertEquals(RemoteProtocol.READY, p.link().receive().type());
        return p;
    }

    /** Connected; nothing sent yet. */
    static RawPump open(Path home) throws IOException {
        ServerSocket ss = LinkSockets.listen(InetAddress.getLoopbackAddress(), List.of(), LinkOptions.DEFAULT);
        CompletableFuture<CollectorSession.Result> f = CompletableFuture.supplyAsync(() -> {
            try (ss; Socket s = LinkSockets.accept(ss, LinkOptions.DEFAULT); Link l = new Link(s, PEER, LinkOptions.DEFAULT)) {
                return new CollectorSession(home, "./dirdat/ha", l).run(10_000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Link link = new Link(LinkSockets.connect("127.0.0.1", ss.getLocalPort(), LinkOptions.DEFAULT.withTimeout(30_000)),
                "collector", LinkOptions.DEFAULT);
        return new RawPump(link, f);
    }

    void hello(int version) throws IOException {
        link.send(RemoteProtocol.HELLO, new RemoteProtocol.Hello(version, "PUMP1", "./dirdat/ha", 1 << 20, null).encode());
        link.flush();
    }

    /** Stream offset of the next frame this pump sends: the byte the collector names in its errors. */
    long nextFrameAt() {
        return link.codec().writeOffset();
    }

    /** A RECORDS payload: {@code flags}, then every ROW record of {@code txs} as the trail holds them. */
    static byte[] records(int flags, Transaction... txs) {
        BinaryWriter w = new BinaryWriter();
        w.u8(flags);
        for (Transaction tx : txs) RowRecords.writeTransaction(w, tx);
        return w.toByteArray();
    }

    /** The collector's ERROR text; the session ended with the same message. */
    String refusal() throws Exception {
        FrameCodec.Frame f = link.receive();
        assertEquals(RemoteProtocol.ERROR, f.type());
        String why = RemoteProtocol.text(f, "collector");
        Exception e = assertThrows(Exception.class, () -> session.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains(why.substring(0, 30)), e.getCause().getMessage());
        return why;
    }
}
