package io.redotrail.redo;

import io.redotrail.checkpoint.CheckpointPoint;

import java.util.List;
import java.util.Map;

/**
 * The body of one exchange from the redo consumer: records in global SCN order (threads merged), and per
 * thread the position just after the last record read (the Current read checkpoint). A batch may be empty
 * when the source is idle: it still advances nothing but lets downstream checkpoint on time.
 */
public record RedoBatch(List<RedoRecord> records, Map<Integer, CheckpointPoint> currentByThread) {
}
