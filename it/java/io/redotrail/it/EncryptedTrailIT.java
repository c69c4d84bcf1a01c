package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceSchema;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailWriter;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.RecordSealer;
import io.redotrail.trail.crypto.TrailCipher;
import io.redotrail.trail.crypto.TrailKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItReadBack.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ENCRYPTTRAIL end to end through the real routes: the Extract encrypts dirdat/ex under key PROD of
 * {@code <home>/ENCKEYS}, the PASSTHRU pump (no DECRYPTTRAIL) copies the encrypted records into dirdat/ha byte
 * for byte, the Replicat decrypts and applies: source = target. No trail, report or log file of the home holds a
 * row value or the key. Then a record under a key the Replicat's key file lacks: the Replicat abends naming file,
 * RBA and key, and applies nothing from that record on.
 */
class EncryptedTrailIT {
    @TempDir
    Path home;

    @Test
    void encryptedTrailsReplicateAndAMissingKeyStopsTheReplicatAtItsRecord() throws Exception {
        Path keyFile = TrailKeys.defaultFile(home);
        TrailKeys.generate(keyFile, "PROD", 256, new SecureRandom());
        String keyHex = Files.readAllLines(keyFile).get(1).split("\\s+")[1].substring(2);
        Settings s = settings(home, "redotrail.extract.encrypt", "AES256", "redotrail.extract.keyName", "PROD",
                "redotrail.pump.decrypt", "false", "redotrail.workload.lobRatio", "0");
        CliAccess.Played played = play(s, 600, 11);
        Pipeline p = Pipeline.start(s);
        try (p) {
            awaitApplied(p, s, played.lastSelectedCsn(), Duration.ofSeconds(120));
        }
        assertFalse(p.abended(), abendMessages(p));
        assertIdentical(s);

        // the pump copied every encrypted record unchanged into the remote trail (its files have other headers)
        List<String> exBodies = rowBodies(home, "ex"), haBodies = rowBodies(home, "ha");
        assertTrue(haBodies.size() > 1000, "ROW records in ha: " + haBodies.size());
        assertEquals(exBodies, haBodies, "ROW record bodies of dirdat/ex and dirdat/ha");
        List<Transaction> sealed = readTrail(home, "ha");
        assertTrue(sealed.stream().allMatch(t -> t.changes().stream().allMatch(RowChange::isSealed)), "every ha record is encrypted");

        // no row value, no key in any trail, report, checkpoint or log file of the home
        Set<String> values = rowValues(decrypted(home.resolve("dirdat").resolve("ha"), keyFile));
        assertTrue(values.size() > 100, "string values to look for: " + values.size());
        List<Path> files = homeFiles(home);
        assertTrue(files.stream().anyMatch(f -> f.toString().contains("dirrpt")), "report files scanned: " + files);
        assertNothingInClear(files, values, keyHex);

        // a transaction under a key the home's key file lacks, then one in the clear, appended to the remote trail
        Path ha = home.resolve("dirdat").resolve("ha");
        Transaction last = sealed.get(sealed.size() - 1);
        RowChange template = decrypted(ha, keyFile).stream().flatMap(t -> t.changes().stream())
                .filter(c -> c.op() == ChangeOp.INSERT && c.table().equals(SourceSchema.ACCOUNT)).findFirst().orElseThrow();
        Path otherKeys = home.resolve("elsewhere").resolve("ENCKEYS");
        TrailKeys.generate(otherKeys, "ROGUE", 256, new SecureRandom());
        TrailPosition rogueAt;
        try (TrailWriter w = TrailWriter.open(ha, "PUMP1", TrailFormat.DEFAULT_MAX_FILE_BYTES, null,
                new RowRecords.Encoder(RecordSealer.of(TrailKeys.load(otherKeys), "ROGUE", TrailCipher.AES128)))) {
            rogueAt = w.position();
            w.append(List.of(account(template, last, 1, 9_000_000_001L)));
        }
        try (TrailWriter w = TrailWriter.open(ha, "PUMP1", TrailFormat.DEFAULT_MAX_FILE_BYTES)) {
            w.append(List.of(account(template, last, 2, 9_000_000_002L)));
        }
        Pipeline again = Pipeline.start(s);
        String abend;
        try (again) {
            abend = awaitAbend(again, Duration.ofSeconds(60));
        }
        String file = TrailFormat.fileOf(ha, rogueAt.seqno()).toString();
        assertTrue(abend.contains("OGG-06400") && abend.contains("key ROGUE") && abend.contains(file)
                && abend.contains("RBA " + rogueAt.rba()), abend);
        assertFalse(abend.contains(keyHex), abend);
        CheckpointTable.Row row = checkpointRow(s).orElseThrow();
        assertEquals(rogueAt, row.position(), "the Replicat's checkpoint stays before the record it cannot read");
        assertIdentical(s); // neither appended row reached the target
    }

