package io.redotrail.trail.camel;

import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.GroupStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.redotrail.testutil.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stop of a pump that is waiting to reconnect to its remote host (nothing listens on its MGRPORT; TCPERRS
 * ECONNREFUSED every 60 s), in the one interleaving that once made it an abend: the CamelContext is stopping, the
 * pump's step sees that and gives up its wait, and its reading loop ends before the shutdown has reached the
 * pump's consumer (its doStop not yet run). A second route, stopped first (higher startup order), holds its
 * exchange until the pump's loop has ended, which forces that order. The group must end as a stop: no abend in the
 * context (the exit code of {@code process} comes from it), "stopped normally" in the report and ggserr.log,
 * STOPPED.
 */
class PumpStopWhileRetryingTest {
    @TempDir
    Path home;

    @Test
    void aStopReachingThePumpWhileItWaitsToReconnectIsAStopNotAnAbend() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort(); // closed again: no Manager there
        }
        Map<String, Throwable> abends = new ConcurrentHashMap<>();
        AtomicBoolean pumpLoopEndedFirst = new AtomicBoolean();
        AtomicBoolean holding = new AtomicBoolean();
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx).onAbend(abends::put);
        ctx.getShutdownStrategy().setTimeout(60);
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/ex?group=PUMP1&role=EXTRACT&idleDelay=5").routeId("pump").startupOrder(1)
                        .to("trail:dirdat/ha?group=PUMP1&trailType=RMTTRAIL&rmtHost=127.0.0.1&mgrPort=" + deadPort
                                + "&rmtTimeout=5&tcpErrors=RAW(ECONNREFUSED RETRY 6000 5)");
                // stopped before the pump: its exchange is in flight when the stop begins and ends only after the
                // pump's reading loop has ended, so the shutdown reaches the pump's consumer after that
                from("trail:dirdat/zz?group=HOLD1&idleDelay=5").routeId("holder").startupOrder(2).process(e -> {
                    holding.set(true);
                    while (!ctx.isStopping()) Thread.sleep(10);
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (pumpLoopRuns() && System.nanoTime() < deadline) Thread.sleep(10);
                    pumpLoopEndedFirst.set(!pumpLoopRuns());
                });
            }
        });
        ctx.start();
        Path rpt = home.resolve("dirrpt/PUMP1.rpt");
        try {
            assertEquals("RUNNING", GroupStatus.of(home, "PUMP1", null).status(), "the route is up while the target is down");
            await(() -> read(rpt).contains("retry 1 of 5 in 60.0 s"), "PUMP1 waiting for its first retry");
            String status = GroupRuntimes.of(ctx).find("PUMP1").orElseThrow().waiting();
            assertTrue(status.contains("trail ./dirdat/ha: retrying since "), status);
            // the stop must find the holder's exchange in flight: the pump can reach its first retry before the
            // holder's consumer delivered anything (0.17 s into a run on a loaded machine), and then nothing held
            await(holding::get, "the holder route's exchange in flight");
        } finally {
            ctx.stop();
        }
        assertTrue(pumpLoopEndedFirst.get(), "the pump's loop ended while the holder route held the shutdown");
        assertEquals(Map.of(), abends, "the context's abends, which bin/redotrail process's exit code comes from");
        String report = read(rpt);
        assertTrue(report.contains("EXTRACT PUMP1 stopped normally."), report);
        assertFalse(report.contains("OGG-01668"), report);
        String ggserr = read(home.resolve("ggserr.log"));
        assertTrue(ggserr.contains("EXTRACT PUMP1 stopped normally.") && !ggserr.contains("OGG-01668"), ggserr);
        assertEquals("STOPPED", GroupStatus.of(home, "PUMP1", null).status());
    }

    /** The pump's consumer thread is inside GroupConsumer's reading loop. */
    private static boolean pumpLoopRuns() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(t -> t.getKey().getName().contains("TrailConsumer[PUMP1]"))
                .anyMatch(t -> Arrays.stream(t.getValue()).anyMatch(f -> f.getClassName().equals("io.redotrail.camel.GroupConsumer")
                        && f.getMethodName().equals("loop")));
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
