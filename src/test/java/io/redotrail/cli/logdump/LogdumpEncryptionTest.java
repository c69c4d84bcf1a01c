package io.redotrail.cli.logdump;

import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailWriter;
import io.redotrail.trail.crypto.RecordSealer;
import io.redotrail.trail.crypto.TrailCipher;
import io.redotrail.trail.crypto.TrailKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Logdump over a trail encrypted by the real {@link TrailWriter} (ENCRYPTTRAIL AES256 under key {@code k2026} of the
 * home's ENCKEYS): without ENCRYPT the clear fields and "encrypted" instead of values, never a value; with ENCRYPT
 * ON KEYNAME the values; a record under another key, a key missing from the file, and another key under the same
 * name are clear errors naming the RBA.
 */
class LogdumpEncryptionTest {
    @TempDir
    Path home;
    Path keys;
    List<Long> rbas;

    @BeforeEach
    void writeEncryptedTrail() throws Exception {
        keys = TrailKeys.defaultFile(home);
        TrailKeys.generate(keys, "k2026", 256, new SecureRandom());
        TrailKeys.generate(keys, "other", 256, new SecureRandom());
        RowRecords.Encoder enc = new RowRecords.Encoder(RecordSealer.of(TrailKeys.load(keys), "k2026", TrailCipher.AES256));
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ex"), "EXT1", TrailFormat.DEFAULT_MAX_FILE_BYTES, null, enc)) {
            w.append(LogdumpTest.workload());
        }
        byte[] b = Files.readAllBytes(home.resolve("dirdat/ex000000000"));
        assertFalse(new String(b, StandardCharsets.ISO_8859_1).contains("Ann"), "a value in the clear in the encrypted trail");
        rbas = new ArrayList<>();
        for (long p = 0; p + 4 <= b.length; p += 8 + ByteBuffer.wrap(b, (int) p, 4).getInt()) rbas.add(p);
    }

    LogdumpTest.Run args(String... commands) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int rc = Logdump.run(home, List.of(commands), new ByteArrayInputStream(new byte[0]), new PrintStream(b, true, StandardCharsets.UTF_8));
        return new LogdumpTest.Run(rc, b.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAKeyTheClearFieldsShowAndTheValuesDoNot() throws Exception {
        LogdumpTest.Run r = args("open ./dirdat/ex000000000", "ghdr on", "detail data", "n", "count");
        assertEquals(0, r.exit(), r.out());
        String o = r.out();
        assertTrue(o.contains("IOType     :     5  (x05)     TransInd   :     .  (x03)"), o);
        assertTrue(o.contains("AuditRBA   :          7       AuditPos   :        512"), o);
        assertTrue(o.contains("Insert               Len ") && o.contains("RBA " + rbas.get(1) + "\nName: HR.EMP\n"), o);
        assertTrue(o.matches("(?s).*Encrypted images \\(\\d+ bytes\\) under key k2026: encrypted, use ENCRYPT ON KEYNAME k2026 to show them\n.*"), o);
        assertFalse(o.contains("Ann") || o.contains("Column"), o);
        assertTrue(o.contains("has 5 records") && o.contains(String.format("%-22s %10d%n", "Encrypted Records", 5)), o);
    }

    @Test
    void encryptOnKeynameShowsTheValuesAndOffSealsThemAgain() throws Exception {
        LogdumpTest.Run r = args("open ./dirdat/ex000000000", "encrypt on keyname K2026", "detail data", "n", "n", "n",
                "count", "encrypt off", "pos first", "n");
        assertEquals(0, r.exit(), r.out());
        String o = r.out();
        String open = o.substring(0, o.indexOf("Logdump 8 >"));
        assertTrue(open.matches("(?s).*Column +1 .* NAME +STRING +Ann\n.*"), open);
        assertTrue(open.matches("(?s).*Before Image:\nColumn +0 .* ID +LONG +10\nColumn +1 .* LOC +STRING +OLD\nAfter  Image:\n.*LOC +STRING +NEW\n.*"), open);
        assertFalse(open.contains("Encrypted images"), open);
        assertTrue(open.contains(String.format("%-22s %10d%n", "Before Images", 2)) && !open.contains("Encrypted Records"), open);
        assertTrue(o.substring(o.indexOf("Logdump 10 >")).contains("encrypted, use ENCRYPT ON KEYNAME k2026"), o);
    }

    @Test
    void anotherKeyAMissingKeyAndAnotherKeyUnderTheNameAreErrorsNamingTheRba() throws Exception {
        LogdumpTest.Run other = args("open ./dirdat/ex000000000", "encrypt on keyname other", "n", "sfh", "encrypt on keyname nokey");
        assertEquals(1, other.exit(), other.out());
        String o = other.out();
        assertTrue(o.contains("ERROR: cannot decrypt the record at RBA " + rbas.get(1) + ": the record is encrypted under key k2026, not other"
                + " (ENCRYPT ON KEYNAME k2026 reads it)"), o);
        assertTrue(o.contains("next valid record at RBA " + rbas.get(2) + " ") && o.contains("cannot decrypt the record at RBA " + rbas.get(2)), o);
        assertTrue(o.contains("ERROR: OGG-06400 The key specified with KEYNAME is not present in the ENCKEYS file: key nokey is not in key file "
                + keys.toAbsolutePath() + " (keys: k2026, other)"), o);

        // the key file replaced: k2026 is now another key
        Files.delete(keys);
        TrailKeys.generate(keys, "k2026", 256, new SecureRandom());
        LogdumpTest.Run wrong = args("open ./dirdat/ex000000000", "encrypt on keyname k2026", "n");
        assertEquals(1, wrong.exit(), wrong.out());
        assertTrue(wrong.out().contains("ERROR: cannot decrypt the record at RBA " + rbas.get(1) + ": RTR-01251 Cannot decrypt the record at trail file "
                + home.resolve("dirdat/ex000000000").toAbsolutePath().normalize() + " (seqno 0) RBA " + rbas.get(1) + " with key k2026"), wrong.out());

        Files.delete(keys);
        LogdumpTest.Run none = args("encrypt on keyname k2026");
        assertEquals(1, none.exit());
        assertTrue(none.out().contains("ERROR: ") && none.out().contains(keys.toAbsolutePath().toString()), none.out());
    }
}
