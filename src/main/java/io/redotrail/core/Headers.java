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

    /** Number of row changes carried by the exchange (for statistics and progress). */
    public static final String ROW_COUNT = "RedotrailRowCount";
}
