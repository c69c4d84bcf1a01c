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

    /** Number of row changes carried by the exchange (for statistics and progress). */
    public static final String ROW_COUNT = "RedotrailRowCount";
}
