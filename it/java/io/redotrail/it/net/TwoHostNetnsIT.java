package io.redotrail.it.net;

import io.redotrail.it.ItSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 000's two hosts as two network namespaces joined by a veth pair: the source host 10.230.51.142 runs its
 * Manager, EXT1 and the pump PUMHA, whose parameter file says what the seed's says
 * ({@code rmthost 10.230.51.143, mgrport 7809, compress}); the target host 10.230.51.143 runs its Manager on
 * port 7809 (LISTENADDRESS 10.230.51.143: a Manager binds 127.0.0.1 unless told), the collector it starts and
 * REP1. The groups are added with GGSCI on their own hosts. The only way between the homes' programs is the
 * veth (the homes share the file system, but nothing in the source home names the target home). Workloads play
 * into the source; at the end source = target row for row and the remote trail holds each transaction once.
 */
class TwoHostNetnsIT {
    static final long SEED = 20261214L;

    @Test
    void seed000sPumpSendsToAnotherHost() throws Exception {
        try (Netns netns = Netns.create()) {
            TwoHomes h = new TwoHomes("TwoHostNetnsIT", netns);
            try {
                h.firstPlay(300, SEED, false); // REP1 in the target namespace owns the target database
                h.addGroups("PUMHA", "rmthost " + Netns.TARGET_ADDRESS + ", mgrport 7809, compress");
                h.mgrPrm(h.target, "PORT 7809\nLISTENADDRESS " + Netns.TARGET_ADDRESS + "\nAUTOSTART ER *\n");
                h.mgrPrm(h.source, "PORT 7809\nAUTOSTART ER *\n"); // the same port on another host
                h.target.startManager();
                h.source.startManager();
                h.source.awaitRunning("PUMHA", -1);
                long collector = h.target.awaitCollector("ha", -1);
                for (int i = 1; i <= 3; i++) h.plays.add(ItSupport.play(h.s, 300, SEED + i));
                h.awaitAppliedByFiles(h.lastCsn(), Host.WAIT);
                String ggsci = h.source.ggsci("info all").output();
                assertTrue(ggsci.contains("PUMHA"), ggsci);
                assertTrue(Host.alive(collector), "one collector served the whole run");
                h.verify();
            } catch (Throwable e) {
                e.addSuppressed(new AssertionError(h.state()));
                throw e;
            } finally {
                h.cleanUp();
            }
        }
    }
}
