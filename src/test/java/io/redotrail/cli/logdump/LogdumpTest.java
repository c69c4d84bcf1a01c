package io.redotrail.cli.logdump;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Logdump over real trail files written by the real {@link TrailWriter}, damaged by overwriting bytes on disk. Record
 * positions are computed here from the files' length fields, independently of the reading code under test.
 */
class LogdumpTest {
    static final long T0 = 1_767_225_600_000L; // 2026/01/01 00:00:00 UTC

    @TempDir
    Path home;
    Path file;
    /** RBA of every record of ex000000000, the file header's (0) first. */
    List<Long> rbas;
    byte[] bytes;

    record Run(int exit, String out) {
    }

    static RowChange emp(long id, String name) {
        return new RowChange("HR.EMP", ChangeOp.INSERT, null,
                new RowImage(new String[]{"ID", "NAME", "SALARY"}, new Object[]{id, name, new BigDecimal("1234.50")}));
    }

    static RowChange deptUpdate(long id) {
        return new RowChange("HR.DEPT", ChangeOp.UPDATE, new RowImage(new String[]{"ID", "LOC"}, new Object[]{id, "OLD"}),
                new RowImage(new String[]{"ID", "LOC"}, new Object[]{id, "NEW"}));
    }

    static RowChange deptDelete(long id) {
        return new RowChange("HR.DEPT", ChangeOp.DELETE, new RowImage(new String[]{"ID"}, new Object[]{id}), null);
    }

    static Transaction tx(long n, RowChange... changes) {
        return new Transaction(new Xid(1, (int) n, n), Scn.of(1000 + n), T0 + n * 1000, 1, List.of(changes),
                new RedoPosition(1, 7, 512 * n));
    }

    /** tx1: 1 insert (whole); tx2: insert EMP, update DEPT, delete DEPT (begin, middle, end); tx3: 1 insert. */
    static List<Transaction> workload() {
        return List.of(tx(1, emp(1, "Ann")), tx(2, emp(2, "Bob"), deptUpdate(10), deptDelete(20)), tx(3, emp(3, "Cy")));
    }

