package io.redotrail.trail.crypto;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.Heartbeat;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailTestData;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ENCRYPTTRAIL on real trail files: round trip, wrong and missing keys, tampering, rotation, pass-through, no plaintext on disk. */
class TrailEncryptionTest {
    @TempDir
    Path dir;

    private static final String SECRET = "Zanzibar-Quokka-7731";

    private Path keyFile(String... nameHex) throws Exception {
        Path f = dir.resolve("ENCKEYS");
        StringBuilder sb = new StringBuilder("# test keys\n");
        for (int i = 0; i < nameHex.length; i += 2) sb.append(nameHex[i]).append("  0x").append(nameHex[i + 1]).append('\n');
        Files.writeString(f, sb);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static String hex(int bits, int seed) {
        byte[] k = new byte[bits / 8];
        for (int i = 0; i < k.length; i++) k[i] = (byte) (seed * 31 + i * 7);
        return HexFormat.of().withUpperCase().formatHex(k);
    }

    private static List<Transaction> secretTxs(long from, long to) {
        List<Transaction> out = new ArrayList<>();
        for (long n = from; n < to; n++) {
            List<RowChange> changes = List.of(
                    new RowChange("HR.EMP", ChangeOp.INSERT, null, new RowImage(new String[]{"ID", "NAME", "SALARY"},
                            new Object[]{n, SECRET + n, new BigDecimal("98765.43")})),
                    new RowChange("HR.EMP", ChangeOp.UPDATE,
                            new RowImage(new String[]{"ID", "NAME"}, new Object[]{n, SECRET + n}),
                            new RowImage(new String[]{"ID", "NAME"}, new Object[]{n, SECRET + "-new" + n})),
                    new RowChange("HR.DEPT", ChangeOp.DELETE, new RowImage(new String[]{"ID"}, new Object[]{n}), null));
            out.add(new Transaction(new Xid(2, (int) n, n), Scn.of(5000 + n), 1_700_000_000_000L + n, 1, changes,
                    new RedoPosition(1, 3, 100 * n)));
        }
        return out;
    }

    private static void write(Path trail, Path keys, String keyName, TrailCipher cipher, List<Transaction> txs) {
        RowRecords.Encoder enc = new RowRecords.Encoder(RecordSealer.of(TrailKeys.load(keys), keyName, cipher));
        try (TrailWriter w = TrailWriter.open(trail, "EXT1", TrailFormat.DEFAULT_MAX_FILE_BYTES, null, enc)) {
            w.append(txs);
        }
    }

    private static List<Transaction> readAll(Path trail, RecordOpener opener) {
        try (TrailReader r = new TrailReader(trail, TrailPosition.START, null, 0, opener)) {
            List<Transaction> out = new ArrayList<>();
            for (List<Transaction> b = r.poll(100_000); !b.isEmpty(); b = r.poll(100_000)) out.addAll(b);
            return out;
        }
    }

    private static void assertSame(List<Transaction> expected, List<Transaction> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) TrailTestData.assertSameTx(expected.get(i), actual.get(i));
    }

    @Test
    void eachAlgorithmRoundTripsAndVersionOneFilesStayReadable() throws Exception {
        Path keys = keyFile("k128", hex(128, 1), "k256", hex(256, 2));
        int i = 0;
        for (TrailCipher c : TrailCipher.values()) {
            Path trail = dir.resolve("t" + i++);
            List<Transaction> txs = secretTxs(1, 20);
            String name = c == TrailCipher.AES128 ? "k128" : "k256";
            write(trail, keys, name, c, txs);
            assertSame(txs, readAll(trail, new RecordOpener(TrailKeys.lazy(keys))));
        }
        // a 128-bit master key cannot give AES256 its strength
        TrailKeyException e = assertThrows(TrailKeyException.class, () -> RecordSealer.of(TrailKeys.load(keys), "k128", TrailCipher.AES256));
        assertTrue(e.getMessage().contains("RTR-01252"), e.getMessage());
        // a version-1 header is still read
        Path plain = dir.resolve("pl");
        try (TrailWriter w = TrailWriter.open(plain, "EXT1", TrailFormat.DEFAULT_MAX_FILE_BYTES)) {
            w.append(TrailTestData.txs(1, 3, 2));
        }
        byte[] f = Files.readAllBytes(TrailFormat.fileOf(plain, 0));
        assertEquals(TrailFormat.FORMAT_VERSION, ((f[9] & 0xFF) << 8) | (f[10] & 0xFF));
        f[10] = 1;
        fixCrc(f, 0);
        Files.write(TrailFormat.fileOf(plain, 0), f);
        assertSame(TrailTestData.txs(1, 3, 2), readAll(plain, null));
    }

