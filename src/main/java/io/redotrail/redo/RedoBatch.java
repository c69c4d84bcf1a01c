package io.redotrail.redo;

import io.redotrail.checkpoint.CheckpointPoint;

import java.util.List;
import java.util.Map;

/**
 * The body of one exchange from the redo consumer: records in global SCN order (threads merged), and per
 * thread the position just after the last record read (the Current read checkpoint). A batch may be empty
 * when the source is idle: it still advances nothing but lets downstream checkpoint on time.
 * {@code redoBytes} (the records' sizes on disk) and {@code latestMillis} (the latest record time, Long.MIN_VALUE
 * when empty) are summed where the batch is made: on the read-ahead thread, while the records are in its cache,
 * rather than by a second pass of the route thread.
 */
public record RedoBatch(List<RedoRecord> records, Map<Integer, CheckpointPoint> currentByThread, long redoBytes,
                        long latestMillis) {

    public RedoBatch(List<RedoRecord> records, Map<Integer, CheckpointPoint> currentByThread) {
        this(records, currentByThread, bytesOf(records), latestOf(records));
    }

    private static long bytesOf(List<RedoRecord> records) {
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) bytes += records.get(i).length();
        return bytes;
    }

    private static long latestOf(List<RedoRecord> records) {
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < records.size(); i++) latest = Math.max(latest, records.get(i).timestampMillis());
        return latest;
    }
}