    @BeforeEach
    void writeTrail() throws Exception {
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ex"), "EXT1", 1 << 20)) {
            w.append(workload());
        }
        file = home.resolve("dirdat/ex000000000");
        reload();
    }

    void reload() throws Exception {
        bytes = Files.readAllBytes(file);
        rbas = new ArrayList<>();
        for (long p = 0; p + 4 <= bytes.length; p += 8 + ByteBuffer.wrap(bytes, (int) p, 4).getInt()) rbas.add(p);
    }

    static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** Length field of record {@code i}. */
    int len(int i) {
        return ByteBuffer.wrap(bytes, rbas.get(i).intValue(), 4).getInt();
    }

    Run args(String... commands) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int rc = Logdump.run(home, List.of(commands), new ByteArrayInputStream(new byte[0]), new PrintStream(b, true, StandardCharsets.UTF_8));
        return new Run(rc, b.toString(StandardCharsets.UTF_8));
    }

    Run stdin(String text) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int rc = Logdump.run(home, List.of(), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(b, true, StandardCharsets.UTF_8));
        return new Run(rc, b.toString(StandardCharsets.UTF_8));
    }

    static String summary(String time, String what, long len, long rba) {
        return String.format("%-27s %-20s Len %5d RBA %d", time, what, len, rba);
    }

    void overwrite(Path f, long at, byte... b) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(b), at);
            ch.force(false);
        }
    }

    // ------------------------------------------------------------------ navigation

    @Test
    void nextWalksTheRecordsPosMovesAndTheEndOfTheFileIsSaid() throws Exception {
        assertEquals(6, rbas.size(), "header + 5 rows");
        Run r = args("open ./dirdat/ex000000000", "n", "next", "pos " + rbas.get(4), "n", "pos first", "n", "pos last", "n", "n");
        assertEquals(0, r.exit(), r.out());
        String o = r.out();
        assertTrue(o.contains("Logdump 1 >open ./dirdat/ex000000000\nCurrent LogTrail is " + abs(file) + "\n"), o);
        // FILEHEADER OFF (the default): the first record shown is the first row
        List<String> summaries = o.lines().filter(l -> l.contains(" Len ") && l.contains(" RBA ")).toList();
        assertEquals(List.of(
                summary("2026/01/01 00:00:01.000.000", "Insert", len(1), rbas.get(1)),
                summary("2026/01/01 00:00:02.000.000", "Insert", len(2), rbas.get(2)),
                summary("2026/01/01 00:00:02.000.000", "Delete", len(4), rbas.get(4)),
                summary("2026/01/01 00:00:01.000.000", "Insert", len(1), rbas.get(1)),
                summary("2026/01/01 00:00:03.000.000", "Insert", len(5), rbas.get(5))), summaries);
        assertTrue(o.contains("Reading forward from RBA " + rbas.get(4)), o);
        assertTrue(o.contains("Reading forward from RBA " + rbas.get(5)), "POS LAST is the last record: " + o);
        assertTrue(o.contains("End of file " + abs(file) + " at RBA " + bytes.length + "\n"), o);
        assertTrue(o.contains("Name: HR.EMP\n"), o);

        Run n2 = args("open ./dirdat/ex000000000", "fileheader detail", "n 2");
        assertTrue(n2.out().contains("FileHeader           Len " + String.format("%5d", len(0)) + " RBA 0"), n2.out());
        assertTrue(n2.out().contains("Trail format version " + io.redotrail.trail.TrailFormat.FORMAT_VERSION + ", prefix ex, seqno 0, written by EXT1"), n2.out());
        assertTrue(n2.out().contains("Previous files end with CSN 0"), n2.out());
        assertTrue(n2.out().contains("RBA " + rbas.get(1)) && !n2.out().contains("RBA " + rbas.get(2)), n2.out());
    }

    @Test
    void scanForEndTransSkipsToTheNextTransaction() throws Exception {
        Run r = args("open ./dirdat/ex000000000", "pos " + rbas.get(2), "sfet", "sfet");
        assertEquals(0, r.exit(), r.out());
        String o = r.out();
        assertTrue(o.contains("End of transaction XID " + new Xid(1, 2, 2) + " CSN 1002 at RBA " + rbas.get(4)
                + "; the next transaction starts at RBA " + rbas.get(5) + "\n"), o);
        // the record shown is read: the next SFET starts after it, here at the end of the file
        assertEquals(List.of(rbas.get(5)), rbasShown(o), o);
        assertTrue(o.contains("Logdump 4 >sfet\nEnd of file " + abs(file) + " at RBA " + bytes.length + "\n"), o);
        Run whole = args("open ./dirdat/ex000000000", "pos " + rbas.get(1), "sfet");
        assertTrue(whole.out().contains("End of transaction XID " + new Xid(1, 1, 1) + " CSN 1001 at RBA " + rbas.get(1)
                + "; the next transaction starts at RBA " + rbas.get(2) + "\n"), whole.out());
        assertEquals(List.of(rbas.get(2)), rbasShown(whole.out()), whole.out());
    }

    @Test
    void nextTrailFollowsRolloverAndTheFileEndRecordIsShown() throws Exception {
        // 1 KB files, transactions of 700 bytes: each one after the first rolls over to a new file (FILE_END before it)
        Path trail = home.resolve("dirdat/rb");
        try (TrailWriter w = TrailWriter.open(trail, "PUMP", 1024)) {
            for (int n = 1; n <= 3; n++) w.append(List.of(tx(n, emp(n, "x".repeat(700)))));
        }
        assertTrue(Files.exists(home.resolve("dirdat/rb000000001")), "rolled over");
        Run r = args("open dirdat/rb000000000", "n", "n", "n", "nexttrail", "n");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("FileEnd              Len    17 RBA "), r.out());
        assertTrue(r.out().contains("The trail goes on in seqno 1; last CSN 1001"), r.out());
        assertTrue(r.out().contains("the trail goes on in rb000000001 (NEXTTRAIL opens it)"), r.out());
        assertTrue(r.out().contains("Current LogTrail is " + abs(home.resolve("dirdat/rb000000001"))), r.out());
        assertTrue(r.out().contains("Insert               Len ") && r.out().lines().filter(l -> l.startsWith("Name: HR.EMP")).count() == 2, r.out());
        Run last = args("open dirdat/rb000000002", "nexttrail");
        assertEquals(1, last.exit());
        assertTrue(last.out().contains("ERROR: no next trail file: " + abs(home.resolve("dirdat/rb000000003"))), last.out());
    }

    // ------------------------------------------------------------------ GHDR / DETAIL

    @Test
    void ghdrAndDetailShowGoldenGatesFieldsAndTheColumnValues() throws Exception {
        Run r = args("open ./dirdat/ex000000000", "ghdr on", "detail data", "n", "n", "n", "detail on", "ghdr off", "n");
        assertEquals(0, r.exit(), r.out());
        String o = r.out();
        String first = o.substring(o.indexOf("Logdump 4 >n"), o.indexOf("Logdump 5 >n"));
        assertTrue(first.contains("Hdr-Ind    :   ROW  (x02)     UndoFlag   :     .  (x00)"), first);
        assertTrue(first.contains("BeforeAfter:     A  (x41)     RecLength  : " + String.format("%5d  (x%04x)", len(1), len(1))), first);
        assertTrue(first.contains("IO Time    : 2026/01/01 00:00:01.000.000"), first);
        assertTrue(first.contains("IOType     :     5  (x05)     TransInd   :     .  (x03)"), first);
        assertTrue(first.contains("SyskeyLen  :     0  (x00)     Continued  :     N  (x00)"), first);
        assertTrue(first.contains("AuditRBA   :          7       AuditPos   :        512"), first);
        assertTrue(first.contains("CSN        : 1001"), first);
        assertTrue(first.contains("XID        : " + new Xid(1, 1, 1)), first);
        assertTrue(first.contains(summary("2026/01/01 00:00:01.000.000", "Insert", len(1), rbas.get(1)) + "\nName: HR.EMP\nAfter  Image:\n"), first);
        assertTrue(first.matches("(?s).*Column +0 \\(x0000\\), Len +9 \\(x0009\\) +ID +LONG +1\n.*"), first);
        assertTrue(first.matches("(?s).*Column +1 \\(x0001\\), Len +\\d+ \\(x....\\) +NAME +STRING +Ann\n.*"), first);
        assertTrue(first.matches("(?s).*Column +2 \\(x0002\\), Len +\\d+ \\(x....\\) +SALARY +DECIMAL +1234.5\n.*"), first);
        // the begin record of tx2 knows its redo position; the middle one (the update) does not, and has both images
        String update = o.substring(o.indexOf("Logdump 6 >n"), o.indexOf("Logdump 7 >"));
        assertTrue(update.contains("TransInd   :     .  (x01)"), update);
        assertTrue(update.contains("AuditRBA   :          -       AuditPos   :          -"), update);
        assertTrue(update.contains("Update               Len "), update);
        assertTrue(update.matches("(?s).*Before Image:\nColumn +0 .* ID +LONG +10\nColumn +1 .* LOC +STRING +OLD\nAfter  Image:\n.*LOC +STRING +NEW\n.*"), update);
        // DETAIL ON: columns without values; GHDR OFF: no header fields
        String delete = o.substring(o.indexOf("Logdump 9 >n"));
        assertFalse(delete.contains("Hdr-Ind"), delete);
        assertTrue(delete.contains("Delete               Len ") && delete.contains("Before Image:\n"), delete);
        assertTrue(delete.matches("(?s).*Column +0 \\(x0000\\), Len +9 \\(x0009\\) +ID +LONG\n.*"), delete);
    }

    // ------------------------------------------------------------------ COUNT and FILTER

    @Test
    void countTotalsAndPerTableWithDetail() throws Exception {
        Run r = args("open ./dirdat/ex000000000", "count", "count detail");
        assertEquals(0, r.exit(), r.out());
        String o = r.out();
        long bytes = 0;
        for (int i = 1; i <= 5; i++) bytes += len(i);
        String total = "LogTrail " + abs(file) + " has 5 records\n"
                + String.format("%-22s %10d%n", "Total Data Bytes", bytes)
                + String.format("%-22s %10d%n", "  Avg Bytes/Record", bytes / 5)
                + String.format("%-22s %10d%n%-22s %10d%n%-22s %10d%n", "Insert", 3, "Update", 1, "Delete", 1)
                + String.format("%-22s %10d%n%-22s %10d%n", "Before Images", 2, "After Images", 4)
                + "\nAverage of 3 Transactions\n";
        assertTrue(o.contains(total), o);
        String detail = o.substring(o.indexOf("Logdump 3 >count detail"));
        String dept = detail.substring(detail.indexOf("\nHR.DEPT\n"), detail.indexOf("\nHR.EMP\n"));
        assertTrue(dept.contains(String.format("%-22s %10d%n", "Total Data Bytes", len(3) + len(4))), dept);
        assertTrue(dept.contains(String.format("%-22s %10d%n%-22s %10d%n%-22s %10d%n", "Insert", 0, "Update", 1, "Delete", 1)), dept);
        String emp = detail.substring(detail.indexOf("\nHR.EMP\n"));
        assertTrue(emp.contains(String.format("%-22s %10d%n", "Insert", 3)) && emp.contains(String.format("%-22s %10d%n", "Before Images", 0)), emp);
    }

    @Test
    void filterByTableWildcardAndTransIndThenClear() throws Exception {
        Run r = args("open ./dirdat/ex000000000", "filter include filename hr.d*", "n", "n", "n", "filter show", "count",
                "filter clear", "filter include transind 3", "pos 0", "n", "n", "n", "filter clear", "filter exclude filename HR.EMP",
                "pos first", "n");
        assertEquals(0, r.exit(), r.out());
        String o = r.out();
        String dept = o.substring(o.indexOf("Logdump 3 >"), o.indexOf("Logdump 6 >"));
        assertEquals(List.of(rbas.get(3), rbas.get(4)), rbasShown(dept), dept);
        assertTrue(dept.contains("End of file"), dept);
        assertTrue(o.contains("Filters: INCLUDE FILENAME hr.d*"), o);
        assertTrue(o.contains("has 2 records"), o);
        String whole = o.substring(o.indexOf("Logdump 10 >"), o.indexOf("Logdump 14 >"));
        assertEquals(List.of(rbas.get(1), rbas.get(5)), rbasShown(whole), whole);
        assertEquals(List.of(rbas.get(3)), rbasShown(o.substring(o.indexOf("Logdump 17 >"))), o);
        Run bad = args("filter include column x", "filter include transind 7");
        assertEquals(1, bad.exit());
        assertTrue(bad.out().contains("ERROR: FILTER INCLUDE takes FILENAME or TRANSIND, not column"), bad.out());
        assertTrue(bad.out().contains("ERROR: TRANSIND is 0 (begin), 1 (middle), 2 (end) or 3 (whole), not 7"), bad.out());
    }

    static List<Long> rbasShown(String out) {
        return out.lines().filter(l -> l.contains(" Len ") && l.contains(" RBA "))
                .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).toList();
    }

    // ------------------------------------------------------------------ damage

    @Test
    void aCrcMismatchIsShownWithFileSeqnoRbaAndReasonAndScanForHeaderRecoversAfterIt() throws Exception {
        long bad = rbas.get(2);
        overwrite(file, bad + 20, (byte) (bytes[(int) bad + 20] ^ 0x5a)); // inside the body: the CRC no longer matches
        Run r = args("open ./dirdat/ex000000000", "n", "n", "n", "sfh", "n", "count");
        assertEquals(1, r.exit(), r.out());
        String o = r.out();
        String error = "ERROR: bad record in " + abs(file) + " (trail seqno 0) at RBA " + bad
                + ": a record CRC mismatch (length field says " + (len(2) + 8) + " bytes with its frame)";
        assertEquals(2, o.substring(0, o.indexOf("Logdump 5 >")).lines().filter(error::equals).count(), "the position stays on the bad record: " + o);
        assertTrue(o.contains("Scan for header from RBA " + bad + ": next valid record at RBA " + rbas.get(3)
                + " (" + (rbas.get(3) - bad) + " bytes on)"), o);
        assertEquals(List.of(rbas.get(1), rbas.get(3), rbas.get(4)), rbasShown(o.substring(0, o.indexOf("Logdump 7 >"))), o);
        assertTrue(o.contains("has 1 records") && o.contains("Counted up to RBA " + bad + " only:"), o);
        // POS LAST passes the damage, as SFH does, to the last record of the file
        Run last = args("open ./dirdat/ex000000000", "pos last", "n");
        assertEquals(0, last.exit(), last.out());
        assertTrue(last.out().contains("Passed damaged records at RBA [" + bad + "] (NEXT at them shows why)\nReading forward from RBA " + rbas.get(5) + "\n"), last.out());
        assertEquals(List.of(rbas.get(5)), rbasShown(last.out()), last.out());
    }

    @Test
    void aLengthPastTheEndOfTheFileAndAZeroLengthAreShownAndScanForHeaderFindsNothingAfterATornTail() throws Exception {
        long last = rbas.get(5);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(last + 10); // a torn tail: the last record cut short
        }
        overwrite(file, rbas.get(3), new byte[4]); // zeroed length field
        Run r = args("open ./dirdat/ex000000000", "pos " + rbas.get(3), "n", "pos " + last, "n", "sfh");
        assertEquals(1, r.exit(), r.out());
        String o = r.out();
        assertTrue(o.contains("at RBA " + rbas.get(3) + ": an invalid record length 0 (valid: 1 to 1073741824)"), o);
        assertTrue(o.contains("at RBA " + last + ": a record that runs past the end of the file (length field says "
                + (len(5) + 8) + " bytes with its frame, the file has 10 from this RBA): a torn tail, or a write in progress"), o);
        assertTrue(o.contains("Scan for header from RBA " + last + ": no valid record up to the end of the file (RBA " + (last + 10) + ")"), o);
        // SFH from the zeroed length finds the record after it
        Run s = args("open ./dirdat/ex000000000", "pos " + rbas.get(3), "sfh");
        assertEquals(0, s.exit(), s.out());
        assertEquals(List.of(rbas.get(4)), rbasShown(s.out()), s.out());
    }

    @Test
    void aValidFrameWithUndecodableContentIsShownAsSuchNotThrown() throws Exception {
        // IOType 99 with a recomputed CRC: the frame is valid, the body is not (as an unknown record format would be)
        int at = rbas.get(1).intValue();
        byte[] b = bytes.clone();
        b[at + 6] = 0;
        b[at + 7] = 99;
        int l = len(1);
        CRC32C crc = new CRC32C();
        crc.update(b, at, 4 + l);
        ByteBuffer.wrap(b).putInt(at + 4 + l, (int) crc.getValue());
        Files.write(file, b);
        Run r = args("open ./dirdat/ex000000000", "n", "sfh");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("at RBA " + at + ": valid CRC, but unknown IOType 99"), r.out());
        assertEquals(List.of(rbas.get(2)), rbasShown(r.out()), r.out());
    }

    // ------------------------------------------------------------------ modes and exit status

    @Test
    void stdinAndArgumentsGiveTheSameSessionAndExitStopsIt() throws Exception {
        Run a = args("open ./dirdat/ex000000000", "ghdr on", "n", "count detail");
        Run s = stdin("open ./dirdat/ex000000000\n\n-- a comment\nGHDR ON\nN\ncount detail\nexit\nn\n");
        assertEquals(0, a.exit());
        assertEquals(0, s.exit());
        assertEquals(a.out().replace("ghdr on", "GHDR ON").replace(">n\n", ">N\n") + "Logdump 5 >exit\n", s.out());
    }

    @Test
    void exitStatusIsOneWhenAnyCommandFailedAndTheSessionGoesOn() throws Exception {
        Run r = args("n", "open ./dirdat/nothere000000000", "bogus", "ghdr maybe", "open ./dirdat/ex000000000", "pos x", "pos 99999", "n");
        assertEquals(1, r.exit(), r.out());
        String o = r.out();
        assertTrue(o.contains("ERROR: no trail file open (OPEN file, e.g. OPEN ./dirdat/ex000000000)"), o);
        assertTrue(o.contains("ERROR: cannot open " + abs(home.resolve("dirdat/nothere000000000")) + ": no such file"), o);
        assertTrue(o.contains("ERROR: unknown command bogus (HELP lists the commands)"), o);
        assertTrue(o.contains("ERROR: usage: GHDR ON | OFF"), o);
        assertTrue(o.contains("ERROR: POS takes an RBA, FIRST or LAST, not x"), o);
        assertTrue(o.contains("ERROR: RBA 99999 is past the end of " + abs(file) + " (" + bytes.length + " bytes)"), o);
        assertEquals(List.of(rbas.get(1)), rbasShown(o), "the session went on: " + o);
        Run ok = args("help", "open ./dirdat/ex000000000", "n", "count");
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("SCANFORHEADER | SFH"), ok.out());
    }

    @Test
    void theCommandLineRunsEachArgumentAsOneCommandAndExitsOneOnAFailure() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
        int ok, failed;
        String okOut;
        try {
            ok = io.redotrail.cli.Main.execute(new String[]{"logdump", "--home", home.toString(), "open ./dirdat/ex000000000", "n 2"});
            okOut = b.toString(StandardCharsets.UTF_8);
            b.reset();
            failed = io.redotrail.cli.Main.execute(new String[]{"logdump", "--home", home.toString(), "open ./dirdat/ex000000009"});
        } finally {
            System.setOut(out);
        }
        assertEquals(0, ok, okOut);
        assertEquals(List.of(rbas.get(1), rbas.get(2)), rbasShown(okOut), okOut);
        assertEquals(1, failed, b.toString(StandardCharsets.UTF_8));
        assertTrue(b.toString(StandardCharsets.UTF_8).contains("ERROR: cannot open " + abs(home.resolve("dirdat/ex000000009")) + ": no such file"));
    }
}
