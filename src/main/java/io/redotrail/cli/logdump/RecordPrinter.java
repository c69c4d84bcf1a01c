package io.redotrail.cli.logdump;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.ValueCodec;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailInspector;
import io.redotrail.trail.crypto.RecordOpener;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Logdump's record display, with GoldenGate's field names where the trail holds that datum: the record header
 * ({@code GHDR ON}), the summary line {@code 2026/12/02 16:00:00.123.000 Insert Len 163 RBA 3828} and
 * {@code Name: OWNER.TABLE}, the columns ({@code DETAIL ON}) and their values ({@code DETAIL DATA}); for encrypted
 * images still sealed, their size and key name instead. Times are UTC.
 * Stateless apart from the stream; used by one thread.
 */
final class RecordPrinter {
    enum Detail { OFF, ON, DATA }

    enum FileHeaderMode { OFF, ON, DETAIL }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String RULE = "___________________________________________________________________";

    private final PrintStream out;

    RecordPrinter(PrintStream out) {
        this.out = out;
    }

    /** GoldenGate's IO Time form, milliseconds and a microsecond part. */
    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis)) + ".000";
    }

    static String opName(ChangeOp op) {
        return switch (op) {
            case INSERT -> "Insert";
            case UPDATE -> "Update";
            case DELETE -> "Delete";
            case PK_UPDATE -> "GGSPKUpdate";
        };
    }

    void row(TrailInspector.Record r, boolean ghdr, Detail detail) {
        RowRecords.Row row = r.row();
        RowChange c = row.change();
        long recLength = r.length() - TrailFormat.FRAME;
        if (ghdr) {
            out.println(RULE);
            pair("Hdr-Ind", "ROW", TrailFormat.TYPE_ROW, 2, "UndoFlag", ".", 0, 2);
            boolean after = c.op() != ChangeOp.DELETE; // also when the images are sealed
            pair("BeforeAfter", after ? "A" : "B", after ? 'A' : 'B', 2, "RecLength", Long.toString(recLength), recLength, 4);
            out.printf("%-11s: %s%n", "IO Time", time(row.commitMillis()));
            pair("IOType", Integer.toString(c.op().ioType()), c.op().ioType(), 2, "TransInd", ".", row.transInd(), 2);
            pair("SyskeyLen", "0", 0, 2, "Continued", "N", 0, 2);
            if (row.startPosition() != null) {
                out.printf("%-11s: %10d       %-11s: %10d%n", "AuditRBA", row.startPosition().sequence(), "AuditPos", row.startPosition().rba());
            } else {
                out.printf("%-11s: %10s       %-11s: %10s%n", "AuditRBA", "-", "AuditPos", "-");
            }
            pair("RecCount", "1", 1, 2, "Thread", row.transInd() == TrailFormat.TRANS_BEGIN || row.transInd() == TrailFormat.TRANS_WHOLE
                    ? Integer.toString(row.thread()) : "-", -1, 0);
            out.printf("%-11s: %-17d%-11s: %s%n", "CSN", row.csn(), "XID", row.xid());
            out.println();
        }
        summary(time(row.commitMillis()), opName(c.op()), recLength, r.rba());
        out.println("Name: " + c.table());
        if (c.isSealed()) {
            String key = RecordOpener.keyName(c.sealed().bytes());
            out.println("Encrypted images (" + c.sealed().length() + " bytes) under key " + key + ": encrypted, use ENCRYPT ON KEYNAME "
                    + key + " to show them");
            return;
        }
        if (detail == Detail.OFF) return;
        if (c.before() != null) image("Before Image:", c.before(), detail);
        if (c.after() != null) image("After  Image:", c.after(), detail);
    }

    void header(TrailInspector.Record r, FileHeaderMode mode) {
        TrailFormat.FileHeader h = r.header();
        summary(time(h.createdMillis()), "FileHeader", r.length() - TrailFormat.FRAME, r.rba());
        out.println("Name: *FileHeader*");
        out.printf(" Trail format version %d, prefix %s, seqno %d, written by %s%n", h.version(), h.prefix(), h.seqno(),
                h.group().isEmpty() ? "(no group)" : h.group());
        if (mode == FileHeaderMode.DETAIL) {
            out.printf(" Previous files end with CSN %d, XIDs %s%n", h.prevLastCsn(), h.prevLastXids());
        }
    }

    void fileEnd(TrailInspector.Record r) {
        summary("", "FileEnd", r.length() - TrailFormat.FRAME, r.rba());
        out.printf(" The trail goes on in seqno %d; last CSN %d%n", r.fileEnd().nextSeqno(), r.fileEnd().lastCsn());
    }

    private void summary(String time, String what, long len, long rba) {
        out.printf("%-27s %-20s Len %5d RBA %d%n", time, what, len, rba);
    }

    /** One line of two GoldenGate header fields: {@code Name : shown (xHH)}, the code in {@code hex} digits (0: none). */
    private void pair(String n1, String v1, long code1, int hex1, String n2, String v2, long code2, int hex2) {
        out.println(String.format("%-11s: %5s  %-10s%-11s: %5s  %s", n1, v1, hex(code1, hex1), n2, v2, hex(code2, hex2)).stripTrailing());
    }

    private static String hex(long code, int digits) {
        return digits == 0 ? "" : String.format("(x%0" + digits + "x)", code);
    }

    private void image(String title, RowImage img, Detail detail) {
        out.println(title);
        for (int i = 0; i < img.size(); i++) {
            Object v = img.value(i);
            BinaryWriter w = new BinaryWriter(16);
            ValueCodec.writeValue(w, v);
            String line = String.format("Column %5d (x%04x), Len %5d (x%04x)  %-20s %-9s", i, i, w.position(), w.position(),
                    img.column(i), typeName(v));
            out.println(detail == Detail.DATA ? line + " " + ValueCodec.display(v) : line.stripTrailing());
        }
    }

    static String typeName(Object v) {
        if (v == null) return "NULL";
        if (v instanceof Long || v instanceof Integer || v instanceof Short) return "LONG";
        if (v instanceof BigDecimal) return "DECIMAL";
        if (v instanceof String) return "STRING";
        if (v instanceof java.time.LocalDateTime) return "TIMESTAMP";
        if (v instanceof java.time.LocalDate) return "DATE";
        if (v instanceof byte[]) return "BYTES";
        if (v instanceof Double) return "DOUBLE";
        if (v instanceof Boolean) return "BOOLEAN";
        return v.getClass().getSimpleName();
    }
}
