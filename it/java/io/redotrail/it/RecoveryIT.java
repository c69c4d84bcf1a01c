package io.redotrail.it;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.cli.CliAccess;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoFormat;
import io.redotrail.runtime.Settings;
import io.redotrail.core.FileTrees;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItReadBack.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipes of docs/recovery.md, each tried as an operator would: {@code simulate}, {@code run}, {@code ggsci}
 * and {@code archive} as separate JVMs on one home, the fault injected into the real files between them, the
 * refusal or abend read from the process's output, the documented commands typed, and source = target row for
 * row at the end. 1 MB trail files so every trail has finished files and a newest one.
 */
class RecoveryIT {
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    @TempDir
    Path home;
    /** run logs and backups, outside the home */
    @TempDir
    Path aside;

    private final List<String> props = new ArrayList<>(List.of("redotrail.extract.megabytes=1", "redotrail.pump.megabytes=1"));
    private int runs;
    private int recoveries;

    /**
     * Where the first test that needs it leaves a copy of its home after {@code simulate 2000} and {@code run} until
     * identical, for the other tests that start from that state ({@link #fromPrepared}). Deleted before the class.
     */
    private static final Path PREPARED = PROJECT.resolve("target/it-homes/RecoveryIT/prepared-2000");

    @BeforeAll
    static void noStalePreparedHome() throws Exception {
        FileTrees.delete(PREPARED);
    }

    // ------------------------------------------------------------------ recipes

    /** Local trail cut below EXT1's write checkpoint: refused; ETROLLOVER re-captures what was cut, exactly once. */
    @Test
    void extractTrailCutBelowItsCheckpoint() throws Exception {
        fromPrepared();
        Set<Xid> haBefore = xids(readTrail(home, "ha"));
        long next = cutRefusedRolledOver("ex", "EXT1", "EXTRACT PUMP1", "BOUNDED RECOVERY: reset");
        Cli pump = ggsci("alter extract PUMP1, extseqno " + next + ", extrba 0");
        assertEquals(0, pump.exitCode(), pump.output());

        simulate(300, 2);
        runUntilIdentical();
        // every committed transaction of the redo once in the local trail: what was cut was captured again, no more
        assertExactlyCommitted(readTrail(home, "ex"), readRedo(home), "local trail after ETROLLOVER");
        assertOnceAndContains(readTrail(home, "ha"), haBefore, "remote trail");
        assertIdentical(settings());
    }

    /** Remote trail cut below PUMP1's write checkpoint: ETROLLOVER re-pumps what was cut; the Replicat is moved on. */
    @Test
    void pumpTrailCutBelowItsCheckpoint() throws Exception {
        fromPrepared();
        Set<Xid> haBefore = xids(readTrail(home, "ha"));
        long next = cutRefusedRolledOver("ha", "PUMP1", "REPLICAT REP1", "Read checkpoint: ");
        Cli rep = ggsci("alter replicat REP1, extseqno " + next + ", extrba 0");
        assertEquals(0, rep.exitCode(), rep.output());
        assertContains(rep, "Checkpoint table GGADMIN.CHECKPOINT", "REPLICAT altered.");
        assertReplicatAt(new TrailPosition(next, 0));

        simulate(300, 4);
        runUntilIdentical();
        assertOnceAndContains(readTrail(home, "ha"), haBefore, "remote trail after ETROLLOVER");
        assertIdentical(settings());
    }

    /**
     * A record with a bad CRC in a finished trail file stops its reader naming file and RBA. Recipe 1: restore the
     * file. Recipe 2 (accepting the loss): ALTER the reader to RBA 0 of the next file; tried for the Replicat on the
     * remote trail and the pump on the local trail. Positions that are not transaction boundaries, or files that do
     * not exist, are refused, and so is any ALTER while the group runs.
     */
    @Test
    void corruptRecordInAFinishedTrailFile() throws Exception {
        fromPrepared();
        assertTrue(trailSeqnos(home, "ha").length >= 2 && trailSeqnos(home, "ex").length >= 2, "need finished files");
        long haRba = victimIn("ha");
        Path ha0 = trailFile(home, "ha", 0);
        Cli inside = ggsci("alter replicat REP1, extseqno 0, extrba " + (haRba + 3));
        assertEquals(1, inside.exitCode(), inside.output());
        assertContains(inside, "RBA " + (haRba + 3) + " of " + ha0 + " is not a transaction boundary", "nearest: RBA " + haRba);
        Cli missing = ggsci("alter replicat REP1, extseqno 99, extrba 0");
        assertEquals(1, missing.exitCode(), missing.output());
        assertContains(missing, "ha000000099", "does not exist");

        corruptAndRecover("REPLICAT", "REP1", "ha", true);
        corruptAndRecover("REPLICAT", "REP1", "ha", false);
        corruptAndRecover("EXTRACT", "PUMP1", "ex", false);
        assertIdentical(settings());
    }

