package io.redotrail.core;

import java.util.AbstractList;
import java.util.Iterator;

/**
 * The changes of a transaction too large to hold on the heap: {@link #iterator()} streams them (from spill
 * files, then memory) in order; random access is refused. {@link Transaction} keeps such a list as it is
 * instead of copying it, and the trail writer streams it in chunks. Iterating twice reads the files twice.
 */
public abstract class StreamedChanges extends AbstractList<RowChange> {

    @Override
    public abstract Iterator<RowChange> iterator();

    @Override
    public abstract int size();

    @Override
    public RowChange get(int index) {
        throw new UnsupportedOperationException("changes of a spilled transaction are streamed; iterate them in order");
    }
}
