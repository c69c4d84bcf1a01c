package io.redotrail.checkpoint;

import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;

/**
 * Write checkpoint of one output trail: where the last complete transaction ends, and its CSN.
 * {@code trailType} is EXTTRAIL (written to a local file system) or RMTTRAIL (written by a collector).
 * {@code megabytes} is the trail's file size as {@code ADD EXTTRAIL | RMTTRAIL ..., MEGABYTES n} defined it
 * (0: not defined there; the group's configuration decides).
 */
public record WriteCheckpoint(String trail, TrailPosition position, long timestampMillis, String trailType,
                              Scn lastCsn, int megabytes) {

    public WriteCheckpoint(String trail, TrailPosition position, long timestampMillis, String trailType, Scn lastCsn) {
        this(trail, position, timestampMillis, trailType, lastCsn, 0);
    }

    /** This trail's checkpoint moved to {@code p}: the trail, its type and its file size stay. */
    public WriteCheckpoint movedTo(TrailPosition p, long timestampMillis, Scn lastCsn) {
        return new WriteCheckpoint(trail, p, timestampMillis, trailType, lastCsn, megabytes);
    }

    public WriteCheckpoint withMegabytes(int mb) {
        return new WriteCheckpoint(trail, position, timestampMillis, trailType, lastCsn, mb);
    }
}
