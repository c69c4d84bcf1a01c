package io.redotrail.checkpoint;

import java.util.List;

/**
 * Everything a process's checkpoint file holds ({@code dirchk/<GROUP>.cpe} for Extract and pump,
 * {@code dirchk/<GROUP>.cpr} for Replicat). Exactly one of {@code redoReads} / {@code trailRead} is used:
 * redo for a primary Extract, trail for a pump or Replicat. {@code brPrevious/brBegin/brEnd} are the Bounded
 * Recovery checkpoints (null while BR has not checkpointed). {@code stopStatus} is 'A' while running and
 * 'G' after a graceful stop. {@code checkpointTable} is the Replicat's checkpoint table as
 * {@code ADD REPLICAT r, ..., CHECKPOINTTABLE owner.table} defined it (null: none defined; an EXTRACT has none).
 */
public record ProcessCheckpoint(String group, String processType, List<RedoReadCheckpoint> redoReads,
                                TrailReadCheckpoint trailRead, List<WriteCheckpoint> writes,
                                CheckpointPoint brPrevious, CheckpointPoint brBegin, CheckpointPoint brEnd,
                                long startTimeMillis, long lastUpdateMillis, char stopStatus, String checkpointTable) {

    /** 2: paths relative to the home (1: absolute, still read). */
    public static final int FORMAT_VERSION = 2;

    public ProcessCheckpoint {
        redoReads = redoReads == null ? List.of() : List.copyOf(redoReads);
        writes = writes == null ? List.of() : List.copyOf(writes);
        checkpointTable = checkpointTable == null || checkpointTable.isBlank() ? null : checkpointTable;
    }

    /**
     * A checkpoint that does not name a checkpoint table: {@link CheckpointFile#write} keeps the one the file
     * already names (the processes that write checkpoints do not know the group's definition).
     */
    public ProcessCheckpoint(String group, String processType, List<RedoReadCheckpoint> redoReads,
                             TrailReadCheckpoint trailRead, List<WriteCheckpoint> writes,
                             CheckpointPoint brPrevious, CheckpointPoint brBegin, CheckpointPoint brEnd,
                             long startTimeMillis, long lastUpdateMillis, char stopStatus) {
        this(group, processType, redoReads, trailRead, writes, brPrevious, brBegin, brEnd, startTimeMillis,
                lastUpdateMillis, stopStatus, null);
    }

    public RedoReadCheckpoint redoRead(int thread) {
        for (RedoReadCheckpoint r : redoReads) {
            if (r.thread() == thread) return r;
        }
        return null;
    }

    public WriteCheckpoint write(int index) {
        return writes.size() > index ? writes.get(index) : null;
    }

    public ProcessCheckpoint withStatus(long lastUpdate, char status) {
        return new ProcessCheckpoint(group, processType, redoReads, trailRead, writes, brPrevious, brBegin, brEnd,
                startTimeMillis, lastUpdate, status, checkpointTable);
    }
}