    /** RBA of a transaction in the middle of file 0 of a trail. */
    private long victimIn(String prefix) {
        return readTrail(home, prefix).stream().filter(t -> t.trailStart().seqno() == 0).toList().get(200).trailStart().rba();
    }

    /**
     * A bad CRC in file 0 of {@code prefix}, which {@code group} already read: moved back to re-read it (what it
     * already passed on is suppressed or skipped), it abends; then the file is restored or the group skips to file 1.
     */
    private void corruptAndRecover(String program, String group, String prefix, boolean restore) throws Exception {
        long rba = victimIn(prefix);
        Path f0 = trailFile(home, prefix, 0);
        flipByte(f0, rba + 30);
        Cli back = ggsci("alter " + program + " " + group + ", extseqno 0, extrba 0");
        assertEquals(0, back.exitCode(), back.output());
        if (program.equals("REPLICAT")) assertReplicatAt(TrailPosition.START);
        runRefused("OGG-01668", f0 + " at byte " + rba + ": trail seqno 0 RBA " + rba + ": record CRC mismatch");
        assertContains(ggsci("info all"), String.format("%-12s%-12s%s", program, "ABENDED", group));
        if (restore) {
            flipByte(f0, rba + 30); // the operator restores the file
        } else {
            Cli skip = ggsci("alter " + program + " " + group + ", extseqno 1, extrba 0");
            assertEquals(0, skip.exitCode(), skip.output());
        }
        simulate(100, 10 + ++recoveries); // new rows reach the target only once the reader got past the bad record
        runUntilIdentical();
    }

    /**
     * A redo log the extract still needs: archive delete keeps it (RMAN-08137) unless forced; deleted, OGG-00446 names
     * it; restoring the archived copy resumes.
     */
    @Test
    void archivedLogDeletedWhileNeeded() throws Exception {
        props.addAll(List.of("redotrail.redo.logSizeMb=1", "redotrail.workload.lobRatio=0"));
        simulate(300, 6);
        runUntilIdentical();
        simulate(4000, 7); // while stopped: several log switches, the extract's restart log is archived only
        long seq = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow()
                .redoRead(1).recovery().position().sequence();
        Path arch = RedoFormat.archivedLog(home.resolve("arch"), 1, seq);
        Path backup = aside.resolve(arch.getFileName());
        Files.copy(arch, backup, StandardCopyOption.REPLACE_EXISTING);
        // the database keeps a log the extract still needs (RMAN-08137): refused, nothing deleted
        Cli kept = cli("archive", "delete", "--sequence", Long.toString(seq), "--home", home.toString());
        assertEquals(1, kept.exitCode(), kept.output());
        assertContains(kept, "RMAN-08137: WARNING: archived log not deleted, needed for standby or upstream capture process",
                "thread=1 sequence=" + seq + ": needed by Extract EXT1 (its ");
        assertTrue(Files.exists(arch), "kept: " + arch);
        Cli delete = cli("archive", "delete", "--sequence", Long.toString(seq), "--force", "--home", home.toString());
        assertEquals(0, delete.exitCode(), delete.output());

        runRefused("OGG-00446", "sequence " + seq + " thread 1");
        Files.copy(backup, arch); // restore from the backup
        Files.delete(backup);
        simulate(100, 8);
        runUntilIdentical();
        assertIdentical(settings());
    }

