package io.redotrail.checkpoint;

import java.util.List;

/**
 * Everything a process's checkpoint file holds ({@code dirchk/<GROUP>.cpe} for Extract and pump,
 * {@code dirchk/<GROUP>.cpr} for Replicat). Exactly one of {@code redoReads} / {@code trailRead} is used:
 * redo for a primary Extract, trail for a pump or Replicat. {@code brPrevious/brBegin/brEnd} are the Bounded
 * Recovery checkpoints (null while BR has not checkpointed). {@code stopStatus} is 'A' while running and
 * 'G' after a graceful stop. {@code lagMillis} is the lag of the last record when the process handled it (its
 * source time to its processing; -1 = not recorded, a file of an older version or a group that processed nothing),
 * {@code atEof} whether the reader had reached the end of its source at this checkpoint: {@link CheckpointLag}.
 * {@code checkpointTable} is the Replicat's checkpoint table as
 * {@code ADD REPLICAT r, ..., CHECKPOINTTABLE owner.table} defined it (null: none defined; an EXTRACT has none).
 */
public record ProcessCheckpoint(String group, String processType, List<RedoReadCheckpoint> redoReads,
                                TrailReadCheckpoint trailRead, List<WriteCheckpoint> writes,
                                CheckpointPoint brPrevious, CheckpointPoint brBegin, CheckpointPoint brEnd,
                                long startTimeMillis, long lastUpdateMillis, char stopStatus, long lagMillis,
                                boolean atEof, String checkpointTable) {

    /** 2: paths relative to the home (1: absolute, still read). */
    public static final int FORMAT_VERSION = 2;

    public ProcessCheckpoint {
        redoReads = redoReads == null ? List.of() : List.copyOf(redoReads);
        writes = writes == null ? List.of() : List.copyOf(writes);
        checkpointTable = checkpointTable == null || checkpointTable.isBlank() ? null : checkpointTable;
    }

    /**
     * A checkpoint that records no lag and does not name a checkpoint table (GGSCI ADD and ALTER, tests):
     * {@link CheckpointFile#write} keeps the table the file already names (the processes that write checkpoints do
     * not know the group's definition).
     */
    public ProcessCheckpoint(String group, String processType, List<RedoReadCheckpoint> redoReads,
                             TrailReadCheckpoint trailRead, List<WriteCheckpoint> writes,
                             CheckpointPoint brPrevious, CheckpointPoint brBegin, CheckpointPoint brEnd,
                             long startTimeMillis, long lastUpdateMillis, char stopStatus) {
        this(group, processType, redoReads, trailRead, writes, brPrevious, brBegin, brEnd, startTimeMillis,
                lastUpdateMillis, stopStatus, -1, false, null);
    }

    /** A checkpoint a running process writes: its lag, no checkpoint table of its own (the file's is kept). */
    public ProcessCheckpoint(String group, String processType, List<RedoReadCheckpoint> redoReads,
                             TrailReadCheckpoint trailRead, List<WriteCheckpoint> writes,
                             CheckpointPoint brPrevious, CheckpointPoint brBegin, CheckpointPoint brEnd,
                             long startTimeMillis, long lastUpdateMillis, char stopStatus, long lagMillis, boolean atEof) {
        this(group, processType, redoReads, trailRead, writes, brPrevious, brBegin, brEnd, startTimeMillis,
                lastUpdateMillis, stopStatus, lagMillis, atEof, null);
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
                startTimeMillis, lastUpdate, status, lagMillis, atEof, checkpointTable);
    }
}
