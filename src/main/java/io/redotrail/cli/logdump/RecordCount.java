package io.redotrail.cli.logdump;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailInspector;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Logdump's {@code COUNT [DETAIL]}: ROW records of a file by operation and image, bytes, transactions, and with
 * DETAIL the same per table. Used by one thread.
 */
final class RecordCount {
    private static final class Totals {
        long records, bytes, before, after, sealed;
        final Map<ChangeOp, Long> ops = new EnumMap<>(ChangeOp.class);

        void add(TrailInspector.Record r) {
            RowChange c = r.row().change();
            records++;
            bytes += r.length() - TrailFormat.FRAME;
            ops.merge(c.op(), 1L, Long::sum);
            if (c.isSealed()) sealed++;
            if (c.before() != null) before++;
            if (c.after() != null) after++;
        }

        void print(PrintStream out) {
            line(out, "Total Data Bytes", bytes);
            line(out, "  Avg Bytes/Record", records == 0 ? 0 : bytes / records);
            for (ChangeOp op : ChangeOp.values()) {
                long n = ops.getOrDefault(op, 0L);
                if (n > 0 || op != ChangeOp.PK_UPDATE) line(out, RecordPrinter.opName(op), n);
            }
            line(out, "Before Images", before);
            line(out, "After Images", after);
            if (sealed > 0) line(out, "Encrypted Records", sealed);
        }
    }

    private final Totals all = new Totals();
    private final Map<String, Totals> tables = new TreeMap<>();
    private long transactions;

    void add(TrailInspector.Record r) {
        all.add(r);
        tables.computeIfAbsent(r.row().change().table(), t -> new Totals()).add(r);
        int ind = r.row().transInd();
        if (ind == TrailFormat.TRANS_END || ind == TrailFormat.TRANS_WHOLE) transactions++;
    }

    void print(PrintStream out, String file, boolean detail) {
        out.println("LogTrail " + file + " has " + all.records + " records");
        all.print(out);
        if (transactions > 0) {
            out.println();
            out.println("Average of " + transactions + " Transactions");
            out.printf("    Bytes/Trans ..... %10d%n", all.bytes / transactions);
            out.printf("    Records/Trans ... %10d%n", all.records / transactions);
        }
        if (!detail) return;
        tables.forEach((t, n) -> {
            out.println();
            out.println(t);
            n.print(out);
        });
    }

    private static void line(PrintStream out, String what, long n) {
        out.printf("%-22s %10d%n", what, n);
    }
}