    @Test
    void theTrailFileHoldsNoPlaintextValueAndNoKey() throws Exception {
        String k = hex(256, 9);
        Path keys = keyFile("prod", k);
        Path trail = dir.resolve("ex");
        write(trail, keys, "prod", TrailCipher.AES256, secretTxs(1, 200));
        byte[] f = Files.readAllBytes(TrailFormat.fileOf(trail, 0));
        String latin = new String(f, StandardCharsets.ISO_8859_1);
        assertFalse(latin.contains("Zanzibar"), "plaintext value in the encrypted trail");
        assertFalse(latin.contains("NAME") || latin.contains("SALARY"), "column name in the encrypted trail");
        assertFalse(latin.toUpperCase().contains(k) || latin.toLowerCase().contains(k.toLowerCase()), "key hex in the trail");
        assertEquals(-1, indexOf(f, HexFormat.of().parseHex(k)), "raw key bytes in the trail");
        assertEquals(-1, indexOf(f, new BigDecimal("98765.43").unscaledValue().toByteArray()), "decimal value in the trail");
        assertTrue(latin.contains("HR.EMP"), "the table name stays in the clear for the pump's TABLE filter");
        // messages and toString never show a key
        assertFalse(TrailKeys.load(keys).toString().contains(k));
        assertFalse(RecordSealer.of(TrailKeys.load(keys), "prod", TrailCipher.AES256).toString().contains(k));
    }

