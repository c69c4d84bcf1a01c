package io.redotrail.replicat;

import io.redotrail.core.RowChange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * A piece of a source transaction that SPLIT_TRANS_RECS split for the parallel Replicat: operations
 * {@code [from, from + count)} of the transaction's {@code total} (heartbeat records taken out), applied and
 * committed as a transaction of its own, with dependencies on other pieces as on other transactions. {@link #last}:
 * it ends the transaction (the low watermark may pass the transaction only with it). {@code applied}: a _LOX row of
 * an earlier run lists it, so it is skipped.
 * <p>
 * Pieces are named in _LOX by their operation range and the transaction's operation count
 * ({@code #from+count/total}), not by their number, so a restart with another SPLIT_TRANS_RECS (or without) still
 * applies exactly the operations no committed piece holds; a transaction that counts its operations otherwise than
 * when its pieces were recorded is refused, never cut at other places.
 */
record TransactionPiece(int from, int count, int total, boolean applied) {

    /** Whether it ends its transaction. */
    boolean last() {
        return from + count == total;
    }

    /** The entry's suffix after the transaction's {@code csn/xid} in a _LOX row. */
    String loxSuffix() {
        return "#" + from + "+" + count + "/" + total;
    }

    /**
     * The pieces of a transaction of {@code size} operations, in operation order: those listed in {@code applied}
     * ({from, count, total} from _LOX) as they were, the operations between them in pieces of at most
     * {@code splitRecs} ({@code 0}: one piece each). Fails when a range was recorded for another operation count, or
     * overlaps another, or passes the end: cutting elsewhere would apply operations twice or never.
     */
    static List<TransactionPiece> of(int size, int splitRecs, List<int[]> applied) {
        List<int[]> done = new ArrayList<>(applied);
        done.sort(Comparator.comparingInt(r -> r[0]));
        List<TransactionPiece> out = new ArrayList<>();
        int at = 0;
        for (int[] r : done) {
            if (r[2] != size || r[0] < at || r[1] < 1 || r[0] + r[1] > size) {
                throw new IllegalStateException("the _LOX pieces " + describe(done) + " (from+count/total) do not fit a "
                        + "transaction of " + size + " operations: it is not counted as when they were committed");
            }
            cut(out, at, r[0], splitRecs, size);
            out.add(new TransactionPiece(r[0], r[1], size, true));
            at = r[0] + r[1];
        }
        cut(out, at, size, splitRecs, size);
        return out;
    }

    private static void cut(List<TransactionPiece> out, int from, int to, int splitRecs, int size) {
        int step = splitRecs > 0 ? splitRecs : Math.max(1, to - from);
        for (int f = from; f < to; f += step) out.add(new TransactionPiece(f, Math.min(step, to - f), size, false));
    }

    /** Whether the ranges hold the first operation: that piece carried the transaction's heartbeats. */
    static boolean startsApplied(List<int[]> applied) {
        for (int[] r : applied) if (r[0] == 0) return true;
        return false;
    }

    /** The operations of {@code changes} that no range of {@code applied} holds, in order (read once, in order). */
    static List<RowChange> notApplied(List<RowChange> changes, List<int[]> applied) {
        List<RowChange> out = new ArrayList<>();
        Iterator<RowChange> it = changes.iterator();
        for (TransactionPiece p : of(changes.size(), 0, applied)) {
            for (int i = 0; i < p.count(); i++) {
                RowChange c = it.next();
                if (!p.applied()) out.add(c);
            }
        }
        return out;
    }

    /** The {from, count, total} of a _LOX entry's suffix ({@code #from+count/total}). */
    static int[] parseSuffix(String suffix) {
        int plus = suffix.indexOf('+');
        int slash = suffix.indexOf('/', Math.max(plus, 0));
        if (!suffix.startsWith("#") || plus < 0 || slash < 0) throw new IllegalArgumentException("not a _LOX piece: " + suffix);
        return new int[]{Integer.parseInt(suffix.substring(1, plus)), Integer.parseInt(suffix.substring(plus + 1, slash)),
                Integer.parseInt(suffix.substring(slash + 1))};
    }

    private static String describe(List<int[]> ranges) {
        StringBuilder b = new StringBuilder();
        for (int[] r : ranges) b.append(b.length() == 0 ? "" : ", ").append(r[0]).append('+').append(r[1]).append('/').append(r[2]);
        return "[" + b + "]";
    }
}
