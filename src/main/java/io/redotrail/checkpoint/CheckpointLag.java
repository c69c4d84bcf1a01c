package io.redotrail.checkpoint;

/** A group's lag as its checkpoint file shows it ("Lag at Chkpt" of INFO ALL, "Checkpoint Lag" of INFO). */
public final class CheckpointLag {
    private CheckpointLag() {
    }

    /** Last record read: the newest current read position (redo) or the trail read checkpoint's commit time. */
    public static long lastRecordMillis(ProcessCheckpoint cp) {
        long t = 0;
        for (RedoReadCheckpoint r : cp.redoReads()) {
            if (r.current() != null) t = Math.max(t, r.current().timestampMillis());
        }
        if (cp.trailRead() != null) t = Math.max(t, cp.trailRead().currentTimestampMillis());
        return t;
    }

    /** Checkpoint Lag: checkpoint time minus the time of the last record read. */
    public static long lagMillis(ProcessCheckpoint cp) {
        long last = lastRecordMillis(cp);
        return last <= 0 ? 0 : cp.lastUpdateMillis() - last;
    }
}
