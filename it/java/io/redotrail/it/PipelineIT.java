package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItReadBack.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One workload (interleaved, rolled-back and multi-table transactions) through the real YAML routes with 1 MB
 * trail files and 1 MB redo logs, then: source = target, only committed transactions in both trails, in
 * commit-SCN order, and the trails rolled over with every reader following them.
 */
class PipelineIT {
    @TempDir
    static Path home;
    static Settings settings;
    static CliAccess.Played played;
    static RedoScan redo;
    static List<Transaction> ex, ha;
    static long applied;
    static String abends;

    @BeforeAll
    static void replicateOneWorkload() {
        settings = settings(home, "redotrail.extract.megabytes", "1", "redotrail.pump.megabytes", "1",
                "redotrail.redo.logSizeMb", "1", "redotrail.workload.lobRatio", "0");
        played = play(settings, 5000, 7);
        Pipeline p = Pipeline.start(settings);
        try (p) {
            ReplicatApplier rep = replicat(p);
            awaitApplied(p, settings, played.lastSelectedCsn(), Duration.ofSeconds(120));
            applied = rep.getAppliedTransactions();
        }
        abends = abendMessages(p); // stopping may abend too
        redo = readRedo(home);
        ex = readTrail(home, "ex");
        ha = readTrail(home, "ha");
    }

    @Test
    void workloadHadInterleavedRolledBackAndMultiTableTransactions() {
        assertTrue(played.stats().rolledBackTransactions() > 0, "workload rolled nothing back: " + played.stats());
        assertEquals(played.stats().committedTransactions(), redo.commits().size(), "redo read back: committed transactions");
        assertEquals(played.stats().rolledBackTransactions(), redo.rolledBack().size(), "redo read back: rolled-back transactions");
        assertTrue(redo.interleaved() > 100, "too few transactions began while another was open: " + redo.interleaved());
        long multiTable = ha.stream().filter(t -> t.changes().stream().map(RowChange::table).distinct().count() > 1).count();
        assertTrue(multiTable > 100, "multi-table transactions in the ha trail: " + multiTable);
        assertTrue(abends.isEmpty(), "abends: " + abends);
    }

    @Test
    void sourceAndTargetAreIdentical() {
        var report = assertIdentical(settings);
        long sourceRows = report.tables().stream().mapToLong(t -> t.sourceCount()).sum();
        assertTrue(sourceRows > 1000, "too few rows to be a meaningful comparison: " + sourceRows);
        assertEquals(played.stats().committedTransactions(), applied, "replicat applied transactions");
        CheckpointTable.Row row = checkpointRow(settings).orElseThrow(() -> new AssertionError("no REP1 checkpoint row"));
        assertEquals(redo.lastCsn(), row.logCsn().value(), "LOG_CSN = last committed CSN");
    }

    @Test
    void noRolledBackChangeReachesAnyTrailAndEveryCommitDoesOnce() {
        assertExactlyCommitted(ex, redo, "local trail dirdat/ex");
        assertExactlyCommitted(ha, redo, "remote trail dirdat/ha");
        long rowsInTrail = ha.stream().mapToLong(Transaction::size).sum();
        assertEquals(played.stats().committedRowChanges(), rowsInTrail, "row changes in the ha trail");
    }

    @Test
    void trailRecordsAreInCommitScnOrder() {
        assertCsnOrder(ex, "local trail dirdat/ex");
        assertCsnOrder(ha, "remote trail dirdat/ha");
        // and the commit order of the redo, which is not the order transactions began in
        assertEquals(redo.commits().stream().map(Commit::xid).toList(), ha.stream().map(Transaction::xid).toList(),
                "ha trail order = COMMIT record order in the redo");
    }

    @Test
    void trailsRolledOverAndEveryReaderFollowed() throws Exception {
        long[] exFiles = trailSeqnos(home, "ex"), haFiles = trailSeqnos(home, "ha");
        System.out.println("ex files " + Arrays.toString(exFiles) + ", ha files " + Arrays.toString(haFiles));
        assertTrue(exFiles.length >= 4, "expected several 1 MB ex files, got " + Arrays.toString(exFiles));
        assertTrue(haFiles.length >= 4, "expected several 1 MB ha files, got " + Arrays.toString(haFiles));
        for (long s : exFiles) {
            long size = Files.size(trailFile(home, "ex", s));
            assertTrue(size < 2L * 1024 * 1024, "ex file " + s + " is " + size + " bytes: megabytes=1 not honoured");
        }
        // transactions were read from every file (the reader followed FILE_END to the next)
        Set<Long> exSeen = ex.stream().map(t -> t.trailStart().seqno()).collect(Collectors.toSet());
        Set<Long> haSeen = ha.stream().map(t -> t.trailStart().seqno()).collect(Collectors.toSet());
        assertEquals(Arrays.stream(exFiles).boxed().collect(Collectors.toSet()), exSeen, "ex files holding transactions");
        assertEquals(Arrays.stream(haFiles).boxed().collect(Collectors.toSet()), haSeen, "ha files holding transactions");
        // the pump followed the ex files (everything reached ha), the replicat followed the ha files to the last
        assertEquals(ex.stream().map(Transaction::xid).toList(), ha.stream().map(Transaction::xid).toList(),
                "pump copied every ex transaction, in order");
        CheckpointTable.Row row = checkpointRow(settings).orElseThrow();
        assertEquals(haFiles[haFiles.length - 1], row.position().seqno(), "replicat checkpoint is in the last ha file");
        assertEquals(ha.get(ha.size() - 1).trailEnd(), row.position(), "replicat checkpoint = end of the last ha transaction");
        long archived;
        try (var s = Files.list(home.resolve("arch"))) {
            archived = s.count();
        }
        assertTrue(archived >= 2, "expected archived redo logs with 1 MB logs, got " + archived);
        assertIdentical(settings);
    }
}
