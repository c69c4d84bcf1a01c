package io.redotrail.it.net;

import io.redotrail.it.net.FaultProxy.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault proxy against real echo servers on 127.0.0.2, through the NAT trick (the proxy on 127.0.0.3, same
 * ports): without faults every byte passes unchanged on two ports at once; each kind of fault happens as the peer
 * sees it (EOF, "Connection reset", bytes late, a stream in many reads, one direction silent, refused connections)
 * and is counted; a seeded chaos run of every kind never alters a byte of a completed echo.
 */
class FaultProxyIT {
    private static final InetAddress TARGET = address("127.0.0.2");
    private static final InetAddress PROXY = address("127.0.0.3");

    private EchoServer echo;
    private EchoServer echo2;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer(new InetSocketAddress(TARGET, 0));
        echo2 = new EchoServer(new InetSocketAddress(TARGET, 0));
        proxy = FaultProxy.nat(12, PROXY, TARGET, echo.port(), echo2.port());
    }

    @AfterEach
    void stop() throws IOException {
        System.out.println(proxy.journal());
        proxy.close();
        echo.close();
        echo2.close();
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(PROXY, port), 5_000);
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void withoutFaultsBytesPassUnchangedOnEveryPort() throws Exception {
        byte[] a = EchoServer.payload(1, 3 << 20);
        byte[] b = EchoServer.payload(2, 1 << 20);
        try (Socket s1 = connect(echo.port()); Socket s2 = connect(echo2.port())) {
            byte[][] back = new byte[2][];
            Thread t = new Thread(() -> {
                try {
                    back[1] = EchoServer.roundTrip(s2, b);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            back[0] = EchoServer.roundTrip(s1, a);
            t.join();
            assertArrayEquals(a, back[0]);
            assertArrayEquals(b, back[1]);
        }
        assertEquals(a.length, echo.received());
        assertEquals(b.length, echo2.received());
        assertEquals(a.length + b.length, proxy.bytes(true));
        assertEquals(0, proxy.total(), proxy.journal());
        assertEquals(2, proxy.accepted());
    }

    @Test
    void dropEndsTheConnectionWithAFin() throws Exception {
        assertFalse(proxy.inject(Fault.DROP), "no connection to drop");
        try (Socket s = connect(echo.port())) {
            assertArrayEquals(EchoServer.payload(3, 100), EchoServer.roundTrip(s, EchoServer.payload(3, 100)));
            assertTrue(proxy.inject(Fault.DROP));
            assertEquals(-1, s.getInputStream().read(), "EOF after the drop");
        }
        assertEquals(1, proxy.count(Fault.DROP));
        assertEquals(1, proxy.total());
    }

    @Test
    void resetEndsTheConnectionWithAnRst() throws Exception {
        try (Socket s = connect(echo.port())) {
            EchoServer.roundTrip(s, EchoServer.payload(4, 100));
            assertTrue(proxy.inject(Fault.RESET));
            SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().read());
            assertTrue(e.getMessage().contains("reset"), e.toString());
        }
        assertEquals(1, proxy.count(Fault.RESET));
    }

    @Test
    void stallHoldsTheBytesAndKeepsTheConnection() throws Exception {
        try (Socket s = connect(echo.port())) {
            EchoServer.roundTrip(s, EchoServer.payload(5, 100));
            assertEquals(1, proxy.stallAll(Duration.ofMillis(1500)));
            long t0 = System.nanoTime();
            byte[] data = EchoServer.payload(6, 5000);
            assertArrayEquals(data, EchoServer.roundTrip(s, data));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1300, "the echo came back after " + ms + " ms, inside the stall");
            assertArrayEquals(data, EchoServer.roundTrip(s, data), "the same connection works after the stall");
        }
        assertEquals(1, proxy.count(Fault.STALL));
        assertEquals(1, proxy.accepted());
    }

    @Test
    void splitCutsTheStreamAtRandomBoundariesUnchanged() throws Exception {
        try (Socket s = connect(echo.port())) {
            EchoServer.roundTrip(s, EchoServer.payload(7, 100));
            int readsBefore = echo.reads();
            assertEquals(1, proxy.splitAll(Duration.ofSeconds(30)));
            byte[] data = EchoServer.payload(8, 8192);
            assertArrayEquals(data, EchoServer.roundTrip(s, data));
            int reads = echo.reads() - readsBefore;
            assertTrue(reads >= 10, "8192 bytes in pieces of at most 97 bytes with pauses reached the server in " + reads + " reads");
        }
        assertEquals(1, proxy.count(Fault.SPLIT), proxy.journal());
    }

    @Test
    void halfOpenSilencesOneDirectionOnlyThenTheConnectionEnds() throws Exception {
        try (Socket s = connect(echo.port())) {
            EchoServer.roundTrip(s, EchoServer.payload(9, 100));
            assertEquals(1, proxy.halfOpenAll(false, Duration.ofSeconds(3)));
            s.setSoTimeout(800);
            s.getOutputStream().write(EchoServer.payload(10, 1000));
            await("the server to receive the 1000 bytes", Duration.ofSeconds(10), () -> echo.received() == 1100, () -> echo.received() + " bytes");
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "no echo comes back");
            s.setSoTimeout(20_000);
            assertEquals(-1, s.getInputStream().read(), "the proxy closes the half-open connection");
        }
        try (Socket s = connect(echo2.port())) {
            EchoServer.roundTrip(s, EchoServer.payload(11, 100));
            assertEquals(1, proxy.halfOpenAll(true, Duration.ofSeconds(2)));
            s.setSoTimeout(800);
            s.getOutputStream().write(EchoServer.payload(12, 1000));
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            assertEquals(100, echo2.received(), "nothing reached the server");
        }
        assertEquals(2, proxy.count(Fault.HALF_OPEN));
    }

    @Test
    void stormRefusesTheNextConnections() throws Exception {
        proxy.storm(3);
        for (int i = 0; i < 3; i++) {
            // closed at once: EOF, or an RST seen at connect or at the first read
            try (Socket s = connect(i % 2 == 0 ? echo.port() : echo2.port())) {
                assertEquals(-1, s.getInputStream().read(), "connection " + i + " closed at once");
            } catch (SocketException e) {
                assertTrue(e.getMessage().contains("reset"), e.toString());
            }
        }
        try (Socket s = connect(echo.port())) {
            byte[] data = EchoServer.payload(13, 1000);
            assertArrayEquals(data, EchoServer.roundTrip(s, data), "the storm is over");
        }
        assertEquals(1, proxy.count(Fault.STORM));
        assertEquals(3, proxy.stormVictims());
        assertEquals(1, echo.connections() + echo2.connections(), "no refused connection reached a server");
    }

    /** Seeded chaos of every kind under a client that reconnects: each kind at least twice; completed echoes exact. */
    @Test
    void chaosOfEveryKindNeverAltersAByte() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger exact = new AtomicInteger();
        AtomicInteger broken = new AtomicInteger();
        List<String> wrong = new ArrayList<>();
        Thread client = new Thread(() -> {
            for (int i = 0; !done.get(); i++) {
                try (Socket s = connect(i % 2 == 0 ? echo.port() : echo2.port())) {
                    for (int j = 0; !done.get() && j < 50; j++) {
                        byte[] data = EchoServer.payload(i * 100L + j, 1 + (i * 7919 + j * 104729) % 20_000);
                        byte[] back = EchoServer.roundTrip(s, data);
                        if (back.length < data.length) break; // the connection ended: reconnect
                        if (Arrays.equals(data, back)) exact.incrementAndGet();
                        else wrong.add("connection " + i + " echo " + j);
                    }
                } catch (IOException e) {
                    broken.incrementAndGet();
                }
            }
        });
        client.start();
        proxy.chaos(Duration.ofMillis(50), Duration.ofMillis(300), List.of(Fault.values()), done::get);
        try {
            await("every kind of fault twice", Duration.ofSeconds(120),
                    () -> proxy.counts().values().stream().allMatch(n -> n >= 2), proxy::journal);
        } finally {
            done.set(true);
            client.join(30_000);
        }
        assertTrue(wrong.isEmpty(), "altered echoes: " + wrong);
        assertTrue(exact.get() >= 20, exact + " exact echoes");
        assertTrue(proxy.accepted() > 5, "the client reconnected: " + proxy.accepted());
        System.out.println(exact + " exact echoes, " + broken + " broken connections, " + proxy.counts());
    }

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
