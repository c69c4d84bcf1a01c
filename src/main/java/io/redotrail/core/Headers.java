package io.redotrail.core;

/** Exchange header names shared by the redotrail components and processors. */
public final class Headers {
    private Headers() {
    }

    /**
     * Read checkpoint(s) that become durable once this exchange's transactions are durable in the output trail.
     * Value: {@code List<RedoReadCheckpoint>} (primary Extract) or {@code TrailReadCheckpoint} (pump).
     */
    public static final String READ_CHECKPOINT = "RedotrailReadCheckpoint";

    /**
     * Set by the extract when it took a Bounded Recovery checkpoint: a {@code BrPoints} the trail producer records
     * in the process checkpoint (written at once, for SHOWCH).
     */
    public static final String BR_CHECKPOINT = "RedotrailBrCheckpoint";

    /**
     * Set by the trail consumer: {@code Boolean.TRUE} when the exchange carries everything the trail held when it
     * was read (the reader caught up with its writer), false when more is already waiting. The Replicat keeps a
     * GROUPTRANSOPS group open across exchanges while more is waiting and commits it once caught up. Absent = true.
     */
    public static final String TRAIL_CAUGHT_UP = "RedotrailTrailCaughtUp";

    /** Number of row changes carried by the exchange (for statistics and progress). */
    public static final String ROW_COUNT = "RedotrailRowCount";
}
