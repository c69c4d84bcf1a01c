package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;

import java.util.ArrayDeque;

/**
 * The parallel Replicat's transactions in trail order after the low watermark: each dispatched or skipped one
 * gets its ordinal here, and the low watermark is the last of the longest prefix of committed ones. Beyond it,
 * commits are out of trail order (the _LOX rows list what is applied, {@link ParallelCheckpoints}).
 * <p>
 * Not thread-safe: used only under the {@link ParallelScheduler}'s lock.
 */
final class TrailOrder {
    /** Units after the low watermark, in trail order. */
    private final ArrayDeque<ParallelUnit> order = new ArrayDeque<>();
    private long nextOrdinal;
    private ParallelUnit lowWatermark;
    /** Trail position of the last transaction added: they must come in trail order. */
    private TrailPosition lastPosition;
    /** The SPLIT_TRANS_RECS piece that transaction was, or null. */
    private TransactionPiece lastPiece;

    /**
     * Gives {@code u} the next ordinal and places it last. Refuses a transaction that does not follow the last one
     * added in the trail: the low watermark is the end of a committed prefix in the order transactions arrive here,
     * so a skipped one placed before an earlier transaction was dispatched would let the watermark pass that
     * transaction unapplied (lost after a restart). The first transaction out of order abends the group naming it.
     * An internal fault, never bad input; transactions without a trail position (built in memory) pass.
     */
    void add(ParallelUnit u) {
        Transaction tx = u.tx;
        TrailPosition p = tx.trailStart();
        if (p != null) {
            int c = lastPosition == null ? 1 : p.compareTo(lastPosition);
            // the pieces of one transaction share its position: each must follow the one before it
            boolean nextPiece = c == 0 && u.piece != null && lastPiece != null && u.piece.from() == lastPiece.from() + lastPiece.count();
            boolean pieceOfNew = c > 0 && (u.piece == null || u.piece.from() == 0) && (lastPiece == null || lastPiece.last());
            if (!nextPiece && !pieceOfNew) {
                throw new IllegalStateException("parallel Replicat: transaction XID " + tx.xid() + " CSN " + tx.csn()
                        + " at trail " + p + (u.piece == null ? "" : " (operations from " + u.piece.from() + ")")
                        + " reached the scheduler after the one at " + lastPosition
                        + (lastPiece == null ? "" : " (operations from " + lastPiece.from() + ")") + ": out of trail order");
            }
            lastPosition = p;
            lastPiece = u.piece;
        }
        u.ordinal = nextOrdinal++;
        order.add(u);
    }

    /** Moves the low watermark over the committed ({@code done}) units at the head; it names whole transactions only. */
    void advance() {
        while (!order.isEmpty() && order.peekFirst().done) {
            ParallelUnit u = order.poll();
            if (u.endsTransaction()) lowWatermark = u;
        }
    }

    /** The earliest unit after the low watermark, or null. */
    ParallelUnit first() {
        return order.peekFirst();
    }

    boolean isEmpty() {
        return order.isEmpty();
    }

    /** The last transaction of the committed prefix, or null when none has committed in this run. */
    Transaction lowWatermark() {
        return lowWatermark == null ? null : lowWatermark.tx;
    }
}