    /**
     * A damaged REP1.cpr, then a damaged PUMP1.cpe: each refuses the start naming the file; deleting it is the way
     * out. The Replicat starts from its checkpoint-table row; the pump re-reads the local trail from its oldest file
     * and its writer skips what the remote trail holds.
     */
    @Test
    void corruptCheckpointFileDeleted() throws Exception {
        fromPrepared();
        assertTrue(trailSeqnos(home, "ex").length >= 2, "need finished local trail files");
        Path cpr = CheckpointFile.replicatFile(home, REPLICAT);
        flipByte(cpr, Files.size(cpr) / 2);
        runRefused(cpr.toString(), "CRC mismatch");
        Cli info = ggsci("alter replicat REP1, extseqno 0, extrba 0");
        assertEquals(1, info.exitCode(), info.output());
        assertContains(info, "ERROR: corrupt checkpoint file " + cpr, "CRC mismatch");
        Files.delete(cpr); // the checkpoint-table row is authoritative

        Set<Xid> haBefore = xids(readTrail(home, "ha"));
        Path cpe = CheckpointFile.extractFile(home, "PUMP1");
        flipByte(cpe, Files.size(cpe) / 2);
        runRefused(cpe.toString(), "CRC mismatch");
        Files.delete(cpe);
        simulate(200, 22);
        runUntilIdentical();
        assertEquals(TrailPosition.START, new CheckpointFile(cpe).read().orElseThrow().trailRead().startup(),
                "PUMP1 started from the oldest local trail file");
        assertOnceAndContains(readTrail(home, "ha"), haBefore, "remote trail after PUMP1.cpe was deleted");
        assertIdentical(settings());
    }

    /**
     * A damaged EXT1.cpe refuses the start naming it; deleted, the extract reads from the oldest available redo log
     * and its writer skips what the local trail holds: every committed transaction once in the local trail.
     */
    @Test
    void corruptExtractCheckpointFileDeleted() throws Exception {
        simulate(1000, 36);
        runUntilIdentical();
        Path cpe = CheckpointFile.extractFile(home, "EXT1");
        flipByte(cpe, Files.size(cpe) / 2);
        runRefused(cpe.toString(), "CRC mismatch");
        Files.delete(cpe);
        simulate(200, 37);
        runUntilIdentical();
        RedoScan redo = readRedo(home);
        var startup = new CheckpointFile(cpe).read().orElseThrow().redoRead(1).startup().position();
        Commit first = redo.commits().get(0);
        assertTrue(startup.sequence() == first.sequence() && startup.rba() < first.rba(),
                "EXT1 must start before the first commit of the oldest redo log (" + first + "), started at " + startup);
        assertExactlyCommitted(readTrail(home, "ex"), redo, "local trail after EXT1.cpe was deleted");
        assertIdentical(settings());
    }

    /**
     * The pump's next local trail file is missing while a later one exists: the abend names it. Restoring it gives
     * source = target; accepting the loss, {@code ALTER EXTRACT PUMP1, EXTSEQNO <first existing>, EXTRBA 0} runs on.
     */
    @Test
    void pumpNextTrailFileMissing() throws Exception {
        simulate(3000, 23);
        runUntilIdentical();
        assertTrue(trailSeqnos(home, "ex").length >= 3, "need three local trail files");
        Path ex1 = trailFile(home, "ex", 1);
        Path away = aside.resolve(ex1.getFileName());
        for (boolean restore : new boolean[]{true, false}) {
            Cli back = ggsci("alter extract PUMP1, extseqno 0, extrba 0");
            assertEquals(0, back.exitCode(), back.output());
            Files.move(ex1, away);
            runRefused("OGG-01668", ex1 + " at byte 0: trail seqno 1 RBA 0: the file does not exist but later file "
                    + trailFile(home, "ex", 2) + " does");
            if (restore) {
                Files.move(away, ex1);
            } else {
                Cli skip = ggsci("alter extract PUMP1, extseqno 2, extrba 0");
                assertEquals(0, skip.exitCode(), skip.output());
            }
            simulate(100, restore ? 24 : 25); // new rows reach the target only once the pump got past the gap
            runUntilIdentical(); // nothing was lost: file 1 had been pumped before it went missing
        }
        assertIdentical(settings());
    }

