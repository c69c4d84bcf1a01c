package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.cli.CliAccess;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.pump.TablePatterns;
import io.redotrail.trail.TrailFiles;
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
import java.util.stream.LongStream;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItReadBack.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill test of PURGEOLDEXTRACTS: the real pipeline ({@code redotrail run}: extract writing ex, the pump
 * reading ex and writing ha, the Replicat reading ha) in its own JVM is killed with SIGKILL mid-trail, again and
 * again, while a workload plays and the Manager in another JVM purges every second (MINKEEPFILES 1). After each
 * kill, once the purge has caught up, the trail files are exactly those from the slowest reader's checkpoint (or
 * the writer's) to the newest: everything a reader finished is gone; and every transaction a reader still needs
 * by the data is in its trail's files: not applied to the target (above its checkpoint-table LOG_CSN) for ha, not
 * yet in ha for ex, judged against the source's redo, not against any checkpoint file. After every
 * restart the pipeline reads on: at the end the target equals the source and LOG_CSN is the last commit.
 */
class PurgeKillIT {
    private static final long SEED = 20261202L;
    private static final int KILLS = 4;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path home;

    @Test
    void theManagerNeverPurgesWhatAKilledReaderStillNeeds() throws Exception {
        Settings s = settings(home, "redotrail.extract.megabytes", "1", "redotrail.pump.megabytes", "1",
                "redotrail.workload.lobRatio", "0.005");
        Path log = PROJECT.resolve("target/it-logs/PurgeKillIT-run.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        List<CliAccess.Played> plays = new ArrayList<>();
        plays.add(play(s, 1500, 301)); // also creates the home layout and the target tables
        // this JVM keeps source and target open (H2 AUTO_SERVER), as a real database outlives the killed process
        java.sql.Connection targetServer = target(s);
        java.sql.Connection sourceServer = java.sql.DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(home), "sa", "");
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\n"
                + "PURGEOLDEXTRACTS ./dirdat/*, USECHECKPOINTS, MINKEEPFILES 1, FREQUENCYSECONDS 1\n");
        Random random = new Random(SEED);
        String[] props = {"redotrail.extract.megabytes=1", "redotrail.pump.megabytes=1"};
        try (ManagerJvm mgr = ManagerJvm.start(home, "PurgeKillIT", false)) {
            CompletableFuture<List<CliAccess.Played>> player = CompletableFuture.supplyAsync(() -> {
                List<CliAccess.Played> l = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    l.add(play(s, 800, 400 + i));
                    sleep(1500);
                }
                return l;
            });
            Process child = startRunJvm(home, log, props);
            for (int k = 1; k <= KILLS; k++) {
                assertTrue(awaitLogCount(log, "RedoConsumer - Extract EXT1 thread 1: ", k, Duration.ofSeconds(60)),
                        "run JVM start " + k + " never reached the extract; see " + log);
                Process running = child;
                await("REP1's first checkpoint file", WAIT, () -> Files.exists(CheckpointFile.replicatFile(home, "REP1")),
                        () -> "run alive " + running.isAlive());
                sleep(1000 + random.nextInt(2000));
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "killed child did not exit");
                assertEquals(137, child.exitValue(), "child must die of SIGKILL");
                assertPurgedExactlyToTheReaders(s, k);
                assertUnappliedTransactionsKept(s, k); // after the purge caught up: what it deleted is final
                child = startRunJvm(home, log, props);
            }
            plays.addAll(player.get(5, TimeUnit.MINUTES));
            long last = plays.stream().mapToLong(CliAccess.Played::lastSelectedCsn).max().orElseThrow();
            Process running = child;
            await("the restarted run JVM to apply CSN " + last, Duration.ofSeconds(180), () -> {
                assertTrue(running.isAlive(), "run JVM exited; log " + log);
                return logCsn(s) >= last;
            }, () -> "LOG_CSN " + logCsn(s));
            child.destroy();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "run JVM did not stop on SIGTERM");
            assertEquals(0, mgr.terminate(WAIT));
        }
        assertFalse(Files.readString(log).contains("ABENDING"), "the run JVM abended; see " + log);
        targetServer.close();
        sourceServer.close();
        assertIdentical(s);
        assertEquals(readRedo(home).lastCsn(), logCsn(s), "LOG_CSN = last committed CSN: nothing lost");
        String ggserr = Files.readString(home.resolve("ggserr.log"));
        assertTrue(ggserr.contains("Purged old extract file './dirdat/ex000000000'"), ggserr);
        assertTrue(ggserr.contains("Purged old extract file './dirdat/ha000000000'"), ggserr);
        System.out.println("ex files " + Arrays.toString(trailSeqnos(home, "ex")) + ", ha files " + Arrays.toString(trailSeqnos(home, "ha")));
    }

    /**
     * With the pipeline dead its checkpoints are frozen: waits until the Manager's purge has caught up, then the
     * files left are exactly [first needed .. newest] for both trails, and the Replicat's checkpoint-table position
     * (its restart point) is among them.
     */
    private void assertPurgedExactlyToTheReaders(Settings s, int kill) {
        ProcessCheckpoint ext = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow();
        ProcessCheckpoint pump = new CheckpointFile(CheckpointFile.extractFile(home, "PUMP1")).read().orElseThrow();
        ProcessCheckpoint rep = new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).read().orElseThrow();
        long exNeeded = Math.min(pump.trailRead().current().seqno(), writeSeqno(ext));
        long haNeeded = Math.min(rep.trailRead().current().seqno(), writeSeqno(pump));
        await("kill " + kill + ": purge caught up with the readers (ex from " + exNeeded + ", ha from " + haNeeded + ")", WAIT,
                () -> exact("ex", exNeeded) && exact("ha", haNeeded),
                () -> "ex " + Arrays.toString(trailSeqnos(home, "ex")) + ", ha " + Arrays.toString(trailSeqnos(home, "ha")));
        long repTable = checkpointRow(s).orElseThrow().position().seqno();
        assertTrue(Files.exists(trailFile(home, "ha", repTable)), "the Replicat restarts in ha" + repTable + ": kept");
        System.out.println("kill " + kill + ": ex " + Arrays.toString(trailSeqnos(home, "ex")) + " (PUMP1 reads "
                + pump.trailRead().current() + "), ha " + Arrays.toString(trailSeqnos(home, "ha")) + " (REP1 .cpr "
                + rep.trailRead().current() + ", table seqno " + repTable + ")");
    }

    /**
     * What the data says is still needed, computed without the checkpoint files (so a checkpoint that claims too
     * much and a purge that follows it cannot cancel out): ha must still hold every transaction the target has not
     * applied (CSN above its LOG_CSN, committed with the data) up to the last one ha holds complete; ex every one
     * ha does not hold yet, up to the last one ex holds complete (the rest the extract captures again from the
     * redo). Which transactions exist, and which tables they touch, comes from the source's redo, read back here.
     */
    private void assertUnappliedTransactionsKept(Settings s, int kill) {
        RedoScan redo = readRedo(home);
        TablePatterns selected = TablePatterns.parse(s.get("redotrail.pump.tables"));
        long applied = logCsn(s);
        long inHa = lastCompleteCsn("ha");
        assertHeld(kill, "ha", applied, inHa, redo, selected);
        assertHeld(kill, "ex", inHa, lastCompleteCsn("ex"), redo, selected);
    }

    private long lastCompleteCsn(String prefix) {
        TrailFiles.LastComplete last = TrailFiles.lastComplete(home.resolve("dirdat").resolve(prefix));
        return last == null ? 0 : last.csn().value();
    }

    /** The trail's files, from the oldest left, hold every selected redo commit with {@code done < CSN <= upTo}. */
    private void assertHeld(int kill, String prefix, long done, long upTo, RedoScan redo, TablePatterns selected) {
        List<Long> needed = redo.commits().stream().filter(c -> c.csn() > done && c.csn() <= upTo)
                .filter(c -> redo.tables().getOrDefault(c.xid(), java.util.Set.of()).stream().anyMatch(selected::matches))
                .map(Commit::csn).toList();
        long[] files = trailSeqnos(home, prefix);
        java.util.Set<Long> held = new java.util.HashSet<>();
        if (files.length > 0) {
            for (Transaction t : readTrail(home.resolve("dirdat").resolve(prefix), new TrailPosition(files[0], 0))) {
                held.add(t.csn().value());
            }
        }
        List<Long> lost = needed.stream().filter(c -> !held.contains(c)).toList();
        assertTrue(lost.isEmpty(), "kill " + kill + ": " + prefix + " files " + Arrays.toString(files) + " no longer hold "
                + lost.size() + " transactions their reader still needs (CSN " + done + " applied downstream), e.g. CSN "
                + lost.stream().limit(5).toList());
        System.out.println("kill " + kill + ": " + prefix + " holds all " + needed.size() + " transactions after CSN " + done);
    }

    private static long writeSeqno(ProcessCheckpoint cp) {
        return cp.writes().stream().mapToLong((WriteCheckpoint w) -> w.position().seqno()).min().orElse(Long.MAX_VALUE);
    }

    /** The trail's files are exactly {@code from} .. its newest (the newest is never purged). */
    private boolean exact(String prefix, long from) {
        long[] have = trailSeqnos(home, prefix);
        if (have.length == 0) return false;
        long newest = have[have.length - 1];
        return Arrays.equals(have, LongStream.rangeClosed(Math.min(from, newest), newest).toArray());
    }
}
