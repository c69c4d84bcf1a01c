package io.redotrail.it;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.ValueCodec;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.TrailKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bin/redotrail logdump} as its own JVM from the packaged jar, over the trail the real routes wrote: COUNT
 * DETAIL agrees with the trail read back by {@link io.redotrail.trail.TrailReader}; after a byte of a record is
 * flipped on disk, the record is shown with its file, seqno, RBA and reason, SCANFORHEADER finds the record after
 * it, and the exit status is 1 — with the commands as arguments and on stdin. And the encrypted trail of the real
 * routes, with and without its key.
 */
class LogdumpIT {
    @TempDir
    Path home;

    @Test
    void countsTheRealTrailAndShowsADamagedRecordInBothModes() throws Exception {
        ItSupport.replicate(ItSupport.settings(home), 150, 12, Duration.ofMinutes(3));
        assertArrayEquals(new long[]{0}, ItReadBack.trailSeqnos(home, "ex"), "one trail file at the default size");
        List<Transaction> trail = ItReadBack.readTrail(home, "ex");
        Map<String, Long> inserts = new TreeMap<>();
        long rows = 0;
        for (Transaction t : trail) {
            for (RowChange c : t.changes()) {
                rows++;
                if (c.op() == ChangeOp.INSERT) inserts.merge(c.table(), 1L, Long::sum);
            }
        }
        Path file = ItReadBack.trailFile(home, "ex", 0);

        ItJvms.Cli count = ItJvms.cliJvm(Duration.ofMinutes(2), List.of(), "logdump", "--home", home.toString(),
                "open ./dirdat/ex000000000", "count detail");
        assertEquals(0, count.exitCode(), count.output());
        String o = count.output();
        assertTrue(o.contains("LogTrail " + file.toAbsolutePath().normalize() + " has " + rows + " records\n"), o);
        assertTrue(o.contains("Average of " + trail.size() + " Transactions\n"), o);
        inserts.forEach((table, n) -> {
            String section = o.substring(o.indexOf("\n" + table + "\n"));
            assertTrue(section.contains(String.format("%-22s %10d%n", "Insert", n)), table + ": " + section);
        });

        // the first record of the 5th transaction: flip a byte of its body, so its CRC no longer matches
        long bad = trail.get(4).trailStart().rba();
        byte[] bytes = Files.readAllBytes(file);
        long after = bad + 8 + ByteBuffer.wrap(bytes, (int) bad, 4).getInt();
        ItSupport.flipByte(file, bad + 12);
        String error = "ERROR: bad record in " + file.toAbsolutePath().normalize() + " (trail seqno 0) at RBA " + bad + ": a record CRC mismatch";

        ItJvms.Cli args = ItJvms.cliJvm(Duration.ofMinutes(2), List.of(), "logdump", "--home", home.toString(),
                "open ./dirdat/ex000000000", "pos " + bad, "n", "sfh");
        assertEquals(1, args.exitCode(), args.output());
        assertTrue(args.output().contains(error), args.output());
        assertTrue(args.output().contains("next valid record at RBA " + after + " "), args.output());

        String stdin = stdinSession("open ./dirdat/ex000000000\npos " + bad + "\nn\nsfh\nexit\n");
        assertTrue(stdin.startsWith("exit 1\n"), stdin);
        assertTrue(stdin.contains("Logdump 3 >n\n" + error), stdin);
        assertTrue(stdin.contains("Logdump 4 >sfh\nScan for header from RBA " + bad + ": next valid record at RBA " + after + " "), stdin);
    }

    /**
     * The Extract encrypts dirdat/ex (ENCRYPTTRAIL AES256, key PROD of the home's ENCKEYS): without a key logdump
     * shows the first record's clear fields and no value; with ENCRYPT ON KEYNAME PROD its values, the ones the
     * Replicat's decrypting TrailReader reads.
     */
    @Test
    void readsTheEncryptedTrailOfTheRealRoutesWithTheKeyAndOnlyTheClearFieldsWithout() throws Exception {
        Path keyFile = TrailKeys.defaultFile(home);
        TrailKeys.generate(keyFile, "PROD", 256, new SecureRandom());
        ItSupport.replicate(ItSupport.settings(home, "redotrail.extract.encrypt", "AES256", "redotrail.extract.keyName", "PROD",
                "redotrail.workload.lobRatio", "0"), 100, 5, Duration.ofMinutes(3));
        List<Transaction> trail = new ArrayList<>();
        try (TrailReader r = new TrailReader(home.resolve("dirdat/ex"), TrailPosition.START, null, 0, new RecordOpener(TrailKeys.load(keyFile)))) {
            for (List<Transaction> b = r.poll(100_000); !b.isEmpty(); b = r.poll(100_000)) trail.addAll(b);
        }
        RowChange first = trail.get(0).changes().get(0);
        RowImage image = first.after() != null ? first.after() : first.before();
        long rows = trail.stream().mapToLong(t -> t.changes().size()).sum();

        ItJvms.Cli sealed = ItJvms.cliJvm(Duration.ofMinutes(2), List.of(), "logdump", "--home", home.toString(),
                "open ./dirdat/ex000000000", "ghdr on", "detail data", "n", "count");
        assertEquals(0, sealed.exitCode(), sealed.output());
        assertTrue(sealed.output().contains("Name: " + first.table() + "\nEncrypted images ("), sealed.output());
        assertTrue(sealed.output().contains("encrypted, use ENCRYPT ON KEYNAME PROD to show them"), sealed.output());
        assertTrue(sealed.output().contains(String.format("%-22s %10d%n", "Encrypted Records", rows)), sealed.output());
        assertFalse(sealed.output().contains("Column "), sealed.output());

        ItJvms.Cli open = ItJvms.cliJvm(Duration.ofMinutes(2), List.of(), "logdump", "--home", home.toString(),
                "open ./dirdat/ex000000000", "encrypt on keyname PROD", "detail data", "n");
        assertEquals(0, open.exitCode(), open.output());
        List<String> columns = open.output().lines().filter(l -> l.startsWith("Column ")).toList();
        assertEquals(image.size() * (first.before() != null && first.after() != null ? 2 : 1), columns.size(), open.output());
        for (int i = 0; i < image.size(); i++) {
            String col = image.column(i), value = ValueCodec.display(image.value(i));
            assertTrue(columns.stream().anyMatch(l -> l.contains(" " + col + " ") && l.endsWith(" " + value)), col + " = " + value + ":\n" + open.output());
        }
    }

    /** {@code logdump --home H} reading {@code commands} from its stdin: "exit N\n" and its output. */
    private String stdinSession(String commands) throws Exception {
        Process p = ItJvms.mainJvm(List.of("-Xmx256m"), new String[0], "logdump", "--home", home.toString()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(commands.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("logdump did not finish within 2 minutes:\n" + out);
        }
        return "exit " + p.exitValue() + "\n" + out;
    }
}
