package io.redotrail.redo;

import io.redotrail.checkpoint.CheckpointPoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the records of several redo threads into global SCN order (a k-way merge). A record is released
 * only when every other thread either has a later record buffered or was idle at its last poll, so a record
 * is never released ahead of a lower SCN that is already readable. Limitation (RAC heartbeat is a later
 * issue): a thread idle at its last poll may still write an SCN lower than one already released. With one
 * thread this is a plain pass-through. Tracks per thread the point just after the last released record.
 * <p>
 * Not thread-safe; owns its readers (closes them).
 */
public final class ThreadMerger implements AutoCloseable {
    private final List<RedoLogReader> readers;
    private final List<ArrayDeque<RedoRecord>> buffered = new ArrayList<>();
    private final boolean[] idle;
    private final Map<Integer, CheckpointPoint> current = new TreeMap<>();

    /** {@code start} holds, per thread, the point reading starts from (may lack threads with no known start). */
    public ThreadMerger(List<RedoLogReader> readers, Map<Integer, CheckpointPoint> start) {
        this.readers = List.copyOf(readers);
        this.idle = new boolean[readers.size()];
        for (int i = 0; i < readers.size(); i++) buffered.add(new ArrayDeque<>());
        current.putAll(start);
    }

    /** Up to {@code max} records in SCN order; empty when nothing may be released yet. */
    public List<RedoRecord> next(int max) {
        for (int i = 0; i < readers.size(); i++) {
            if (buffered.get(i).isEmpty()) {
                List<RedoRecord> r = readers.get(i).poll(max);
                buffered.get(i).addAll(r);
                idle[i] = r.isEmpty();
            }
        }
        List<RedoRecord> out = new ArrayList<>();
        while (out.size() < max) {
            int best = -1;
            for (int i = 0; i < readers.size(); i++) {
                RedoRecord head = buffered.get(i).peekFirst();
                if (head != null && (best < 0 || head.scn().compareTo(buffered.get(best).peekFirst().scn()) < 0)) best = i;
            }
            if (best < 0) break;
            for (int i = 0; i < readers.size(); i++) {
                if (i != best && buffered.get(i).isEmpty() && !idle[i]) return out; // must poll thread i first
            }
            RedoRecord r = buffered.get(best).pollFirst();
            out.add(r);
            current.put(r.position().thread(), new CheckpointPoint(r.next(), r.scn(), r.timestampMillis(), r.redoFile()));
            if (buffered.get(best).isEmpty()) idle[best] = false; // unknown until polled again
        }
        return out;
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
