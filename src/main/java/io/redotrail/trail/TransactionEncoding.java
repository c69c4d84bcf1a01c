package io.redotrail.trail;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;

import java.util.function.Consumer;

/**
 * A transaction encoded by the trail's {@link RowRecords.Encoder} (clear or ENCRYPTTRAIL) as {@link TrailWriter} asks for its records, handing each change to
 * {@code written} once its record is encoded (STATS). A spilled transaction ({@link StreamedChanges}) is streamed.
 * Immutable.
 */
record TransactionEncoding(RowRecords.Encoder encoder, Transaction tx, Consumer<RowChange> written) implements EncodedTransaction {
    @Override
    public boolean streamed() {
        return tx.changes() instanceof StreamedChanges;
    }

    @Override
    public void writeRecords(BinaryWriter w, Runnable afterRecord) {
        // a heap transaction drains nothing between records: no lambda made per transaction for it
        encoder.writeTransaction(w, tx, afterRecord == TrailWriter.NOTHING ? written : c -> {
            written.accept(c);
            afterRecord.run();
        });
    }

    @Override
    public Scn csn() {
        return tx.csn();
    }

    @Override
    public Xid xid() {
        return tx.xid();
    }
}
