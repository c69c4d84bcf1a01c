package io.redotrail.redo;

import io.redotrail.checkpoint.CheckpointPoint;

import java.util.Map;

/**
 * Where an extract must start reading each redo thread when that is not the Recovery checkpoint of its
 * checkpoint file — Bounded Recovery restored the long transactions and only needs redo from its restart
 * positions. An empty map means "use the checkpoint file". Called once, before reading starts.
 */
public interface RedoStartPositions {
    Map<Integer, CheckpointPoint> startPositions();
}
