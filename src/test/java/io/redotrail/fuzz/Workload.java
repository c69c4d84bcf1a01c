package io.redotrail.fuzz;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The small deterministic workload every file kind is made from, and how a delivered transaction is compared. */
final class Workload {
    private Workload() {
    }

    static RowChange row(long id, int version) {
        RowImage after = image(id, version);
        return switch ((int) (id + version) % 5) {
            case 3 -> new RowChange("HR.EMP", ChangeOp.UPDATE, image(id, version - 1), after);
            case 4 -> new RowChange("HR.EMP", ChangeOp.DELETE, image(id, version), null);
            default -> new RowChange("HR.EMP", ChangeOp.INSERT, null, after);
        };
    }

    private static RowImage image(long id, int version) {
        return new RowImage(new String[]{"ID", "NAME", "SAL"},
                new Object[]{id, "name " + id + " v" + version, BigDecimal.valueOf(1000 + id * 7 + version, 2)});
    }

    /** {@code n} committed transactions of 1 to 4 rows, CSNs from {@code firstCsn} on. */
    static List<Transaction> transactions(int n, long firstCsn) {
        List<Transaction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<RowChange> rows = new ArrayList<>();
            for (int r = 0; r <= i % 4; r++) rows.add(row(i * 10L + r, r));
            out.add(new Transaction(new Xid(1, i % 7, 100 + i), Scn.of(firstCsn + i * 3L), 1_400_000_000_000L + i * 1000L, 1,
                    rows, null));
        }
        return out;
    }

    /** What a reader delivered of a transaction, row for row. */
    static String describe(Transaction t) {
        StringBuilder sb = new StringBuilder("XID ").append(t.xid()).append(" CSN ").append(t.csn().value());
        for (RowChange c : t.changes()) sb.append("\n  ").append(c);
        return sb.toString();
    }
}
