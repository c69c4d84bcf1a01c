package io.redotrail.trail.remote;

import io.redotrail.core.TrailPosition;
import io.redotrail.net.FrameCodec;
import io.redotrail.net.Link;
import io.redotrail.net.LinkOptions;
import io.redotrail.net.LinkSockets;
import io.redotrail.report.ControlServer;
import io.redotrail.trail.RowRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A "collector" that answers HELLO with a well-formed (CRC-valid) frame the protocol does not expect there, over
 * real loopback TCP: the pump's sink retries it as TCPERRS EPROTO says and then abends naming the peer and the
 * frame type; a later connection that answers READY is used; an ERROR frame (a refusal) abends at once, no retry.
 * The Manager is a real control server whose COLLECTOR reply is the stray's port.
 */
class RemoteProtocolErrorsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ControlServer manager;
    private ServerSocket stray;
    private Thread strayThread;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Serves each connection: reads HELLO, answers with {@code answer.apply(n)} (n = 1 for the first connection). */
    private RemoteTrailSink sink(String tcperrs, IntFunction<FrameCodec.Frame> answer) throws IOException {
        stray = LinkSockets.listen(LOOPBACK, List.of(), LinkOptions.DEFAULT);
        strayThread = new Thread(() -> {
            while (!stray.isClosed()) {
                try (Socket s = stray.accept(); Link l = new Link(s, "pump", LinkOptions.DEFAULT)) {
                    assertEquals(RemoteProtocol.HELLO, l.receive().type());
                    FrameCodec.Frame f = answer.apply(connections.incrementAndGet());
                    l.send(f.type(), f.payload());
                    l.flush();
                    if (f.type() == RemoteProtocol.READY) l.receive(); // the pump's first COMMIT, or its close
                } catch (IOException e) {
                    // the pump closed the connection: the next one, if any
                }
            }
        }, "stray-collector");
        strayThread.setDaemon(true);
        strayThread.start();
        manager = new ControlServer("MANAGER", LOOPBACK, 0, verb -> !verb.equals("COLLECTOR") ? null
                : (v, a) -> Integer.toString(stray.getLocalPort()), true);
        RemoteTrailSink.Target t = new RemoteTrailSink.Target("127.0.0.1", manager.port(), "./dirdat/ha", "PUMP1", 1 << 20, 30);
        return RemoteTrailSink.open(t, null, LinkOptions.DEFAULT, TcpErrors.parse(tcperrs), new RemoteTrailSink.Listener() {
            @Override
            public void event(String severity, String id, String text) {
                events.add(severity + " " + id + " " + text);
            }

            @Override
            public void status(String text) {
            }
        }, new RowRecords.Encoder(null));
    }

    private static FrameCodec.Frame frame(int type, byte[] payload) {
        return new FrameCodec.Frame(type, payload, 0);
    }

    private static FrameCodec.Frame ack() {
        return frame(RemoteProtocol.ACK, new RemoteProtocol.State(TrailPosition.START, io.redotrail.core.Scn.ZERO, List.of()).encode());
    }

    @AfterEach
    void stop() throws IOException {
        if (manager != null) manager.close();
        if (stray != null) stray.close();
    }

    @Test
    void anUnexpectedFrameIsRetriedAsTcperrsEprotoSaysThenAbendsNamingPeerAndType() throws Exception {
        RemoteTrailSink sink = sink("EPROTO RETRY 1 2", n -> ack());
        RemoteTrailSink.RemoteTrailException e = assertThrows(RemoteTrailSink.RemoteTrailException.class, sink::connect);
        String port = Integer.toString(stray.getLocalPort());
        assertTrue(e.getMessage().startsWith("OGG-01232 Receive TCP params error: TCP/IP error 71 (Protocol error), endpoint: 127.0.0.1:" + port)
                && e.getMessage().contains("collector 127.0.0.1:" + port + " sent message type 5 instead of READY (2)")
                && e.getMessage().endsWith("2 retries used up (TCPERRS EPROTO)"), e.getMessage());
        assertEquals(3, connections.get(), "the first attempt and two retries");
        assertEquals(2, events.stream().filter(x -> x.startsWith("WARNING OGG-01232") && x.contains("71 (Protocol error)")).count(),
                events.toString());
        assertTrue(sink.failed());
    }

    @Test
    void aRetryThatMeetsARealCollectorConnects() throws Exception {
        RemoteTrailSink sink = sink("EPROTO RETRY 1 5", n -> n == 1 ? ack() : frame(RemoteProtocol.READY,
                new RemoteProtocol.Ready(new RemoteProtocol.State(TrailPosition.START, io.redotrail.core.Scn.ZERO, List.of()), null, true).encode()));
        sink.connect();
        assertTrue(sink.opened());
        assertEquals(2, connections.get());
        assertTrue(sink.status().contains(": connected to 127.0.0.1:" + stray.getLocalPort()), sink.status());
        sink.close();
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        RemoteTrailSink sink = sink("EPROTO RETRY 1 5", n -> frame(RemoteProtocol.ERROR,
                RemoteProtocol.text("trail ./dirdat/ha is written by PUMP2, not by PUMP1")));
        RemoteTrailSink.RemoteTrailException e = assertThrows(RemoteTrailSink.RemoteTrailException.class, sink::connect);
        assertTrue(e.getMessage().contains("refused: trail ./dirdat/ha is written by PUMP2, not by PUMP1"), e.getMessage());
        assertEquals(1, connections.get());
        assertEquals(new ArrayList<String>(), events.stream().filter(x -> x.startsWith("WARNING")).toList());
    }

    @Test
    void aCollectorOfAnotherProtocolVersionAbendsThePumpAtOnceNamingBothVersions() throws Exception {
        // what a version-1 collector answers a version-2 HELLO: an ERROR, before anything is written
        RemoteTrailSink sink = sink("EPROTO RETRY 1 5", n -> frame(RemoteProtocol.ERROR,
                RemoteProtocol.text("pump PUMP1 speaks protocol version 2, this collector 1")));
        RemoteTrailSink.RemoteTrailException e = assertThrows(RemoteTrailSink.RemoteTrailException.class, sink::connect);
        assertTrue(e.getMessage().startsWith("OGG-01232 Receive TCP params error: the collector for ./dirdat/ha at collector 127.0.0.1:"
                + stray.getLocalPort() + " refused: pump PUMP1 speaks protocol version 2, this collector 1"), e.getMessage());
        assertEquals(1, connections.get(), "a refusal is not retried");
        assertTrue(sink.failed());
    }
}