    @Test
    void aWrongOrMissingKeyStopsAtTheRecordNamingFileRbaAndKey() throws Exception {
        Path keys = keyFile("prod", hex(256, 3));
        Path trail = dir.resolve("ex");
        write(trail, keys, "prod", TrailCipher.AES256, secretTxs(1, 5));
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Path wrong = other.resolve("ENCKEYS");
        Files.writeString(wrong, "prod 0x" + hex(256, 4) + "\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        TrailKeyException e = assertThrows(TrailKeyException.class, () -> readAll(trail, new RecordOpener(TrailKeys.lazy(wrong))));
        String file = TrailFormat.fileOf(trail, 0).toString();
        assertTrue(e.getMessage().startsWith("RTR-01251"), e.getMessage());
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains("seqno 0") && e.getMessage().contains("key prod"), e.getMessage());
        long firstRow = firstRowRba(Files.readAllBytes(TrailFormat.fileOf(trail, 0)));
        assertTrue(e.getMessage().contains("RBA " + firstRow + " "), e.getMessage());

        Files.writeString(wrong, "test 0x" + hex(256, 4) + "\n");
        TrailKeyException missing = assertThrows(TrailKeyException.class, () -> readAll(trail, new RecordOpener(TrailKeys.lazy(wrong))));
        assertTrue(missing.getMessage().startsWith("OGG-06400") && missing.getMessage().contains("key prod")
                && missing.getMessage().contains(file) && missing.getMessage().contains("RBA " + firstRow), missing.getMessage());

        Files.delete(wrong);
        TrailKeyException noFile = assertThrows(TrailKeyException.class, () -> readAll(trail, new RecordOpener(TrailKeys.lazy(wrong))));
        assertTrue(noFile.getMessage().contains("does not exist"), noFile.getMessage());

        Files.writeString(wrong, "prod 0x" + hex(256, 3) + "\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
        TrailKeyException open = assertThrows(TrailKeyException.class, () -> TrailKeys.load(wrong));
        assertTrue(open.getMessage().contains("chmod 600"), open.getMessage());
    }

    @Test
    void anAlteredHeaderOrCiphertextDoesNotDecrypt() throws Exception {
        Path keys = keyFile("prod", hex(256, 5));
        Path trail = dir.resolve("ex");
        write(trail, keys, "prod", TrailCipher.AES256, secretTxs(1, 2));
        Path file = TrailFormat.fileOf(trail, 0);
        byte[] good = Files.readAllBytes(file);
        int row = (int) firstRowRba(good);
        // CSN (after length, type, TransInd, IOType) +1, CRC fixed: only the cipher can notice
        byte[] csn = good.clone();
        csn[row + 4 + 1 + 1 + 2 + 7]++;
        fixCrc(csn, row);
        Files.write(file, csn);
        TrailKeyException e = assertThrows(TrailKeyException.class, () -> readAll(trail, new RecordOpener(TrailKeys.lazy(keys))));
        assertTrue(e.getMessage().startsWith("RTR-01251") && e.getMessage().contains("RBA " + row + " "), e.getMessage());
        // last ciphertext byte before the CRC
        byte[] body = good.clone();
        int len = ByteBuffer.wrap(good, row, 4).getInt();
        body[row + 4 + len - 1] ^= 0x01;
        fixCrc(body, row);
        Files.write(file, body);
        e = assertThrows(TrailKeyException.class, () -> readAll(trail, new RecordOpener(TrailKeys.lazy(keys))));
        assertTrue(e.getMessage().startsWith("RTR-01251"), e.getMessage());
        Files.write(file, good);
        assertEquals(1, readAll(trail, new RecordOpener(TrailKeys.lazy(keys))).size());
    }

    @Test
    void rotationByNameKeepsOlderRecordsReadable() throws Exception {
        Path keys = keyFile("k2025", hex(256, 6));
        Path trail = dir.resolve("ex");
        List<Transaction> first = secretTxs(1, 10);
        write(trail, keys, "k2025", TrailCipher.AES256, first);
        // keygen adds the new key; the writer restarts with KEYNAME k2026
        TrailKeys.generate(keys, "k2026", 256, new SecureRandom());
        assertThrows(IllegalArgumentException.class, () -> TrailKeys.generate(keys, "K2025", 256, new SecureRandom()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        List<Transaction> second = secretTxs(10, 20);
        write(trail, keys, "k2026", TrailCipher.AES192, second);
        List<Transaction> all = new ArrayList<>(first);
        all.addAll(second);
        assertSame(all, readAll(trail, new RecordOpener(TrailKeys.lazy(keys))));
        List<Transaction> sealed = readAll(trail, null);
        assertEquals("k2025", RecordOpener.keyName(sealed.get(0).changes().get(0).sealed().bytes()));
        assertEquals("k2026", RecordOpener.keyName(sealed.get(sealed.size() - 1).changes().get(2).sealed().bytes()));
    }

    /**
     * A heartbeat the Extract stamped and sealed, read by a PASSTHRU pump without the key: its hop cannot be
     * recorded (the values are in the sealed image; the clear fields are the authenticated data, which a pump must
     * not change), so it passes on byte for byte: the Replicat reads the Extract's stamp, and no routing path or
     * routing time (INCOMING_ROUTING_PATH '', INCOMING_ROUTING_TS NULL in GG_HEARTBEAT). A pump with the key stamps.
     */
    @Test
    void aPassthroughPumpWithoutTheKeyPassesASealedHeartbeatUnstamped() throws Exception {
        Path keys = keyFile("prod", hex(256, 12));
        java.time.LocalDateTime beat = java.time.LocalDateTime.of(2026, 12, 3, 8, 0);
        Transaction source = new Transaction(new Xid(3, 1, 1), Scn.of(7001), Heartbeat.millis(beat), 1,
                List.of(new RowChange(Heartbeat.SEED, ChangeOp.UPDATE, Heartbeat.seedImage("ORCL", 1, beat),
                        Heartbeat.seedImage("ORCL", 1, beat))), new RedoPosition(1, 3, 100));
        Path ex = dir.resolve("ex");
        write(ex, keys, "prod", TrailCipher.AES256, Heartbeat.stamp(List.of(source), Heartbeat.Hop.EXTRACT, "EXT1", Heartbeat.millis(beat) + 100));

        List<Transaction> sealed = readAll(ex, null);
        RowChange c = sealed.get(0).changes().get(0);
        assertTrue(c.isSealed() && Heartbeat.isHeartbeat(c), "the table is clear: the pump knows it is a heartbeat");
        List<Transaction> passed = Heartbeat.stamp(sealed, Heartbeat.Hop.ROUTING, "PUMP1", Heartbeat.millis(beat) + 200);
        assertTrue(passed.get(0).changes().get(0) == c, "the sealed change is passed on as it is");
        Path ha = dir.resolve("ha");
        write(ha, keys, "prod", TrailCipher.AES256, passed);
        assertEquals(rowBodies(Files.readAllBytes(TrailFormat.fileOf(ex, 0))), rowBodies(Files.readAllBytes(TrailFormat.fileOf(ha, 0))));
        RowImage atReplicat = readAll(ha, new RecordOpener(TrailKeys.lazy(keys))).get(0).changes().get(0).after();
        assertEquals("EXT1", atReplicat.get(Heartbeat.INCOMING_EXTRACT));
        assertEquals(beat.plusNanos(100_000_000), atReplicat.get(Heartbeat.INCOMING_EXTRACT_TS));
        assertEquals(null, atReplicat.get(Heartbeat.INCOMING_ROUTING_PATH), "no pump on the recorded path");
        assertEquals(null, atReplicat.get(Heartbeat.INCOMING_ROUTING_TS));

        // a pump with DECRYPTTRAIL opens the image and stamps it
        RowImage stamped = Heartbeat.stamp(readAll(ex, new RecordOpener(TrailKeys.lazy(keys))), Heartbeat.Hop.ROUTING, "PUMP1",
                Heartbeat.millis(beat) + 200).get(0).changes().get(0).after();
        assertEquals("PUMP1", stamped.get(Heartbeat.INCOMING_ROUTING_PATH));
        assertEquals(beat.plusNanos(200_000_000), stamped.get(Heartbeat.INCOMING_ROUTING_TS));
    }

    @Test
    void aPassthroughReaderCopiesEncryptedRecordsByteForByte() throws Exception {
        Path keys = keyFile("prod", hex(256, 8), "pump", hex(256, 10));
        Path ex = dir.resolve("ex");
        List<Transaction> txs = secretTxs(1, 30);
        write(ex, keys, "prod", TrailCipher.AES256, txs);
        List<Transaction> sealed = readAll(ex, null);
        assertTrue(sealed.get(0).changes().get(0).isSealed());
        assertEquals("HR.EMP", sealed.get(0).changes().get(0).table());
        // a pump without DECRYPTTRAIL, with or without ENCRYPTTRAIL of its own, writes them back unchanged
        Path ha = dir.resolve("ha");
        write(ha, keys, "pump", TrailCipher.AES128, sealed);
        assertEquals(rowBodies(Files.readAllBytes(TrailFormat.fileOf(ex, 0))), rowBodies(Files.readAllBytes(TrailFormat.fileOf(ha, 0))));
        assertSame(txs, readAll(ha, new RecordOpener(TrailKeys.lazy(keys))));
        // a pump with DECRYPTTRAIL and ENCRYPTTRAIL re-encrypts under its own key
        Path hb = dir.resolve("hb");
        write(hb, keys, "pump", TrailCipher.AES128, readAll(ex, new RecordOpener(TrailKeys.lazy(keys))));
        List<Transaction> again = readAll(hb, null);
        assertEquals("pump", RecordOpener.keyName(again.get(0).changes().get(0).sealed().bytes()));
        assertSame(txs, readAll(hb, new RecordOpener(TrailKeys.lazy(keys))));
    }

    @Test
    void aSpilledSealedTransactionKeepsItsBytes() throws Exception {
        Path keys = keyFile("prod", hex(256, 12));
        Path ex = dir.resolve("ex");
        List<Transaction> txs = secretTxs(1, 3);
        write(ex, keys, "prod", TrailCipher.AES256, txs);
        List<Transaction> whole = readAll(ex, null);
        Path spill = dir.resolve("spill");
        try (TrailReader r = new TrailReader(ex, TrailPosition.START, spill, 1, null)) {
            List<Transaction> spilled = r.poll(100_000);
            assertEquals(whole.size(), spilled.size());
            for (int i = 0; i < whole.size(); i++) assertEquals(whole.get(i).changes(), new ArrayList<>(spilled.get(i).changes()));
        }
    }

    @Test
    void aDecryptingReaderSpillsSealedAndDeliversClear() throws Exception {
        Path keys = keyFile("prod", hex(256, 13));
        Path ex = dir.resolve("ex");
        List<Transaction> txs = secretTxs(1, 4);
        write(ex, keys, "prod", TrailCipher.AES256, txs);
        Path spill = dir.resolve("spill");
        try (TrailReader r = new TrailReader(ex, TrailPosition.START, spill, 2, new RecordOpener(TrailKeys.lazy(keys)))) {
            List<Transaction> read = r.poll(100_000);
            assertEquals(txs.size(), read.size());
            for (int i = 0; i < txs.size(); i++) {
                assertTrue(read.get(i).changes() instanceof io.redotrail.core.StreamedChanges, "spilled");
                assertEquals(txs.get(i).changes(), new ArrayList<>(read.get(i).changes()));
            }
            List<Path> files;
            try (var l = Files.list(spill)) {
                files = l.toList();
            }
            assertFalse(files.isEmpty(), "no spill file");
            for (Path f : files) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("Zanzibar"), "plaintext value in spill file " + f);
            }
        }
        // without spilling, one decryption per record and the same result
        try (TrailReader r = new TrailReader(ex, TrailPosition.START, spill, 100, new RecordOpener(TrailKeys.lazy(keys)))) {
            List<Transaction> read = r.poll(100_000);
            for (int i = 0; i < txs.size(); i++) TrailTestData.assertSameTx(txs.get(i), read.get(i));
        }
    }

    // --- raw record access: length, type, body, CRC (docs/trail-format.md)

    private static long firstRowRba(byte[] f) {
        int pos = 0;
        while (pos < f.length) {
            int len = ByteBuffer.wrap(f, pos, 4).getInt();
            if (f[pos + 4] == TrailFormat.TYPE_ROW) return pos;
            pos += len + TrailFormat.FRAME;
        }
        throw new AssertionError("no ROW record");
    }

    private static List<String> rowBodies(byte[] f) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < f.length) {
            int len = ByteBuffer.wrap(f, pos, 4).getInt();
            if (f[pos + 4] == TrailFormat.TYPE_ROW) out.add(HexFormat.of().formatHex(f, pos + 4, pos + 4 + len));
            pos += len + TrailFormat.FRAME;
        }
        return out;
    }

    private static void fixCrc(byte[] f, int rba) {
        int len = ByteBuffer.wrap(f, rba, 4).getInt();
        CRC32C crc = new CRC32C();
        crc.update(f, rba, 4 + len);
        ByteBuffer.wrap(f, rba + 4 + len, 4).putInt((int) crc.getValue());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void keyFileLinesAreCheckedWithoutShowingKeys() throws Exception {
        Path f = keyFile("a", hex(128, 1));
        Files.writeString(f, "a 0x" + hex(128, 1) + "\nb 0xZZ" + hex(128, 1).substring(2) + "\n");
        TrailKeyException e = assertThrows(TrailKeyException.class, () -> TrailKeys.load(f));
        assertTrue(e.getMessage().contains("line 2") && !e.getMessage().contains(hex(128, 1).substring(2)), e.getMessage());
        Files.writeString(f, "a 0x" + hex(128, 1) + "\nA 0x" + hex(128, 2) + "\n");
        assertTrue(assertThrows(TrailKeyException.class, () -> TrailKeys.load(f)).getMessage().contains("twice"));
        Files.writeString(f, "-- comment\n\nsuper_key 0x" + hex(192, 1) + "\n");
        assertNotNull(TrailKeys.load(f).key("SUPER_KEY", "test"));
        assertArrayEquals(HexFormat.of().parseHex(hex(192, 1)), TrailKeys.load(f).key("super_key", "test").bytes());
    }
}
