package io.redotrail.extract;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoRecord;
import io.redotrail.trail.camel.TrailConstants;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The extract's read checkpoints, both ends. At start, what the group's checkpoint file ({@code dirchk/<GROUP>.cpe},
 * which the trail producer writes) says: the last CSN written to the trail, and whether the group ever captured.
 * Per exchange, per redo thread: the Startup (first record ever read), Recovery (first record of the oldest open
 * transaction, else Current) and Current points, the {@link TrailConstants#READ_CHECKPOINT} the trail producer
 * persists once the transactions are durable.
 * <p>
 * Not thread-safe: the aggregator's route thread uses it.
 */
final class ReadCheckpoints {
    private final Map<Integer, CheckpointPoint> startup = new TreeMap<>();
    private final Map<Integer, CheckpointPoint> current = new TreeMap<>();

    /** Whether a thread of {@code batch} has no Startup point yet: only then need its records be looked at. */
    boolean lacksStartup(RedoBatch batch) {
        return !startup.keySet().containsAll(batch.currentByThread().keySet());
    }

    /** A record was read: the first one of its thread is the thread's Startup point. */
    void seen(RedoRecord r) {
        startup.computeIfAbsent(r.position().thread(), t -> point(r));
    }

    /** The batch was read: its Current points, which are the Startup point of a thread that had no record yet. */
    void read(RedoBatch batch) {
        current.putAll(batch.currentByThread());
        batch.currentByThread().forEach(startup::putIfAbsent);
    }

    /** The Current point per thread (live: SHOWTRANS, FORCETRANS and BR checkpoints read it). */
    Map<Integer, CheckpointPoint> current() {
        return current;
    }

    /** The read checkpoints with the transactions {@code open} now (in first-seen order), per thread. */
    List<RedoReadCheckpoint> of(Collection<OpenTransaction> open) {
        Map<Integer, CheckpointPoint> recovery = new HashMap<>();
        for (OpenTransaction t : open) {
            // open is in first-seen order, which is SCN order within a thread: the first hit is the oldest
            recovery.putIfAbsent(t.thread, t.start);
        }
        List<RedoReadCheckpoint> out = new ArrayList<>();
        for (Map.Entry<Integer, CheckpointPoint> e : current.entrySet()) {
            int thread = e.getKey();
            out.add(new RedoReadCheckpoint(thread, startup.getOrDefault(thread, e.getValue()),
                    recovery.getOrDefault(thread, e.getValue()), e.getValue()));
        }
        return out;
    }

    /**
     * The group has never captured: no checkpoint file, one GGSCI ADD wrote (start time 0), or one whose read
     * checkpoints still stand at their startup point with nothing written. A transaction in flight at the begin
     * point is then left out (OGG-01028) instead of abending the first start.
     */
    static boolean firstStart(Path home, String group) {
        Optional<ProcessCheckpoint> stored;
        try {
            stored = new CheckpointFile(CheckpointFile.extractFile(home, group)).read();
        } catch (io.redotrail.core.CorruptFileException e) {
            return false; // the redo consumer reports the damaged file as before
        }
        if (stored.isEmpty()) return true;
        ProcessCheckpoint cp = stored.get();
        if (cp.startTimeMillis() == 0) return true;
        return !cp.redoReads().isEmpty()
                && cp.redoReads().stream().allMatch(r -> r.startup() != null && r.startup().equals(r.recovery())
                        && r.startup().equals(r.current()))
                && cp.writes().stream().allMatch(w -> w.lastCsn().value() == 0);
    }

    /** The last CSN the stored checkpoint says the trail holds (zero without one). */
    static Scn lastCheckpointedCsn(Path home, String group) {
        return new CheckpointFile(CheckpointFile.extractFile(home, group)).read()
                .map(ProcessCheckpoint::writes)
                .filter(w -> !w.isEmpty())
                .map(w -> w.get(0))
                .map(WriteCheckpoint::lastCsn)
                .orElse(Scn.ZERO);
    }

    /** Where a record starts, as a read checkpoint point. */
    static CheckpointPoint point(RedoRecord r) {
        return new CheckpointPoint(r.position(), r.scn(), r.timestampMillis(), r.redoFile());
    }
}
