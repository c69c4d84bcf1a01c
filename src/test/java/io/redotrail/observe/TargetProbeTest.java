package io.redotrail.observe;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetProbeTest {
    @Test
    void aListeningHostIsReachableAClosedPortIsNot() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
            assertNull(TargetProbe.tcp("127.0.0.1", port).failure());
        }
        String failure = TargetProbe.tcp("127.0.0.1", port).failure(); // closed now: refused
        assertNotNull(failure);
        assertTrue(failure.startsWith("127.0.0.1:" + port + ": "), failure);
    }

    @Test
    void aResultIsKeptForAWhile() {
        AtomicLong clock = new AtomicLong(1_000_000);
        AtomicInteger probes = new AtomicInteger();
        TargetProbe p = new TargetProbe(clock::get) {
            @Override
            String probe() {
                return probes.incrementAndGet() % 2 == 1 ? "down" : null;
            }
        };
        assertEquals("down", p.failure());
        clock.addAndGet(TargetProbe.KEEP_MILLIS - 1);
        assertEquals("down", p.failure());
        assertEquals(1, probes.get());
        clock.addAndGet(1);
        assertNull(p.failure());
        assertEquals(2, probes.get());
    }
}
