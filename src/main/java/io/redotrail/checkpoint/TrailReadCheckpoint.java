package io.redotrail.checkpoint;

import io.redotrail.core.TrailPosition;

/**
 * Read checkpoint of a process whose data source is a trail (pump, replicat): startup and current
 * positions. {@code current} always sits on a transaction boundary: restart reads from there.
 */
public record TrailReadCheckpoint(String trail, TrailPosition startup, long startupTimestampMillis,
                                  TrailPosition current, long currentTimestampMillis) {
}
