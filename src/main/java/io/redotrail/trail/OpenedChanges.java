package io.redotrail.trail;

import io.redotrail.core.RowChange;
import io.redotrail.core.StreamedChanges;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.TrailKeys;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * The changes of a spilled transaction read from an encrypted trail by a decrypting reader: the spill file keeps them
 * sealed, each iteration decrypts them again (they were decrypted once when read, so a wrong key has already
 * stopped the reader at its record). Holds the spilled list, so its file lives as long as this view. Each iterator
 * has its own {@link RecordOpener}; iterate from one thread at a time per iterator.
 */
final class OpenedChanges extends StreamedChanges {
    private final List<RowChange> sealed;
    private final RowRecords.Row first;
    private final TrailKeys keys;
    private final Path file;
    private final long txStart;

    OpenedChanges(List<RowChange> sealed, RowRecords.Row first, TrailKeys keys, Path file, long txStart) {
        this.sealed = sealed;
        this.first = first;
        this.keys = keys;
        this.file = file;
        this.txStart = txStart;
    }

    @Override
    public Iterator<RowChange> iterator() {
        Iterator<RowChange> it = sealed.iterator();
        RecordOpener opener = new RecordOpener(keys);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public RowChange next() {
                RowChange c = it.next();
                // positions of single records are not kept in the spill file: messages name the transaction's start
                return c.isSealed() ? RowRecords.open(c, first.csn(), first.commitMillis(), first.xid(), opener, file, txStart) : c;
            }
        };
    }

    @Override
    public int size() {
        return sealed.size();
    }
}
