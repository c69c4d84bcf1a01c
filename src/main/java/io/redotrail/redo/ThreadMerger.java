package io.redotrail.redo;

import io.redotrail.checkpoint.CheckpointPoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the records of several redo threads into global SCN order (a k-way merge), as a RAC-aware extract
 * must. A record with SCN s is released only when every other thread either has a buffered record with a
 * higher SCN, or has a watermark of at least s ({@link RedoLogReader#watermark()}: its heartbeat, end-of-log
 * or a record at or above s was read, so nothing at or below s can still come from it), or is CLOSED in the
 * control file and has nothing more on disk. An idle but open thread therefore holds the merge back until its
 * writer's next heartbeat, exactly as an idle RAC instance's redo must still be read past the SCN in question.
 * With one thread this is a plain pass-through. Tracks per thread the point just after the last released record
 * (updated once per {@link #next} call, which is when {@link #currentPoints()} is read).
 * <p>
 * Known limit: a CLOSED thread that is reopened and written between this merger's empty poll of it and its
 * read of the control file could deliver a record below one released meanwhile; writers reopen with SCNs above
 * everything already written, so this needs a restart, a write and a second log flush within one poll.
 * <p>
 * Not thread-safe; owns its readers (closes them).
 */
public final class ThreadMerger implements AutoCloseable {
    private final List<RedoLogReader> readers;
    private final List<ArrayDeque<RedoRecord>> buffered = new ArrayList<>();
    private final Map<Integer, CheckpointPoint> current = new TreeMap<>();

    /** {@code start} holds, per thread, the point reading starts from (may lack threads with no known start). */
    public ThreadMerger(List<RedoLogReader> readers, Map<Integer, CheckpointPoint> start) {
        this.readers = List.copyOf(readers);
        for (int i = 0; i < readers.size(); i++) buffered.add(new ArrayDeque<>());
        current.putAll(start);
    }

    /** Up to {@code max} records in SCN order; empty when nothing may be released yet. */
    public List<RedoRecord> next(int max) {
        int n = readers.size();
        if (n == 1 && buffered.get(0).isEmpty()) {
            // one thread: nothing to merge, the reader's batch as it is
            List<RedoRecord> out = readers.get(0).poll(max);
            if (!out.isEmpty()) advance(out.get(out.size() - 1));
            return out;
        }
        RedoRecord[] last = new RedoRecord[n]; // per thread, the last record released by this call
        boolean[] drained = new boolean[n]; // polled empty during this call
        Boolean[] closed = new Boolean[n];
        for (int i = 0; i < n; i++) {
            if (buffered.get(i).isEmpty()) drained[i] = !fill(i, max);
        }
        List<RedoRecord> out = new ArrayList<>();
        release:
        while (out.size() < max) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                RedoRecord head = buffered.get(i).peekFirst();
                if (head != null && (best < 0 || head.scn().compareTo(buffered.get(best).peekFirst().scn()) < 0)) best = i;
            }
            if (best < 0) break;
            long s = buffered.get(best).peekFirst().scn().value();
            for (int i = 0; i < n; i++) {
                if (i == best || !buffered.get(i).isEmpty() || readers.get(i).watermark() >= s) continue;
                if (!drained[i]) {
                    drained[i] = !fill(i, max);
                    continue release; // re-evaluate with what thread i delivered (records or a higher watermark)
                }
                if (closed[i] == null) closed[i] = readers.get(i).threadClosed();
                if (!closed[i]) break release; // thread i may still write an SCN below s
            }
            RedoRecord r = buffered.get(best).pollFirst();
            out.add(r);
            last[best] = r;
            if (buffered.get(best).isEmpty()) drained[best] = false; // may have more on disk
        }
        // the points after the last released record of each thread, once per call rather than per record
        for (RedoRecord r : last) if (r != null) advance(r);
        return out;
    }

    private void advance(RedoRecord r) {
        current.put(r.position().thread(), new CheckpointPoint(r.next(), r.scn(), r.timestampMillis(), r.redoFile()));
    }

    /** Polls thread {@code i}; true when it delivered records. */
    private boolean fill(int i, int max) {
        List<RedoRecord> r = readers.get(i).poll(max);
        buffered.get(i).addAll(r);
        return !r.isEmpty();
    }

    /** Per thread, the position just after the last released record (or the start point). */
    public Map<Integer, CheckpointPoint> currentPoints() {
        return Collections.unmodifiableMap(new TreeMap<>(current));
    }

    @Override
    public void close() {
        readers.forEach(RedoLogReader::close);
    }
}
