package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.core.Transaction;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItReadBack.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability claim: {@code redotrail run} in its own JVM is killed with SIGKILL at random moments while
 * workloads are played into the same home, restarted each time, then left to catch up and stopped with
 * SIGTERM. Source = target row for row, LOG_CSN = last committed CSN, and every committed transaction is in
 * the trails exactly once.
 */
class KillIT {
    private static final long SEED = 20240521L;
    private static final int KILLS = 20; // issue 4: at least 20 kill -9 over one workload

    @TempDir
    Path home;

    @Test
    void killMinus9AtRandomMomentsLosesAndRepeatsNothing() throws Exception {
        String[] mb = {"redotrail.extract.megabytes", "1", "redotrail.pump.megabytes", "1", "redotrail.workload.lobRatio", "0.005"};
        Settings s = settings(home, mb);
        // kept after the test (the temp home is not): target/it-logs/KillIT-run.log
        Path log = PROJECT.resolve("target/it-logs/KillIT-run.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        List<CliAccess.Played> plays = new ArrayList<>();
        plays.add(play(s, 1000, 101)); // also creates the home layout and the target tables
        // The target database outlives the replicat, as a real one does: this JVM holds it open and so is its
        // H2 AUTO_SERVER; the run JVM connects over TCP, and SIGKILL drops its connection mid-transaction.
        java.sql.Connection targetServer = target(s);
        java.sql.Connection sourceServer = java.sql.DriverManager.getConnection(
                io.redotrail.sim.SourceDatabase.jdbcUrl(home), "sa", "");
        Random random = new Random(SEED);

        CompletableFuture<List<CliAccess.Played>> player = CompletableFuture.supplyAsync(() -> {
            List<CliAccess.Played> l = new ArrayList<>();
            // spread over roughly the time the 20 kill/restart cycles take, so most kills hit a running workload
            for (int i = 0; i < 20; i++) {
                l.add(play(s, 800, 200 + i));
                sleep(1500);
            }
            return l;
        });
        String[] props = {"redotrail.extract.megabytes=1", "redotrail.pump.megabytes=1"};
        Process child = startRunJvm(home, log, props);
        long t0 = System.nanoTime();
        List<String> moments = new ArrayList<>();
        for (int k = 1; k <= KILLS; k++) {
            long delay = 300 + random.nextInt(1701);
            // the delay counts from the moment the restarted extract began reading (JVM and Camel are up)
            // a bound on a JVM start, not a timing: a clean 2-core CI box with a second test JVM beside it can take 30 s
            assertTrue(awaitLogCount(log, "RedoConsumer - Extract EXT1 thread 1: ", k, Duration.ofSeconds(120)),
                    "run JVM start " + k + " never reached the extract; see " + log);
            sleep(delay);
            long csnBefore = logCsn(s);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "killed child did not exit");
            String m = String.format("kill %d: +%d ms after the extract (re)started, at %.1f s, exit %d, LOG_CSN %d, workload %s",
                    k, delay, (System.nanoTime() - t0) / 1e9, child.exitValue(), csnBefore,
                    player.isDone() ? "done" : "playing");
            moments.add(m);
            System.out.println(m);
            assertEquals(137, child.exitValue(), "child must die of SIGKILL (128+9)");
            child = startRunJvm(home, log, props);
        }
        plays.addAll(player.get(5, TimeUnit.MINUTES));
        long last = plays.stream().mapToLong(CliAccess.Played::lastSelectedCsn).max().orElseThrow();
        Process running = child;
        await("the restarted run JVM to apply CSN " + last, Duration.ofSeconds(180), () -> {
            assertTrue(running.isAlive(), "run JVM exited with " + (running.isAlive() ? "" : running.exitValue())
                    + "; log " + log);
            return logCsn(s) >= last;
        }, () -> "LOG_CSN " + logCsn(s));
        child.destroy(); // SIGTERM: graceful
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "run JVM did not stop on SIGTERM");
        System.out.println("kill moments (seed " + SEED + "):\n  " + String.join("\n  ", moments)
                + "\nrun JVM exit on SIGTERM: " + child.exitValue() + "; log " + log);
        String text = Files.readString(log);
        assertFalse(text.contains("ABENDED") || text.contains("ABENDING"), "the run JVM abended; see " + log);

        targetServer.close();
        sourceServer.close();
        assertIdentical(s);
        RedoScan redo = readRedo(home);
        long committed = plays.stream().mapToLong(p -> p.stats().committedTransactions()).sum();
        assertEquals(committed, redo.commits().size(), "committed transactions in the redo");
        assertEquals(redo.lastCsn(), logCsn(s), "GGADMIN.CHECKPOINT LOG_CSN of REP1 = last committed CSN");
        List<Transaction> ha = readTrail(home, "ha");
        System.out.println("ex files " + Arrays.toString(trailSeqnos(home, "ex")) + ", ha files "
                + Arrays.toString(trailSeqnos(home, "ha")));
        assertExactlyCommitted(ha, redo, "remote trail dirdat/ha");
        assertExactlyCommitted(readTrail(home, "ex"), redo, "local trail dirdat/ex");
        assertCsnOrder(ha, "remote trail dirdat/ha");
    }
}
