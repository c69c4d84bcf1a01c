package io.redotrail.trail;

import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.spill.ChangeBuffer;
import io.redotrail.trail.crypto.RecordOpener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ROW records of one transaction, as {@link TrailReader} reads them, turned into a {@link Transaction}: buffered
 * (spilled to {@code spillDir} past {@code spillRows} rows), decrypted with {@code decrypt} when given. Where the
 * records come from, and whether they follow one another (file positioning, {@link TrailRecords}' checks), is the
 * reader's; this holds only what one transaction collects between its first record and its end record.
 * Not thread-safe.
 */
final class TransactionAssembly {
    private final RecordOpener decrypt;
    private final Path spillDir;
    private final int spillRows;
    /** In spill file names: an earlier reader's transaction, deleted when unreachable, must not take a later one's file. */
    private final String spillId = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    private long spillFiles;
    /** The transaction being read (null between transactions). */
    private ChangeBuffer partial;
    private RowRecords.Row first;
    /** The buffered transaction's changes decrypted, while none is spilled (the buffer holds them sealed); else null. */
    private List<RowChange> clearChanges;
    private boolean anySealed;

    TransactionAssembly(Path spillDir, int spillRows, RecordOpener decrypt) {
        this.decrypt = decrypt;
        this.spillDir = spillDir;
        this.spillRows = spillRows;
    }

    /**
     * Adds the ROW record {@code row} read at {@code rba} of {@code file} (trail seqno {@code seqno}) to the
     * transaction that began at {@code txStart}; a TRANS_BEGIN or TRANS_WHOLE record begins a new one.
     */
    void add(RowRecords.Row row, Path file, long seqno, long txStart, long rba) {
        if (row.transInd() == TrailFormat.TRANS_BEGIN || row.transInd() == TrailFormat.TRANS_WHOLE) {
            first = row;
            // the name is made only if it spills: a path per transaction was a tenth of the reader's allocation
            long n = spillFiles++;
            Path dir = spillDir;
            String id = spillId; // locals: a delivered transaction's buffer must not keep this reader reachable
            partial = dir == null ? new ChangeBuffer((Path) null)
                    : new ChangeBuffer(() -> dir.resolve("trail-" + seqno + "-" + txStart + "-" + id + "-" + n + ".spill"));
            clearChanges = new ArrayList<>();
            anySealed = false;
        }
        // encrypted images are decrypted here (a wrong key stops at this record), but buffered sealed, so that a
        // spilled transaction is not written to dirtmp/ in the clear; the clear ones are kept until it spills
        RowChange change = row.change();
        if (change.isSealed() && decrypt != null) {
            anySealed = true;
            RowChange clear = RowRecords.open(change, row.csn(), row.commitMillis(), row.xid(), decrypt, file, rba);
            if (spillDir == null) change = clear;
            if (clearChanges != null) clearChanges.add(clear);
        } else if (clearChanges != null) {
            clearChanges.add(change);
        }
        partial.add(change, 0);
        if (spillDir != null && spillRows > 0 && partial.size() % spillRows == 0) {
            partial.spill();
            clearChanges = null;
        }
    }

    /** The buffered transaction, which ended at {@code end}: delivered, and the buffer is empty again. */
    Transaction complete(Path file, long seqno, long txStart, long end) {
        List<RowChange> changes = partial.seal();
        if (anySealed && spillDir != null) {
            changes = clearChanges != null ? clearChanges : new OpenedChanges(changes, first, decrypt.keys(), file, txStart);
        }
        Transaction tx = new Transaction(first.xid(), Scn.of(first.csn()), first.commitMillis(),
                first.thread(), changes, first.startPosition())
                .atTrail(new TrailPosition(seqno, txStart), new TrailPosition(seqno, end));
        partial = null;
        clearChanges = null;
        first = null;
        return tx;
    }

    /** Row changes of the incomplete transaction buffered so far; 0 between transactions. */
    long size() {
        return partial == null ? 0 : partial.size();
    }

    /** "transaction XID x CSN c" of the incomplete transaction, for a message naming what lacks its end. */
    String describe() {
        return "transaction XID " + first.xid() + " CSN " + first.csn();
    }

    /** Forgets the incomplete transaction (and deletes its spill file). */
    void drop() {
        if (partial != null) partial.discard();
        partial = null;
        clearChanges = null;
        first = null;
    }
}
