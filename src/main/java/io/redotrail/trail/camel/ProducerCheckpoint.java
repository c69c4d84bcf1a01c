package io.redotrail.trail.camel;

import io.redotrail.checkpoint.BrPoints;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupStats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint a {@code trail:} producer keeps in {@code dirchk/<GROUP>.cpe}: the read checkpoint of the last
 * durable batch ({@link TrailConstants#READ_CHECKPOINT}: a {@code List<RedoReadCheckpoint>} from the extract, a
 * {@link TrailReadCheckpoint} from a pump's trail reader), with the startup point of each source kept from the
 * first one received, the BR checkpoint ({@link TrailConstants#BR_CHECKPOINT}) and the write position. Written at
 * most every {@code checkpointSecs} once a batch is durable, always at a rollover, a new BR checkpoint and stop.
 * <p>
 * Not thread-safe: {@link #open} and {@link #stopped} run on the producer's start and stop, {@link #durable} on
 * the route thread or, with overlapForce, the force thread, one batch at a time ({@link TrailProducer}). The
 * static methods, for a header's read checkpoint, run on any thread.
 */
final class ProducerCheckpoint {
    private final TrailEndpoint endpoint;
    private final TrailConfiguration config;
    private CheckpointFile file;
    private ProcessCheckpoint previous;
    private BrPoints brPoints = new BrPoints(null, null, null);
    private Object readCheckpoint;
    private final Map<Integer, CheckpointPoint> redoStartup = new HashMap<>();
    private TrailReadCheckpoint trailStartup;
    private long startTime;
    private long lastCheckpointMillis;
    private boolean pending;

    ProducerCheckpoint(TrailEndpoint endpoint) {
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    /** At the producer's start: reads the stored checkpoint (its BR points go on unless a batch brings others). */
    void open() {
        startTime = System.currentTimeMillis();
        file = new CheckpointFile(CheckpointFile.extractFile(endpoint.home(), config.getGroup()));
        previous = file.read().orElse(null);
        if (previous != null) brPoints = new BrPoints(previous.brPrevious(), previous.brBegin(), previous.brEnd());
    }

    /** The write position the stored checkpoint records for this trail (durable data the trail keeps), or null. */
    TrailPosition durablePosition() {
        if (previous != null && previous.write(0) != null && HomePaths.same(endpoint.home(), previous.write(0).trail(), endpoint.getPath())) {
            return previous.write(0).position();
        }
        return null;
    }

    Path path() {
        return file.path();
    }

    /** A read checkpoint was received, or the file held one: there is something to write at stop. */
    boolean known() {
        return readCheckpoint != null || previous != null;
    }

    /**
     * A batch is durable in the trail up to {@code position}: its read checkpoint ({@code reads}, null when the
     * exchange had none) and BR checkpoint ({@code br}, likewise) are recorded, and written every checkpointSecs,
     * at a rollover ({@code rolledOver}) and at a new BR checkpoint.
     */
    void durable(Object reads, BrPoints br, boolean rolledOver, TrailPosition position, Scn lastCsn, GroupStats stats) {
        long now = System.currentTimeMillis();
        if (reads != null) {
            remember(reads);
            pending = true;
        }
        boolean brChanged = false;
        if (br != null && !br.equals(brPoints)) {
            brPoints = br;
            brChanged = true;
        }
        if (pending && (brChanged || rolledOver || lastCheckpointMillis == 0
                || now - lastCheckpointMillis >= config.getCheckpointSecs() * 1000L)) {
            write('A', now, position, lastCsn, stats);
        }
    }

    /** Graceful stop: the checkpoint at the trail's last position, marked stopped. */
    void stopped(TrailPosition position, Scn lastCsn, GroupStats stats) {
        write('G', System.currentTimeMillis(), position, lastCsn, stats);
    }

    private void remember(Object reads) {
        if (reads instanceof TrailReadCheckpoint t) {
            // the startup's record time is known once a transaction was read from it (0 until then)
            if (trailStartup == null || trailStartup.startupTimestampMillis() <= 0 && t.startupTimestampMillis() > 0) trailStartup = t;
        } else {
            for (RedoReadCheckpoint r : castReads((List<?>) reads)) {
                redoStartup.putIfAbsent(r.thread(), r.startup() != null ? r.startup() : r.current());
            }
        }
        readCheckpoint = reads;
    }

    private void write(char status, long now, TrailPosition position, Scn lastCsn, GroupStats stats) {
        List<RedoReadCheckpoint> redo = previous == null ? List.of() : previous.redoReads();
        TrailReadCheckpoint trailRead = previous == null ? null : previous.trailRead();
        if (readCheckpoint instanceof TrailReadCheckpoint t) {
            redo = List.of();
            trailRead = new TrailReadCheckpoint(t.trail(), trailStartup.startup(), trailStartup.startupTimestampMillis(),
                    t.current(), t.currentTimestampMillis());
        } else if (readCheckpoint instanceof List<?> l) {
            trailRead = null;
            List<RedoReadCheckpoint> r = new ArrayList<>();
            for (Object o : l) {
                RedoReadCheckpoint c = (RedoReadCheckpoint) o;
                r.add(new RedoReadCheckpoint(c.thread(), redoStartup.get(c.thread()), c.recovery(), c.current()));
            }
            redo = r;
        }
        WriteCheckpoint w = new WriteCheckpoint(endpoint.getPath(), position, now, config.getTrailType(), lastCsn,
                config.getMegabytes());
        ProcessCheckpoint cp = new ProcessCheckpoint(config.getGroup().toUpperCase(),
                previous == null ? "EXTRACT" : previous.processType(), redo, trailRead, List.of(w),
                brPoints.previous(), brPoints.begin(), brPoints.end(), startTime, now, status,
                stats.checkpointLagMillis(), stats.isAtEof());
        file.write(cp);
        lastCheckpointMillis = now;
        pending = false;
    }

    /** A batch's read checkpoint as a ProcessCheckpoint of {@code group} (only its reads are used). */
    static ProcessCheckpoint view(String group, Object reads) {
        List<RedoReadCheckpoint> redo = List.of();
        TrailReadCheckpoint trailRead = null;
        if (reads instanceof TrailReadCheckpoint t) trailRead = t;
        else if (reads instanceof List<?> l) redo = castReads(l);
        return new ProcessCheckpoint(group, "EXTRACT", redo, trailRead, List.of(), null, null, null, 0, 0, 'A');
    }

    @SuppressWarnings("unchecked")
    private static List<RedoReadCheckpoint> castReads(List<?> l) {
        return (List<RedoReadCheckpoint>) l;
    }

    /** The header's read checkpoint, checked: a TrailReadCheckpoint or a List of RedoReadCheckpoint. */
    static Object readsOf(Object rc) {
        if (rc instanceof TrailReadCheckpoint) return rc;
        if (rc instanceof List<?> l) {
            List<RedoReadCheckpoint> reads = new ArrayList<>(l.size());
            for (Object o : l) {
                if (!(o instanceof RedoReadCheckpoint r)) {
                    throw new IllegalArgumentException("header " + TrailConstants.READ_CHECKPOINT + " holds a " + o.getClass().getName());
                }
                reads.add(r);
            }
            return reads;
        }
        throw new IllegalArgumentException("header " + TrailConstants.READ_CHECKPOINT + " must be a List<RedoReadCheckpoint> or a "
                + "TrailReadCheckpoint, got " + rc.getClass().getName());
    }
}
