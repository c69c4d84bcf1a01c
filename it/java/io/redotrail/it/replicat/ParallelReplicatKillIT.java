package io.redotrail.it.replicat;

import io.redotrail.bench.PrewrittenTrail;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a parallel Replicat (4 appliers, or in every third life from the second MIN/MAX_APPLY_PARALLELISM 1 and 6
 * with a step possible every 100 ms; COMMIT_SERIALIZATION chosen at random per life, 3 mapper threads
 * (MAP_PARALLELISM) in every other life, the first among them) on PostgreSQL
 * while it applies the demo workload (updates and deletes of rows inserted by earlier transactions: dependent
 * transactions spread over the appliers), 3 times, each after that life's first commit (the watermark or the _LOX rows moved) at a random moment, each time restarted; the last life runs to the end.
 * Then source = target row for row. A transaction applied twice would either fail (an insert's primary key:
 * the Replicat abends and the test sees it exit) or leave a difference the comparison finds; one lost would
 * leave a difference too. The checkpoint row holds the trail's last CSN and no _LOX row is left below it.
 */
class ParallelReplicatKillIT {
    static final int KILLS = Integer.getInteger("redotrail.it.parallelKills", 3);

    @Test
    void killNineWhileApplyingInParallelOnPostgreSQL() throws Exception {
        killLoopThenFinish(true);
    }

    /**
     * The same kill -9 loop, then the group finishes as a serial Replicat: from the low watermark, skipping what the
     * last parallel life's _LOX rows list above it (ParallelToSerialTest shows the keyless-row duplicate otherwise).
     */
    @Test
    void killNineInParallelThenFinishSeriallyOnPostgreSQL() throws Exception {
        killLoopThenFinish(false, false);
    }

    /**
     * SPLIT_TRANS_RECS 2 or 3 (or none), chosen at random per life: most of the workload's transactions are applied as
     * pieces committed on their own, and a restart meets the pieces an earlier life committed with other boundaries.
     * The last life is serial: it applies what the pieces left of a transaction.
     */
    @Test
    void killNineWhileApplyingSplitTransactionsThenFinishSeriallyOnPostgreSQL() throws Exception {
        killLoopThenFinish(false, true);
    }

    private void killLoopThenFinish(boolean finalParallel) throws Exception {
        killLoopThenFinish(finalParallel, false);
    }

