package io.redotrail.trail.remote;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.net.Link;
import io.redotrail.trail.RowRecords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The pump's side of RECORDS ({@link RemoteProtocol} version 2): a batch's transactions, their ROW records encoded
 * by the trail's encoder, packed into messages of about {@link #budget} bytes — several whole transactions per
 * message, so that COMPRESS works on a megabyte of records instead of one transaction of a kilobyte or two, below
 * COMPRESSTHRESHOLD. A message ends at the batch's end, once it holds the budget at a transaction's end, or at a
 * record boundary inside a transaction larger than the budget. A streamed (spilled) transaction begins a message
 * of its own, flagged STREAMED, and passes through in budget-sized pieces, never held whole. Not thread-safe.
 */
final class RecordFrames {
    /** Message budget of the pump (about 1 MB: the compressed ratio of larger messages hardly grows). */
    static final int BUDGET = 1 << 20;

    private final RowRecords.Encoder encoder;
    private final int budget;
    private final BinaryWriter w;
    private Link link;
    /** FIRST and STREAMED of the message being filled, as its first record began. */
    private int flags;

    RecordFrames(RowRecords.Encoder encoder, int budget) {
        this.encoder = encoder;
        this.budget = budget;
        this.w = new BinaryWriter(budget + (64 << 10));
    }

    /** Sends {@code txs} (each with at least one change) as RECORDS messages; the caller sends COMMIT after them. */
    void send(Link link, List<Transaction> txs) throws IOException {
        this.link = link;
        start(RemoteProtocol.FIRST);
        try {
            for (Transaction tx : txs) {
                if (tx.changes() instanceof StreamedChanges) {
                    if (!empty()) {
                        message(RemoteProtocol.LAST);
                        start(RemoteProtocol.FIRST);
                    }
                    flags |= RemoteProtocol.STREAMED;
                }
                int n = tx.changes().size();
                int[] written = {0};
                encoder.writeTransaction(w, tx, c -> {
                    // a cut inside the transaction: the next message continues it (no FIRST)
                    if (++written[0] < n && w.position() >= budget) {
                        message(0);
                        start(0);
                    }
                });
                if (w.position() >= budget) {
                    message(RemoteProtocol.LAST);
                    start(RemoteProtocol.FIRST);
                }
            }
            if (!empty()) message(RemoteProtocol.LAST);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private boolean empty() {
        return w.position() == 1;
    }

    private void start(int first) {
        w.clear();
        w.u8(0);
        flags = first;
    }

    private void message(int last) {
        w.array()[0] = (byte) (flags | last);
        try {
            link.send(RemoteProtocol.RECORDS, w.array(), 0, w.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
