package io.redotrail.checkpoint;

/** The Bounded Recovery checkpoints SHOWCH prints: Previous, Begin and End (any may be null). */
public record BrPoints(CheckpointPoint previous, CheckpointPoint begin, CheckpointPoint end) {
}
