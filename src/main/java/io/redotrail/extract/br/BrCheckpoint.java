package io.redotrail.extract.br;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.Scn;

import java.util.List;
import java.util.Map;

/**
 * One Bounded Recovery checkpoint ({@code BR/<GROUP>/CP.<GROUP>.<9-digit number>}). Taken when every commit
 * up to {@code end} is durable in the trail (the CSN of the last one is {@code trailCsn}), it holds the
 * transactions open longer than one interval ({@code persisted}), per thread the read position at the
 * checkpoint ({@code end}) and where restart must re-read from ({@code restart}: the first record of the oldest
 * open transaction that was not persisted, else {@code end}). {@code begin} is the oldest open transaction's
 * first record (SHOWCH "BR Begin Recovery Checkpoint").
 */
public record BrCheckpoint(long number, long timeMillis, Scn trailCsn, CheckpointPoint begin,
                           Map<Integer, CheckpointPoint> end, Map<Integer, CheckpointPoint> restart,
                           List<PersistedTransaction> persisted) {
}
