package io.redotrail.core;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * A committed source transaction: its changes in redo order, the commit SCN (CSN) and commit time.
 * {@code startPosition} is where its first change sits in the redo (the extract's recovery position while it
 * is open); {@code trailStart}/{@code trailEnd} are set when the transaction was read from a trail
 * (trailEnd = position just after its last record, the checkpoint a reader stores after applying it).
 * Jackson writes and reads it in the change-event JSON form of docs/events.md (any ObjectMapper, e.g. behind {@code marshal: json}).
 */
@JsonSerialize(using = ChangeEventJson.TransactionSerializer.class)
@JsonDeserialize(using = ChangeEventJson.TransactionDeserializer.class)
public record Transaction(Xid xid, Scn csn, long commitTimestampMillis, int thread, List<RowChange> changes,
                          RedoPosition startPosition, TrailPosition trailStart, TrailPosition trailEnd) {

    public Transaction {
        // a spilled transaction may not fit on the heap: keep its streamed list instead of copying it
        changes = changes instanceof StreamedChanges ? changes : List.copyOf(changes);
    }

    public Transaction(Xid xid, Scn csn, long commitTimestampMillis, int thread, List<RowChange> changes,
                       RedoPosition startPosition) {
        this(xid, csn, commitTimestampMillis, thread, changes, startPosition, null, null);
    }

    public int size() {
        return changes.size();
    }

    public Transaction withChanges(List<RowChange> newChanges) {
        return new Transaction(xid, csn, commitTimestampMillis, thread, newChanges, startPosition, trailStart, trailEnd);
    }

    public Transaction atTrail(TrailPosition start, TrailPosition end) {
        return new Transaction(xid, csn, commitTimestampMillis, thread, changes, startPosition, start, end);
    }

    @Override
    public String toString() {
        return "Transaction[xid=" + xid + ", csn=" + csn + ", ops=" + changes.size() + "]";
    }
}