    /**
     * Rotation by name through the routes: the Extract runs under KEYNAME PROD, then, restarted, under PROD2 added by
     * keygen; the pump with DECRYPTTRAIL and ENCRYPTTRAIL re-encrypts everything under its own key PUMPK. The Replicat
     * applies both runs: source = target; the local trail holds records of both names, the remote trail only PUMPK's.
     */
    @Test
    void keyRotationByNameAndAPumpThatReencryptsUnderItsOwnKey() throws Exception {
        Path keyFile = TrailKeys.defaultFile(home);
        TrailKeys.generate(keyFile, "PROD", 256, new SecureRandom());
        TrailKeys.generate(keyFile, "PUMPK", 128, new SecureRandom());
        String[] pump = {"redotrail.pump.decrypt", "true", "redotrail.pump.encrypt", "AES128", "redotrail.pump.keyName", "PUMPK",
                "redotrail.workload.lobRatio", "0", "redotrail.extract.encrypt", "AES256"};
        Settings first = settings(home, concat(pump, "redotrail.extract.keyName", "PROD"));
        replicate(first, 300, 21, Duration.ofSeconds(120));
        TrailKeys.generate(keyFile, "PROD2", 256, new SecureRandom());
        Settings second = settings(home, concat(pump, "redotrail.extract.keyName", "PROD2"));
        replicate(second, 300, 22, Duration.ofSeconds(120));
        assertIdentical(second);
        assertEquals(Set.of("PROD", "PROD2"), keyNames(readTrail(home, "ex")), "key names in dirdat/ex");
        assertEquals(Set.of("PUMPK"), keyNames(readTrail(home, "ha")), "key names in dirdat/ha");
    }

    /**
     * {@code run} in its own JVM with ENCRYPTTRAIL, kill -9 while it replicates, run again: source = target row for
     * row, and neither its log nor any file of the home (but key file, databases and redo) shows the key or a value.
     */
    @Test
    void killedWhileEncryptingLosesNothingAndItsLogShowsNoValueOrKey() throws Exception {
        Path keyFile = TrailKeys.defaultFile(home);
        TrailKeys.generate(keyFile, "PROD", 256, new SecureRandom());
        String keyHex = Files.readAllLines(keyFile).get(1).split("\\s+")[1].substring(2);
        String[] props = {"redotrail.extract.encrypt=AES256", "redotrail.extract.keyName=PROD", "redotrail.workload.lobRatio=0"};
        Settings s = settings(home, "redotrail.extract.encrypt", "AES256", "redotrail.extract.keyName", "PROD",
                "redotrail.workload.lobRatio", "0");
        CliAccess.Played played = play(s, 3000, 31);
        // the databases outlive the run JVM, as real ones do (H2 AUTO_SERVER in this JVM, see KillIT)
        java.sql.Connection targetServer = target(s);
        java.sql.Connection sourceServer = java.sql.DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(home), "sa", "");
        Path log = home.resolve("dirrpt").resolve("run.log");
        Process first = startRunJvm(home, log, props);
        try {
            await("a first applied transaction", Duration.ofSeconds(120), () -> {
                assertTrue(first.isAlive(), "run JVM exited: " + readQuietly(log));
                return logCsn(s) > 0;
            }, () -> "LOG_CSN " + logCsn(s));
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
        assertTrue(logCsn(s) < played.lastSelectedCsn(), "killed too late to matter: everything was applied");
        runUntilApplied(home, s, log, played.lastSelectedCsn(), props);
        targetServer.close();
        sourceServer.close();
        assertIdentical(s);
        Set<String> values = rowValues(decrypted(home.resolve("dirdat").resolve("ha"), keyFile));
        assertTrue(values.size() > 100, "string values to look for: " + values.size());
        List<Path> files = homeFiles(home);
        assertTrue(files.contains(log), files.toString());
        assertNothingInClear(files, values, keyHex);
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Set<String> keyNames(List<Transaction> sealed) {
        Set<String> names = new TreeSet<>();
        for (Transaction t : sealed) for (RowChange c : t.changes()) names.add(RecordOpener.keyName(c.sealed().bytes()));
        return names;
    }

    /** An INSERT into YDJK.ACCOUNT with a fresh ID, as transaction n after {@code last}. */
    private static Transaction account(RowChange template, Transaction last, int n, long id) {
        RowImage a = template.after();
        Object[] values = a.values().clone();
        values[a.indexOf("ID")] = id;
        RowChange c = new RowChange(template.table(), ChangeOp.INSERT, null, new RowImage(a.columns(), values));
        return new Transaction(new Xid(9, 9, n), Scn.of(last.csn().value() + n), last.commitTimestampMillis() + n, 1,
                List.of(c), null);
    }
}