    /** A finished archived log damaged where the extract still has to read it: restoring the intact copy resumes. */
    @Test
    void damagedArchivedLogRestored() throws Exception {
        props.addAll(List.of("redotrail.redo.logSizeMb=1", "redotrail.workload.lobRatio=0"));
        simulate(300, 26);
        runUntilIdentical();
        simulate(4000, 27); // while stopped: several log switches, the extract's current log is archived only
        var current = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow().redoRead(1).current().position();
        Path arch = RedoFormat.archivedLog(home.resolve("arch"), 1, current.sequence());
        assertTrue(Files.exists(arch), arch + " not archived");
        Path backup = aside.resolve(arch.getFileName());
        Files.copy(arch, backup);
        flipByte(arch, (current.rba() + Files.size(arch)) / 2);

        runRefused("OGG-01668", arch.toString());
        Files.copy(backup, arch, StandardCopyOption.REPLACE_EXISTING); // restore the intact copy
        simulate(100, 28);
        runUntilIdentical();
        assertIdentical(settings());
    }

    /** A damaged redo control file refuses the extract naming it; restoring it from a copy resumes. */
    @Test
    void damagedRedoControlFileRestored() throws Exception {
        simulate(300, 29);
        runUntilIdentical();
        Path control = RedoFormat.controlFile(home.resolve("redo"));
        Path backup = aside.resolve("control");
        Files.copy(control, backup);
        flipByte(control, Files.size(control) / 2);
        runRefused(control.toString());
        Files.copy(backup, control, StandardCopyOption.REPLACE_EXISTING);
        simulate(100, 30);
        runUntilIdentical();
        assertIdentical(settings());
    }

    /**
     * OGG-30176: the target is restored from a backup, so the checkpoint table is behind REP1.cpr; with
     * onOlderTable=ABEND the Replicat refuses. {@code ALTER REPLICAT REP1, EXTSEQNO M, EXTRBA 0} with M the table
     * row's file moves table and file together; the Replicat re-applies from there.
     */
    @Test
    void olderCheckpointTableAltered() throws Exception {
        props.add("redotrail.replicat.onOlderTable=ABEND");
        simulate(1000, 31);
        runUntilIdentical();
        TrailPosition backedUp = checkpointRow(settings()).orElseThrow().position();
        Path db = home.resolve("db");
        Path backup = Files.createDirectories(aside.resolve("db"));
        List<Path> target = targetFiles(db);
        assertTrue(target.stream().anyMatch(f -> f.getFileName().toString().equals("target.mv.db")), "target files: " + target);
        for (Path f : target) Files.copy(f, backup.resolve(f.getFileName())); // the target's backup
        simulate(1500, 32);
        runUntilIdentical();
        assertTrue(checkpointRow(settings()).orElseThrow().position().seqno() > backedUp.seqno(), "REP1 must move to a later file");
        for (Path f : targetFiles(db)) Files.delete(f);
        for (Path f : targetFiles(backup)) Files.copy(f, db.resolve(f.getFileName())); // the target restored
        runRefused("OGG-30176", "Not starting (onOlderTable=ABEND)");
        Cli alter = ggsci("alter replicat REP1, extseqno " + backedUp.seqno() + ", extrba 0");
        assertEquals(0, alter.exitCode(), alter.output());
        assertReplicatAt(new TrailPosition(backedUp.seqno(), 0));
        simulate(100, 33);
        runUntilIdentical();
        assertIdentical(settings());
    }