    private void killLoopThenFinish(boolean finalParallel, boolean split) throws Exception {
        Path home = Files.createDirectories(ReplicatKillIT.PROJECT.resolve("target/it-parallel-kill/pg-" + System.currentTimeMillis()));
        String db = "rt_pkill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String pg = ReplicatKillIT.PG;
        try (Connection c = DriverManager.getConnection(pg + "test", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        try {
            run(home, pg + db, "postgres", finalParallel, split);
        } finally {
            try (Connection c = DriverManager.getConnection(pg + "test", "postgres", ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private void run(Path home, String url, String user, boolean finalParallel, boolean split) throws Exception {
        PrewrittenTrail.Contents trail = ReplicatKillIT.extend(home, url, user, Integer.getInteger("redotrail.it.parallelTransactions", 3_000), 17);
        Random rnd = new Random(Long.getLong("redotrail.it.seed", System.nanoTime()));
        Files.createDirectories(home.resolve("dirrpt"));
        List<String> history = new ArrayList<>();
        int kills = 0;
        int lives = 0;
        int maxDelay = 1000;
        long lastCsn = 0;
        long lastLox = 0;
        while (kills < KILLS) {
            assertTrue(lives < KILLS * 4, "too many lives without " + KILLS + " kills while applying: " + history);
            if (ReplicatKillIT.checkpointCsn(home, url, user).orElse(0L) >= trail.lastCsn()) {
                trail = ReplicatKillIT.extend(home, url, user, 3_000, 100 + lives);
                history.add("trail extended to CSN " + trail.lastCsn());
            }
            String serialization = rnd.nextBoolean() ? "FULL" : "DEPENDENT_TRANSACTIONS";
            Path lifeLog = home.resolve("dirrpt/replicat-life-" + (lives + 1) + ".log");
            int mappers = lives % 2 == 0 ? 3 : 1; // MAP_PARALLELISM: mapper threads in every other life
            // SPLIT_TRANS_RECS (0: not set): 2 in the first life, then 2, 3 or none, so boundaries change across restarts
            int splitRecs = !split ? 0 : lives == 0 ? 2 : new int[]{2, 3, 0}[rnd.nextInt(3)];
            // MIN/MAX_APPLY_PARALLELISM 1..6 in every third life, from the second: appliers added and retired while it applies
            boolean tuned = lives % 3 == 1;
            Process p = child(home, url, user, serialization, mappers, splitRecs, tuned, lifeLog);
            lives++;
            ReplicatKillIT.waitUntilReading(p, lifeLog);
            // observable progress first (the watermark or the _LOX rows moved), then a random moment: it is applying
            long t0 = System.nanoTime();
            while (ReplicatKillIT.checkpointCsn(home, url, user).orElse(0L) == lastCsn && loxRows(url, user) == lastLox) {
                assertTrue(p.isAlive(), "the replicat exited by itself, see " + lifeLog);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60), "no commit within 60 s, see " + lifeLog);
                Thread.sleep(20);
            }
            long delay = rnd.nextInt(maxDelay);
            boolean exited = p.waitFor(delay, TimeUnit.MILLISECONDS);
            assertFalse(exited, "the replicat exited by itself (exit " + (exited ? p.exitValue() : 0) + "), see " + lifeLog);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            long csn = ReplicatKillIT.checkpointCsn(home, url, user).orElse(0L);
            long lox = loxRows(url, user);
            // counted only when killed while applying: it committed something in this life and had more to do
            boolean mid = csn < trail.lastCsn() && (csn > lastCsn || lox != lastLox);
            if (mid) kills++;
            else if (csn < trail.lastCsn()) maxDelay = Math.min(4000, maxDelay * 2); // killed before it applied anything
            lastCsn = csn;
            lastLox = lox;
            history.add("life " + lives + " COMMIT_SERIALIZATION " + serialization + " MAP_PARALLELISM " + mappers
                    + (tuned ? " MIN/MAX_APPLY_PARALLELISM 1/6" : "")
                    + (splitRecs > 0 ? " SPLIT_TRANS_RECS " + splitRecs : "") + " killed after " + delay
                    + " ms, low watermark CSN " + csn + ", _LOX rows " + lox + (mid ? "" : " (not counted: nothing applied, or already done)"));
            double done = (double) csn / trail.lastCsn();
            if (mid) maxDelay = done > (double) kills / KILLS ? Math.max(50, maxDelay / 2) : Math.min(4000, maxDelay * 5 / 4);
        }
        Path finalLog = home.resolve("dirrpt/replicat-final.log");
        Process p = finalParallel ? child(home, url, user, "DEPENDENT_TRANSACTIONS", 1, 0, false, finalLog)
                : ReplicatKillIT.child(home, url, user, 200, true, finalLog);
        try {
            ReplicatKillIT.waitUntilReading(p, finalLog);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (ReplicatKillIT.checkpointCsn(home, url, user).orElse(0L) < trail.lastCsn()) {
                assertTrue(p.isAlive(), "the replicat died, see " + finalLog);
                assertTrue(System.nanoTime() < deadline, "the low watermark did not reach the last CSN within 2 minutes, see " + finalLog);
                Thread.sleep(50);
            }
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "graceful stop");
        } finally {
            if (p.isAlive()) p.destroyForcibly(); // a failed test leaves no Replicat behind
        }
        history.add(kills + " kills");
        ReplicatKillIT.compare(home, url, user, history);
        assertEquals(trail.lastCsn(), ReplicatKillIT.checkpointCsn(home, url, user).orElseThrow(), "the low watermark is the last CSN");
        // the low watermark's own rows may remain (several when its transaction was committed in pieces), none below it
        assertEquals(0, loxRowsBelow(url, user, trail.lastCsn()), "no _LOX row below the low watermark may remain");
        if (!split) assertTrue(loxRows(url, user) <= 1, "only the low watermark's own _LOX row may remain: " + loxRows(url, user));
        String first = Files.readString(home.resolve("dirrpt/replicat-life-1.log"));
        assertTrue(first.contains("MAP_PARALLELISM 3 (3 mapper thread(s))"), "life 1 mapped on 3 threads, see its log");
        assertEquals(split, first.contains("SPLIT_TRANS_RECS 2,"), "life 1 split transactions into pieces of 2, see its log");
        String second = Files.readString(home.resolve("dirrpt/replicat-life-2.log"));
        assertTrue(second.contains("APPLY_PARALLELISM tuned between MIN_APPLY_PARALLELISM 1 and MAX_APPLY_PARALLELISM 6"),
                "life 2 tuned its appliers, see its log");
        String log = Files.readString(finalLog);
        assertEquals(finalParallel, log.contains("parallel Replicat: APPLY_PARALLELISM 4"),
                "the final Replicat ran " + (finalParallel ? "in parallel" : "serially") + ", see " + finalLog);
    }

    private static Process child(Path home, String url, String user, String serialization, int mappers, int splitRecs,
                                 boolean tuned, Path log) throws Exception {
        List<String> settings = new ArrayList<>(List.of("redotrail.replicat.parallel=true",
                "redotrail.replicat.commitSerialization=" + serialization, "redotrail.replicat.mapParallelism=" + mappers));
        if (tuned) {
            settings.addAll(List.of("redotrail.replicat.minApplyParallelism=1", "redotrail.replicat.maxApplyParallelism=6",
                    "redotrail.replicat.applyTuneMillis=100"));
        } else {
            settings.add("redotrail.replicat.applyParallelism=4");
        }
        if (splitRecs > 0) settings.add("redotrail.replicat.splitTransRecs=" + splitRecs);
        return ReplicatKillIT.child(home, url, user, 200, true, log, settings.toArray(String[]::new));
    }

    private static long loxRowsBelow(String url, String user, long csn) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM GGADMIN.CHECKPOINT_LOX WHERE CAST(LOG_CMPLT_CSN AS BIGINT) < " + csn)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long loxRows(String url, String user) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM GGADMIN.CHECKPOINT_LOX")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // not created yet
        }
    }
}
