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
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.RecordSealer;
import io.redotrail.trail.crypto.TrailCipher;
import io.redotrail.trail.crypto.TrailKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.redotrail.it.ItSupport.*;
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
        Set<String> values = new TreeSet<>();
        for (Transaction t : decrypted(home.resolve("dirdat").resolve("ha"), keyFile)) {
            for (RowChange c : t.changes()) {
                for (RowImage img : new RowImage[]{c.before(), c.after()}) {
                    if (img == null) continue;
                    for (Object v : img.values()) if (v instanceof String str && str.length() >= 8 && !str.matches("[A-Z_]+")) values.add(str);
                }
            }
        }
        // (upper-case words such as TRANSFER are left out: they are also table names, which stay in the clear)
        assertTrue(values.size() > 100, "string values to look for: " + values.size());
        List<Path> files = homeFiles(home);
        assertTrue(files.stream().anyMatch(f -> f.toString().contains("dirrpt")), "report files scanned: " + files);
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertFalse(text.toUpperCase().contains(keyHex.toUpperCase()), "key in " + f);
            for (String v : values) assertFalse(text.contains(v), "row value '" + v + "' in " + f);
        }

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

    private static List<Transaction> decrypted(Path trail, Path keyFile) {
        List<Transaction> all = new ArrayList<>();
        try (TrailReader r = new TrailReader(trail, TrailPosition.START, null, 0, new RecordOpener(TrailKeys.load(keyFile)))) {
            for (List<Transaction> b = r.poll(100_000); !b.isEmpty(); b = r.poll(100_000)) all.addAll(b);
        }
        return all;
    }

    /** Hex of type + body of every ROW record of trail dirdat/{@code prefix}, all files in order. */
    private static List<String> rowBodies(Path home, String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        for (long seq : trailSeqnos(home, prefix)) {
            byte[] f = Files.readAllBytes(trailFile(home, prefix, seq));
            for (int pos = 0; pos < f.length; ) {
                int len = ByteBuffer.wrap(f, pos, 4).getInt();
                if (f[pos + 4] == TrailFormat.TYPE_ROW) out.add(HexFormat.of().formatHex(f, pos + 4, pos + 4 + len));
                pos += len + TrailFormat.FRAME;
            }
        }
        return out;
    }

    /** Every file of the home but the key files, the databases and the simulated redo (the source's own log). */
    private static List<Path> homeFiles(Path home) throws Exception {
        try (Stream<Path> s = Files.walk(home)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("ENCKEYS"))
                    .filter(f -> {
                        String rel = home.relativize(f).toString();
                        return !rel.startsWith("db") && !rel.startsWith("redo") && !rel.startsWith("arch");
                    }).toList();
        }
    }
}
