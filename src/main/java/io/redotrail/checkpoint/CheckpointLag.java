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

    /**
     * Checkpoint Lag: 0 when the reader was at the end of its source at the checkpoint (a caught-up idle group
     * has no lag, however long ago its last record was); else the lag the last record had when the group
     * processed it (its source time to its processing). A checkpoint that records neither (written by an older
     * version, or by GGSCI ADD / ALTER) falls back to checkpoint time minus the time of the last record read.
     */
    public static long lagMillis(ProcessCheckpoint cp) {
        if (cp.atEof()) return 0;
        if (cp.lagMillis() >= 0) return cp.lagMillis();
        long last = lastRecordMillis(cp);
        return last <= 0 ? 0 : cp.lastUpdateMillis() - last;
    }

    /**
     * GoldenGate's lag and "time since" shape {@code HH:MM:SS}, hours unbounded ({@code 111:46:54}); negative
     * durations print as 00:00:00. The one formatter: INFO, INFO ALL and the Manager's lag lines.
     */
    public static String hms(long millis) {
        long s = Math.max(0, millis) / 1000;
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