    /**
     * The newest local trail file has a corrupt header: EXT1 refuses; GGSCI refuses ETROLLOVER while the file is
     * there; moved out of dirdat/ (a whole trail file gone: refused as such), ETROLLOVER re-captures its
     * transactions and names the pump's ALTER.
     */
    @Test
    void newestTrailFileCorruptHeader() throws Exception {
        fromPrepared();
        Set<Xid> haBefore = xids(readTrail(home, "ha"));
        long[] seqnos = trailSeqnos(home, "ex");
        long last = seqnos[seqnos.length - 1];
        Path newest = trailFile(home, "ex", last);
        flipByte(newest, 20);
        runRefused(newest + " at byte ");
        Cli refused = ggsci("alter extract EXT1, etrollover");
        assertEquals(1, refused.exitCode(), refused.output());
        assertContains(refused, "EXTRACT EXT1 not altered: " + newest + " at byte 0: no valid file header record",
                "move it out of " + home.resolve("dirdat") + " and repeat the command");
        Files.move(newest, aside.resolve(newest.getFileName()));
        // now a whole trail file is gone: refused too, with the same way out
        runRefused(newest + " at byte ", "write checkpoint is at seqno " + last + " RBA ",
                " but the last trail file is " + trailFile(home, "ex", last - 1));
        long next = last + 1;
        Cli alter = ggsci("alter extract EXT1, etrollover");
        assertEquals(0, alter.exitCode(), alter.output());
        assertContains(alter, "Rollover performed.", "EXTRACT altered.", "ALTER EXTRACT PUMP1, EXTSEQNO " + next + ", EXTRBA 0");
        Cli pump = ggsci("alter extract PUMP1, extseqno " + next + ", extrba 0");
        assertEquals(0, pump.exitCode(), pump.output());
        simulate(200, 35);
        runUntilIdentical();
        assertOnceAndContains(readTrail(home, "ha"), haBefore, "remote trail after ETROLLOVER");
        assertIdentical(settings());
    }

    /**
     * ETROLLOVER after a trail cut, with the archived logs where a long transaction began deleted: the redo read
     * checkpoint can only move back to the oldest log left, so the transaction's COMMIT stops EXT1 with "began
     * before the redo position". Recipe: restore those archived logs, check SHOWCH with the group stopped.
     */
    @Test
    void transactionBeganBeforeTheRedoPosition() throws Exception {
        props.set(0, "redotrail.extract.megabytes=64"); // one local trail file: the cut below hits the newest one
        props.addAll(List.of("redotrail.redo.logSizeMb=1", "redotrail.workload.lobRatio=0",
                "redotrail.workload.longTxRatio=0.003", "redotrail.workload.longTxOtherCommits=1200"));
        simulate(2500, 38);
        runUntilIdentical();
        RedoScan redo = readRedo(home);
        long newestSeq = redo.commits().stream().mapToLong(Commit::sequence).max().orElseThrow();
        var commitSeq = redo.commits().stream().collect(Collectors.toMap(Commit::xid, Commit::sequence));
        List<Transaction> ex = readTrail(home, "ex");
        // a transaction that began in a log whose online group was reused since, and committed in a later log
        Transaction lt = ex.stream().filter(t -> t.startPosition().sequence() < commitSeq.get(t.xid())
                        && t.startPosition().sequence() <= newestSeq - 3)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no transaction spans a reused log"));
        long began = lt.startPosition().sequence();
        // the local trail loses it and everything after it
        try (FileChannel ch = FileChannel.open(trailFile(home, "ex", 0), StandardOpenOption.WRITE)) {
            ch.truncate(lt.trailStart().rba() + 11);
        }
        runRefused("refusing to discard durable data");
        // archived logs up to the one where it began are deleted (backed up first)
        List<Path> backups = new ArrayList<>();
        for (long seq = 1; seq <= began; seq++) {
            Path arch = RedoFormat.archivedLog(home.resolve("arch"), 1, seq);
            if (!Files.exists(arch)) continue;
            Path backup = aside.resolve(arch.getFileName());
            Files.copy(arch, backup);
            backups.add(backup);
        }
        Cli delete = cli("archive", "delete", "--upto", Long.toString(began), "--force", "--home", home.toString());
        assertEquals(0, delete.exitCode(), delete.output());
        Cli alter = ggsci("alter extract EXT1, etrollover");
        assertEquals(0, alter.exitCode(), alter.output());
        assertContains(alter, "are missing from the trail", "EXTRACT altered.");
        Cli pump = ggsci("alter extract PUMP1, extseqno 1, extrba 0");
        assertEquals(0, pump.exitCode(), pump.output());

        runRefused("OGG-01668", "EXT1: transaction " + lt.xid() + " committed at SCN " + lt.csn().display() + " (thread 1 seqno "
                + commitSeq.get(lt.xid()) + " RBA ", "began before the redo position reading started from, and is not in the trail",
                "Restart from an earlier redo position.");
        // the recipe: restore the archived logs from the sequence where it began, then SHOWCH with the group stopped
        for (Path b : backups) Files.copy(b, home.resolve("arch").resolve(b.getFileName()));
        Cli showch = ggsci("info extract EXT1, showch");
        assertEquals(0, showch.exitCode(), showch.output());
        var recovery = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow().redoRead(1).recovery().position();
        assertContains(showch, "Recovery Checkpoint (position of oldest unprocessed transaction in the data source):\n"
                + "    Thread #: 1\n    Sequence #: " + recovery.sequence() + "\n");
        // ETROLLOVER moved it to the oldest log left then, after the sequence where the transaction began, and no
        // GGSCI command moves it back: with the group stopped, EXT1.cpe is deleted, so the extract starts from the
        // oldest redo log on disk (a restored one), and its writer skips what the trail holds
        assertTrue(recovery.sequence() > began, "Recovery checkpoint " + recovery + ", transaction began in " + began);
        Files.delete(CheckpointFile.extractFile(home, "EXT1"));
        simulate(100, 39);
        runUntilIdentical();
        var startup = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow().redoRead(1).startup().position();
        assertTrue(startup.sequence() <= began && startup.rba() == RedoFormat.HEADER_SIZE, "EXT1 must start from a restored log, started at " + startup);
        assertExactlyCommitted(readTrail(home, "ex"), readRedo(home), "local trail after the restore");
        assertOnceAndContains(readTrail(home, "ha"), xids(ex), "remote trail");
        assertIdentical(settings());
    }

