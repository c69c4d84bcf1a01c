package io.redotrail.it.net;

import io.redotrail.it.ItSupport;
import io.redotrail.it.ItJvms;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItJvms.killMinus9;

/**
 * kill -9 loops on the two-host path while workloads play: {@value #ROUNDS} rounds, each killing the collector, the
 * pump (its Manager restarts it) and the target Manager (restarted by the test; in every other round its collector
 * is killed too while no Manager listens, so the pump must retry refused connections until the new Manager
 * answers), each at a seeded random moment, each followed by recovery: a new process, and the remote trail
 * growing again. Then the workload drains: source = target row for row, the remote trail holds each transaction
 * of the local trail exactly once.
 */
class KillLoopIT {
    static final long SEED = Long.getLong("redotrail.it.killLoopSeed", 20261213L);
    static final int ROUNDS = 3;

    @Test
    void collectorPumpAndTargetManagerKilledAgainAndAgain() throws Exception {
        TwoHomes h = new TwoHomes("KillLoopIT", null);
        int mgrPort = TwoHomes.freePort();
        h.firstPlay(300, SEED, true);
        h.addGroups("PUMP1", "RMTHOST 127.0.0.1, MGRPORT " + mgrPort + ", TIMEOUT 5");
        h.mgrPrm(h.target, "PORT " + mgrPort + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");
        h.mgrPrm(h.source, "PORT " + TwoHomes.freePort() + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 50, WAITSECONDS 0\n");

        Random random = new Random(SEED);
        AtomicBoolean playing = new AtomicBoolean(true);
        CompletableFuture<Void> player = null;
        try {
            h.startManagers("--set", "redotrail.pump.tcpErrors=" + TwoHomes.TCPERRS);
            long pump = h.source.awaitRunning("PUMP1", -1);
            long collector = h.target.awaitCollector("ha", -1);
            h.awaitApplied(h.lastCsn(), Host.WAIT);

            player = CompletableFuture.runAsync(() -> {
                for (int i = 1; playing.get(); i++) {
                    h.play(150, SEED + i);
                    ItSupport.sleep(300);
                }
            });
            for (int round = 1; round <= ROUNDS; round++) {
                pause(random);
                log(round, "kill -9 collector " + collector);
                killMinus9(collector);
                collector = h.target.awaitCollector("ha", collector);
                awaitGrowth(h, "after the collector's kill");

                pause(random);
                log(round, "kill -9 PUMP1 " + pump);
                killMinus9(pump);
                pump = h.source.awaitRunning("PUMP1", pump);
                collector = h.target.awaitCollector("ha", collector);
                awaitGrowth(h, "after the pump's kill");

                pause(random);
                int refused = Host.count(h.source.ggserr(), "OGG-01224");
                log(round, "kill -9 target Manager " + h.target.manager().pid() + (round % 2 == 1 ? " and collector " + collector : ""));
                h.target.killManager();
                if (round % 2 == 1) {
                    killMinus9(collector);
                    await("PUMP1 to retry a refused connection (no Manager listens)", Host.WAIT,
                            () -> Host.count(h.source.ggserr(), "OGG-01224") > refused, h::state);
                    h.target.startManager();
                } else {
                    h.target.startManager();
                    killMinus9(collector); // the new Manager must start the next collector
                }
                collector = h.target.awaitCollector("ha", collector);
                awaitGrowth(h, "after the target Manager's kill");
            }
            playing.set(false);
            player.get(5, TimeUnit.MINUTES);
            h.awaitApplied(h.lastCsn(), Host.WAIT);
            h.verify();
        } catch (Throwable e) {
            e.addSuppressed(new AssertionError(h.state()));
            throw e;
        } finally {
            playing.set(false);
            if (player != null) player.get(5, TimeUnit.MINUTES);
            h.cleanUp();
        }
    }

    private static void pause(Random random) {
        ItSupport.sleep(200 + random.nextInt(800)); // a seeded moment, most likely mid-batch
    }

    private static void awaitGrowth(TwoHomes h, String what) {
        long before = h.remoteTrailBytes();
        await("the remote trail to grow " + what, Host.WAIT, () -> h.remoteTrailBytes() > before, h::state);
    }

    private static void log(int round, String what) {
        System.out.println(java.time.LocalTime.now() + " round " + round + ": " + what);
    }
}
