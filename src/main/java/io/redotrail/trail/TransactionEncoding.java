package io.redotrail.trail;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;

import java.util.function.Consumer;

/**
 * A transaction encoded by {@link RowRecords} as {@link TrailWriter} asks for its records, handing each change to
 * {@code written} once its record is encoded (STATS). A spilled transaction ({@link StreamedChanges}) is streamed.
 * Immutable.
 */
record TransactionEncoding(Transaction tx, Consumer<RowChange> written) implements EncodedTransaction {
    @Override
    public boolean streamed() {
        return tx.changes() instanceof StreamedChanges;
    }

    @Override
    public void writeRecords(BinaryWriter w, Runnable afterRecord) {
        RowRecords.writeTransaction(w, tx, c -> {
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
