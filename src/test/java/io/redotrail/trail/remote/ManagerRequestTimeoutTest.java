package io.redotrail.trail.remote;

import io.redotrail.report.ControlHandler;
import io.redotrail.report.ControlServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pump's COLLECTOR request is bounded by RMTHOST's TIMEOUT (1 s here), over real loopback TCP: a Manager that
 * accepts and never answers (a link that died half-open) ends the request after TIMEOUT, not after the collector
 * start allowance; a Manager that takes longer than TIMEOUT to start the collector but sends its blanks meanwhile
 * (a real control server with a {@link ControlHandler.Slow} handler) is waited for; the same slow answer without
 * blanks times out.
 */
class ManagerRequestTimeoutTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static RemoteTrailSink.Target target(int port) {
        return new RemoteTrailSink.Target("127.0.0.1", port, "./dirdat/ha", "PUMP1", 1 << 20, 1);
    }

    @Test
    void aManagerThatNeverAnswersEndsTheRequestAfterTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, LOOPBACK)) {
            Thread holder = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes(); // reads the request, answers nothing, until the pump closes
                } catch (Exception e) {
                    // the pump closed: done
                }
            });
            holder.setDaemon(true);
            holder.start();
            long t0 = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> ManagerRequest.collector(target(silent.getLocalPort())));
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertEquals("no reply from the Manager at 127.0.0.1:" + silent.getLocalPort() + " within TIMEOUT 1 s", e.getMessage());
            // TIMEOUT, not the 120 s allowed for a collector's start (a wide bound: only which of the two applies matters)
            assertTrue(seconds < 60, seconds + " s");
            assertEquals("ETIMEDOUT", TcpErrors.errorOf(e));
        }
    }

    @Test
    void aSlowCollectorStartIsWaitedForWhileTheManagerSendsItsBlanks() throws Exception {
        ControlHandler.Slow slow = (v, a, alive) -> {
            for (int i = 0; i < 15; i++) { // 3 s, three times TIMEOUT
                Thread.sleep(200);
                alive.run();
            }
            return "40123";
        };
        try (ControlServer manager = new ControlServer("MANAGER", LOOPBACK, 0, v -> slow, true)) {
            ManagerRequest.Collector c = ManagerRequest.collector(target(manager.port()));
            assertEquals(40123, c.port());
        }
        // the same answer without blanks: TIMEOUT ends the wait
        ControlHandler mute = (v, a) -> slow.handle(v, a, () -> { });
        try (ControlServer manager = new ControlServer("MANAGER", LOOPBACK, 0, v -> mute, true)) {
            assertThrows(SocketTimeoutException.class, () -> ManagerRequest.collector(target(manager.port())));
        }
    }

    @Test
    void aTrailOfAnotherPumpIsARefusalNotARetry() throws Exception {
        try (ControlServer manager = new ControlServer("MANAGER", LOOPBACK, 0, v -> (vv, a) ->
                "ERROR: RTR-01205 trail ./dirdat/ha is written by PUMP9, not by PUMP1", true)) {
            ManagerRequest.Refused r = assertThrows(ManagerRequest.Refused.class, () -> ManagerRequest.collector(target(manager.port())));
            assertTrue(r.getMessage().startsWith("RTR-01205 trail ./dirdat/ha is written by PUMP9"), r.getMessage());
        }
    }
}
