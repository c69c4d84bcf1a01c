package io.redotrail.it.net;

import io.redotrail.it.ItSupport;
import io.redotrail.it.net.FaultProxy.Fault;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pump-collector link through a hostile network: the target Manager listens on 127.0.0.2 (LISTENADDRESS) with
 * a DYNAMICPORTLIST for its collectors, the fault proxy listens on 127.0.0.3 on the same ports, the pump's RMTHOST
 * is 127.0.0.3: both the Manager request and the collector connection cross the proxy. While workloads play into
 * the source, at least {@value #FAULTS} faults of every kind (drop, reset, stall, split, half-open, reconnect
 * storm), in a seeded order, each followed by proof that data flows again (the remote trail grows). Then the
 * workload drains and source = target row for row, the remote trail holds each transaction of the local trail
 * exactly once. The fault journal goes to target/it-logs/LinkFaultIT-faults.log.
 */
class LinkFaultIT {
    static final long SEED = Long.getLong("redotrail.it.linkFaultSeed", 20261212L);
    static final int FAULTS = 50;
    private static final InetAddress MANAGER = address("127.0.0.2");
    private static final InetAddress PROXY = address("127.0.0.3");

    @Test
    void fiftyFaultsOfEveryKindLoseNothingAndDoubleNothing() throws Exception {
        // one transaction in 500 carries a 1 MB value: sent in several chunks, so faults also cut transactions
        TwoHomes h = new TwoHomes("LinkFaultIT", null, "redotrail.workload.lobRatio", "0.002");
        int mgrPort = TwoHomes.freePort(MANAGER, PROXY);
        List<Integer> ports = new ArrayList<>(List.of(mgrPort));
        while (ports.size() < 4) {
            int p = TwoHomes.freePort(MANAGER, PROXY);
            if (!ports.contains(p)) ports.add(p);
        }
        List<Integer> dynamic = ports.subList(1, 4);
        h.firstPlay(300, SEED, true);
        h.addGroups("PUMP1", "RMTHOST 127.0.0.3, MGRPORT " + mgrPort + ", TIMEOUT 3");
        h.mgrPrm(h.target, "PORT " + mgrPort + "\nLISTENADDRESS 127.0.0.2\nDYNAMICPORTLIST "
                + String.join(", ", dynamic.stream().map(String::valueOf).toList()) + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");
        h.mgrPrm(h.source, "PORT " + TwoHomes.freePort()
                + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");

        Random random = new Random(SEED);
        AtomicBoolean playing = new AtomicBoolean(true);
        CompletableFuture<Void> player = null;
        try (FaultProxy proxy = FaultProxy.nat(SEED, PROXY, MANAGER, ports.stream().mapToInt(Integer::intValue).toArray())) {
            try {
                // a half-open link outlasts the pump's TIMEOUT (3 s): the pump must notice it, the proxy never ends one itself;
                // a stall ends well within TIMEOUT
                proxy.range(Fault.STALL, 100, 1200).range(Fault.SPLIT, 500, 2000).range(Fault.HALF_OPEN, 7_000, 9_000);
                System.out.println("LinkFaultIT seed " + SEED + " (-Dredotrail.it.linkFaultSeed=N to replay another)");
                h.startManagers("--set", "redotrail.pump.tcpErrors=" + TwoHomes.TCPERRS);
                long pump = h.source.awaitRunning("PUMP1", -1);
                h.target.awaitCollector("ha", -1);
                h.awaitApplied(h.lastCsn(), Host.WAIT);

                player = CompletableFuture.runAsync(() -> {
                    for (int i = 1; playing.get(); i++) {
                        h.play(150, SEED + i);
                        ItSupport.sleep(300);
                    }
                });
                // every kind; those that keep the connection twice as often (they cost no new collector JVM)
                List<Fault> kinds = List.of(Fault.DROP, Fault.RESET, Fault.STALL, Fault.STALL, Fault.SPLIT, Fault.SPLIT,
                        Fault.HALF_OPEN, Fault.STORM);
                for (int i = 0; proxy.total() < FAULTS || proxy.counts().containsValue(0); i++) {
                    assertTrue(i < 2 * FAULTS, "faults that never took effect: " + proxy.journal());
                    long before = h.remoteTrailBytes();
                    Fault f = kinds.get(random.nextInt(kinds.size()));
                    ItSupport.sleep(50 + random.nextInt(250));
                    await("a connection to inject " + f + " into", Host.WAIT, () -> proxy.inject(f), h::state);
                    // recovery: the link delivers again (the remote trail grows: a batch acknowledged after the fault)
                    await("the remote trail to grow after " + f + " #" + (i + 1), Host.WAIT, () -> h.remoteTrailBytes() > before,
                            () -> proxy.journal() + h.state());
                }
                playing.set(false);
                player.get(5, TimeUnit.MINUTES);
                h.awaitApplied(h.lastCsn(), Host.WAIT);
                System.out.println("LinkFaultIT faults " + proxy.counts() + ", " + proxy.accepted() + " connections, half-open ones the proxy closed: "
                        + proxy.halfOpenUnnoticed());
                assertTrue(proxy.total() >= FAULTS, proxy.journal());
                for (Fault f : Fault.values()) assertTrue(proxy.count(f) > 0, f + " never took effect: " + proxy.counts());
                assertEquals(pump, h.source.status("PUMP1").pid(), "the pump rode out every fault without abending");
                // on a collector connection the pump's TIMEOUT ends a half-open link; a request to the Manager waits
                // at least 120 s for its reply by design (the Manager starts a collector JVM first): the proxy ends those
                List<String> unnoticed = proxy.halfOpenUnnoticed().stream().filter(r -> !r.endsWith(":" + mgrPort)).toList();
                assertEquals(List.of(), unnoticed, "half-open collector links the pump's TIMEOUT did not end:\n" + proxy.journal());
                h.verify();
            } catch (Throwable e) {
                e.addSuppressed(new AssertionError("fault journal:\n" + proxy.journal() + h.state()));
                throw e;
            } finally {
                playing.set(false);
                Files.writeString(h.source.log("faults").resolveSibling("LinkFaultIT-faults.log"), proxy.journal());
                if (player != null) player.get(5, TimeUnit.MINUTES);
                h.cleanUp();
            }
        }
    }

    static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
