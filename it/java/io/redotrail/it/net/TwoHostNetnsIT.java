package io.redotrail.it.net;

import io.redotrail.it.ItSupport;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 000's two hosts as two network namespaces joined by a veth pair: the source host 10.230.51.142 runs its
 * Manager, EXT1 and the pump PUMHA, whose parameter file has the seed's line
 * ({@code rmthost 10.230.51.143, mgrport 7809, compress}); the target host 10.230.51.143 runs its Manager on
 * port 7809 (LISTENADDRESS 10.230.51.143: a Manager binds 127.0.0.1 unless told), the collector it starts and
 * REP1. The groups are added with GGSCI on their own hosts; the only way between the homes' programs is the veth
 * (the homes share the file system, but nothing in the source home names the target home). While workloads play:
 * the cable is pulled for 2 s (TCP retransmits, nothing to notice), then for longer than the pump's TIMEOUT
 * (given to its Manager as --set: the seed's line stays as written): no FIN and no RST reach either side, the
 * pump times out and retries (network unreachable) until the cable is back, the Manager then replaces the
 * collector still waiting on the dead connection. At the end source = target row for row, the remote trail holds
 * each transaction of the local trail once.
 */
class TwoHostNetnsIT {
    static final long SEED = 20261214L;
    static final int TIMEOUT_SECONDS = 4;

    @Test
    void seed000sPumpSendsToAnotherHostAndSurvivesAPulledCable() throws Exception {
        try (Netns netns = Netns.create()) {
            TwoHomes h = new TwoHomes("TwoHostNetnsIT", netns);
            CompletableFuture<Void> player = null;
            try {
                h.firstPlay(300, SEED, false); // REP1 in the target namespace owns the target database
                h.addGroups("PUMHA", "rmthost " + Netns.TARGET_ADDRESS + ", mgrport 7809, compress");
                h.mgrPrm(h.target, "PORT 7809\nLISTENADDRESS " + Netns.TARGET_ADDRESS + "\nAUTOSTART ER *\n");
                h.mgrPrm(h.source, "PORT 7809\nAUTOSTART ER *\n"); // the same port on another host
                h.startManagers("--set", "redotrail.pump.rmtTimeout=" + TIMEOUT_SECONDS,
                        "--set", "redotrail.pump.tcpErrors=" + TwoHomes.TCPERRS);
                h.source.awaitRunning("PUMHA", -1);
                long collector = h.target.awaitCollector("ha", -1);
                h.play(300, SEED + 1);
                h.awaitAppliedByFiles(h.lastCsn(), Host.WAIT);
                assertTrue(h.source.ggserr().contains("Connected to " + Netns.TARGET_ADDRESS + ":7809 (collector port "), h.state());
                assertTrue(h.target.ggserr().contains("connected to pump at " + Netns.SOURCE_ADDRESS + ":"), h.state());

                // a short outage: TCP retransmits, the same collector serves on
                player = CompletableFuture.runAsync(() -> h.play(600, SEED + 2));
                netns.cable(false);
                ItSupport.sleep(2000);
                netns.cable(true);
                player.get(5, TimeUnit.MINUTES);
                h.awaitAppliedByFiles(h.lastCsn(), Host.WAIT);
                assertTrue(Host.alive(collector), "a 2 s outage needs no new collector");

                // an outage longer than TIMEOUT: the pump gives up on the connection and retries until the cable is back
                int timedOut = Host.count(h.source.ggserr(), "110 (Connection timed out)");
                player = CompletableFuture.runAsync(() -> h.play(600, SEED + 3));
                netns.cable(false);
                await("PUMHA to time out (TIMEOUT " + TIMEOUT_SECONDS + ")", Host.WAIT,
                        () -> Host.count(h.source.ggserr(), "110 (Connection timed out)") > timedOut, h::state);
                ItSupport.sleep(2000); // retrying into the unreachable network
                netns.cable(true);
                player.get(5, TimeUnit.MINUTES);
                long next = h.target.awaitCollector("ha", collector);
                await("the collector left on the dead connection to end", Host.WAIT, () -> !Host.alive(collector), h::state);
                h.play(300, SEED + 4);
                h.awaitAppliedByFiles(h.lastCsn(), Host.WAIT);
                assertTrue(Host.alive(next), "the new collector serves on");
                String ggsci = h.source.ggsci("info all").output();
                assertTrue(ggsci.contains("EXTRACT     RUNNING     PUMHA"), ggsci);
                assertFalse(h.source.ggserr().contains("ABEND"), h.state());
                h.verify();
            } catch (Throwable e) {
                e.addSuppressed(new AssertionError(h.state()));
                throw e;
            } finally {
                netns.cable(true);
                if (player != null) player.get(5, TimeUnit.MINUTES);
                h.cleanUp();
            }
        }
    }
}
