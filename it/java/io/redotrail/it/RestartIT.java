package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.replicat.ReplicatApplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItReadBack.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful stop (Pipeline.close) while a workload is being played, restart, more workload, stop between plays,
 * restart and catch up: source = target, LOG_CSN = last committed CSN, and the replicat applied each committed
 * transaction once over all runs.
 */
class RestartIT {
    @TempDir
    Path home;

    @Test
    void stopAndRestartMidWorkloadNeitherLosesNorRepeats() throws Exception {
        // lobRatio: several 1 MB values (CLOB) cross the stop/restart end to end
        Settings s = settings(home, "redotrail.extract.megabytes", "1", "redotrail.pump.megabytes", "1",
                "redotrail.workload.lobRatio", "0.01");
        List<CliAccess.Played> plays = new ArrayList<>();
        List<Long> appliedPerRun = new ArrayList<>();
        plays.add(play(s, 500, 11));
        long firstLast = plays.get(0).lastSelectedCsn();

        // run 1: stopped while the second workload is being generated
        Pipeline p1 = Pipeline.start(s);
        ReplicatApplier r1 = replicat(p1);
        CompletableFuture<CliAccess.Played> second = CompletableFuture.supplyAsync(() -> play(s, 12_000, 12));
        await("replicat applying the second workload", Duration.ofSeconds(60),
                () -> logCsn(s) > firstLast || second.isDone(), () -> "LOG_CSN " + logCsn(s));
        boolean midPlay = !second.isDone();
        long csnAtStop = logCsn(s);
        p1.close();
        assertTrue(p1.abends().isEmpty(), "run 1 abended: " + abendMessages(p1));
        appliedPerRun.add(r1.getAppliedTransactions());
        System.out.printf("run 1 stopped %s at LOG_CSN %d after applying %d transactions%n",
                midPlay ? "while the second workload was playing" : "after the second workload", csnAtStop, r1.getAppliedTransactions());
        assertTrue(midPlay, "the second workload finished before the pipeline could be stopped in the middle of it");

        // run 2: restarted while that workload still plays; a third is played; stopped right after it
        Pipeline p2 = Pipeline.start(s);
        ReplicatApplier r2 = replicat(p2);
        plays.add(second.get());
        plays.add(play(s, 2000, 13));
        p2.close();
        assertTrue(p2.abends().isEmpty(), "run 2 abended: " + abendMessages(p2));
        appliedPerRun.add(r2.getAppliedTransactions());
        long csnAfterRun2 = logCsn(s);
        System.out.printf("run 2 stopped after the third workload at LOG_CSN %d after applying %d transactions%n",
                csnAfterRun2, r2.getAppliedTransactions());

        // while stopped, a fourth workload; run 3 must pick it up and catch up
        plays.add(play(s, 1000, 14));
        // run 3: catch up
        long last = plays.stream().mapToLong(CliAccess.Played::lastSelectedCsn).max().orElseThrow();
        Pipeline p3 = Pipeline.start(s);
        try (p3) {
            ReplicatApplier r3 = replicat(p3);
            awaitApplied(p3, s, last, Duration.ofSeconds(120));
            sleep(300); // anything applied twice would show up in the count
            appliedPerRun.add(r3.getAppliedTransactions());
        }
        System.out.println("applied per run: " + appliedPerRun);
        assertTrue(p3.abends().isEmpty(), "run 3 abended: " + abendMessages(p3));
        assertTrue(appliedPerRun.get(0) > 0 && appliedPerRun.get(2) > 0,
                "each stop must leave work for the next run, applied per run: " + appliedPerRun);

        assertIdentical(s);
        RedoScan redo = readRedo(home);
        long committed = plays.stream().mapToLong(p -> p.stats().committedTransactions()).sum();
        assertEquals(committed, redo.commits().size(), "committed transactions in the redo");
        assertEquals(committed, appliedPerRun.stream().mapToLong(Long::longValue).sum(),
                "transactions applied over the three runs (applied per run " + appliedPerRun + ") = committed");
        CheckpointTable.Row row = checkpointRow(s).orElseThrow(() -> new AssertionError("no REP1 checkpoint row"));
        assertEquals(redo.lastCsn(), row.logCsn().value(), "GGADMIN.CHECKPOINT LOG_CSN of REP1 = last committed CSN");
        assertEquals(last, redo.lastCsn(), "last committed CSN per the workloads and per the redo");
        assertExactlyCommitted(readTrail(home, "ex"), redo, "local trail dirdat/ex");
        assertExactlyCommitted(readTrail(home, "ha"), redo, "remote trail dirdat/ha");
    }
}
