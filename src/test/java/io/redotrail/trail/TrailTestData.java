package io.redotrail.trail;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small transactions for trail tests. */
public final class TrailTestData {
    private TrailTestData() {
    }

    public static RowChange insert(long id, String name) {
        return new RowChange("HR.EMP", ChangeOp.INSERT, null,
                new RowImage(new String[]{"ID", "NAME"}, new Object[]{id, name}));
    }

    /** Transaction number {@code n} (CSN 1000 + n) with {@code rows} inserts. */
    public static Transaction tx(long n, int rows) {
        List<RowChange> changes = new ArrayList<>();
        for (int i = 0; i < rows; i++) changes.add(insert(n * 1000 + i, "row " + i + " of " + n));
        return new Transaction(new Xid(1, (int) (n % 100), n), Scn.of(1000 + n), 1_700_000_000_000L + n, 1, changes,
                new RedoPosition(1, 7, 512 * n));
    }

    public static List<Transaction> txs(long from, long to, int rows) {
        List<Transaction> l = new ArrayList<>();
        for (long n = from; n < to; n++) l.add(tx(n, rows));
        return l;
    }

    public static void assertSameTx(Transaction expected, Transaction actual) {
        assertEquals(expected.xid(), actual.xid());
        assertEquals(expected.csn(), actual.csn());
        assertEquals(expected.commitTimestampMillis(), actual.commitTimestampMillis());
        assertEquals(expected.thread(), actual.thread());
        assertEquals(expected.startPosition(), actual.startPosition());
        assertEquals(expected.changes(), actual.changes());
    }
}
