package io.redotrail.checkpoint;

/**
 * Read checkpoints of one redo thread, as SHOWCH prints them. {@code recovery} is where the oldest open
 * transaction starts (or {@code current} when none is open): restart reads redo from there.
 */
public record RedoReadCheckpoint(int thread, CheckpointPoint startup, CheckpointPoint recovery,
                                 CheckpointPoint current) {
}
