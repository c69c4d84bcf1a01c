package io.redotrail.checkpoint;

import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;

/**
 * Write checkpoint of one output trail: where the last complete transaction ends, and its CSN.
 * {@code trailType} is EXTTRAIL (written to a local file system) or RMTTRAIL (written by a collector).
 */
public record WriteCheckpoint(String trail, TrailPosition position, long timestampMillis, String trailType,
                              Scn lastCsn) {
}