    private static List<Path> targetFiles(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("target.")).toList();
        }
    }

    // ------------------------------------------------------------------ steps

    private Settings settings() {
        String[] kv = props.stream().flatMap(p -> java.util.Arrays.stream(p.split("=", 2))).toArray(String[]::new);
        return ItSupport.settings(home, kv);
    }

    private Cli cli(String... args) throws Exception {
        return cliJvm(Duration.ofMinutes(3), props, args);
    }

    private Cli ggsci(String command) throws Exception {
        return cli("ggsci", command, "--home", home.toString());
    }

    /**
     * The home after {@code simulate --transactions 2000 --seed 1} and {@code run} until source = target (finished
     * trail files and a newest one on both trails), which five recipes start from: made by the first of them,
     * copied (stopped, so portable) by the others. What they test (a damage, the refusal, the recipe, source =
     * target after it) does not depend on which 2000 transactions the trails hold.
     */
    private void fromPrepared() throws Exception {
        if (Files.isDirectory(PREPARED)) {
            copyTree(PREPARED, home);
            return;
        }
        simulate(2000, 1);
        runUntilIdentical();
        Path partial = PREPARED.resolveSibling(PREPARED.getFileName() + ".partial");
        FileTrees.delete(partial);
        copyTree(home, partial);
        Files.move(partial, PREPARED, StandardCopyOption.ATOMIC_MOVE); // never half a home for the next test
    }

    private void simulate(int transactions, long seed) throws Exception {
        Cli c = cli("simulate", "--transactions", Integer.toString(transactions), "--seed", Long.toString(seed),
                "--home", home.toString());
        assertEquals(0, c.exitCode(), c.output());
    }

    private Path log() {
        return aside.resolve("run" + (++runs) + ".log");
    }

    /** {@code run} until source = target; an ALTER meanwhile is refused; then SIGTERM, which must exit 0. */
    private void runUntilIdentical() throws Exception {
        Path log = log();
        Process p = startRunJvm(home, log, props.toArray(String[]::new));
        try {
            Settings s = settings();
            // H2 can fail "Concurrent update" when two processes open the same file at once: compare only once
            // the run JVM holds the target (its auto-server then serves the comparison)
            await("the Replicat connected", CATCH_UP, () -> {
                if (!p.isAlive()) throw new AssertionError("run exited with " + p.exitValue() + ":\n" + readLog(log));
                return readLog(log).contains("REP1: connected to");
            }, () -> readLog(log));
            // the ALTER is typed while REP1 catches up (it runs until the SIGTERM below either way): its JVM starts
            // meanwhile instead of after it
            CompletableFuture<Cli> refusal = CompletableFuture.supplyAsync(() -> {
                try {
                    return ggsci("alter replicat REP1, extseqno 0, extrba 0");
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            await("source = target", CATCH_UP, () -> {
                if (!p.isAlive()) throw new AssertionError("run exited with " + p.exitValue() + ":\n" + readLog(log));
                try {
                    return CliAccess.compare(s).allEqual();
                } catch (Exception e) {
                    return false; // target tables not created yet
                }
            }, () -> readLog(log));
            Cli refused = refusal.get(3, java.util.concurrent.TimeUnit.MINUTES);
            assertEquals(1, refused.exitCode(), refused.output());
            assertContains(refused, "REPLICAT REP1 is running (process ");
        } finally {
            p.destroy();
        }
        assertTrue(p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "run did not stop on SIGTERM");
        assertEquals(0, p.exitValue(), readLog(log));
    }

    /** {@code run} stops by itself, exit code not 0, its output holding every {@code expected} text. */
    private void runRefused(String... expected) throws Exception {
        Path log = log();
        Process p = startRunJvm(home, log, props.toArray(String[]::new));
        if (!p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("run did not stop by itself:\n" + readLog(log));
        }
        String text = readLog(log);
        assertNotEquals(0, p.exitValue(), text);
        assertContains(new Cli(p.exitValue(), text), expected);
    }

    /**
     * The newest file of trail {@code prefix} is cut below its writer's checkpoint; {@code run} refuses to start;
     * {@code ALTER EXTRACT writer, ETROLLOVER} moves the read checkpoint back ({@code rewound}) and names the reader
     * to move. Returns the seqno of the new file.
     */
    private long cutRefusedRolledOver(String prefix, String writer, String reader, String rewound) throws Exception {
        long last = cutLastFile(prefix);
        runRefused("refusing to discard durable data", trailFile(home, prefix, last).toString());
        long next = last + 1;
        Cli alter = ggsci("alter extract " + writer + ", etrollover");
        assertEquals(0, alter.exitCode(), alter.output());
        assertContains(alter, "are missing from the trail", rewound, "Rollover performed.", "EXTRACT altered.",
                "ALTER " + reader + ", EXTSEQNO " + next + ", EXTRBA 0");
        return next;
    }

    /** Cuts the newest file of a trail in the middle of one of its transactions (a torn record); returns its seqno. */
    private long cutLastFile(String prefix) throws Exception {
        long[] seqnos = trailSeqnos(home, prefix);
        long last = seqnos[seqnos.length - 1];
        List<Transaction> inLast = readTrail(home, prefix).stream().filter(t -> t.trailStart().seqno() == last).toList();
        assertTrue(inLast.size() > 20, "the newest file of " + prefix + " holds only " + inLast.size() + " transactions");
        try (FileChannel ch = FileChannel.open(trailFile(home, prefix, last), StandardOpenOption.WRITE)) {
            ch.truncate(inLast.get(inLast.size() / 2).trailStart().rba() + 11);
        }
        return last;
    }

    private void assertReplicatAt(TrailPosition p) {
        assertEquals(p, checkpointRow(settings()).orElseThrow().position(), "checkpoint-table row");
        assertEquals(p, new CheckpointFile(CheckpointFile.replicatFile(home, REPLICAT)).read().orElseThrow().trailRead().current(),
                "REP1.cpr");
    }

    private static Set<Xid> xids(List<Transaction> trail) {
        return trail.stream().map(Transaction::xid).collect(Collectors.toSet());
    }

    private static void assertOnceAndContains(List<Transaction> trail, Set<Xid> expected, String name) {
        Set<Xid> seen = new HashSet<>();
        List<Xid> twice = trail.stream().map(Transaction::xid).filter(x -> !seen.add(x)).limit(10).toList();
        assertTrue(twice.isEmpty(), name + ": transactions written more than once: " + twice);
        Set<Xid> lost = new HashSet<>(expected);
        lost.removeAll(seen);
        assertTrue(lost.isEmpty(), name + ": " + lost.size() + " transactions missing, e.g. " + lost.stream().limit(5).toList());
    }

    private static void assertContains(Cli c, String... texts) {
        for (String t : texts) assertTrue(c.output().contains(t), "expected '" + t + "' in:\n" + c.output());
    }

    private static String readLog(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
