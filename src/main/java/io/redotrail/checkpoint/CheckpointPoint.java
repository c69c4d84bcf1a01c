package io.redotrail.checkpoint;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;

/**
 * One redo read checkpoint (Startup, Recovery, Current, BR …): a position in thread/sequence/RBA, the SCN
 * and timestamp of the record there, and the redo file it was read from (online or archived path).
 */
public record CheckpointPoint(RedoPosition position, Scn scn, long timestampMillis, String redoFile) {
}
