package io.redotrail.trail;

import io.redotrail.core.TrailPosition;

import java.util.Optional;

/**
 * Authoritative start position of a trail reader kept outside the checkpoint file, e.g. the replicat's
 * checkpoint table row written in the same database transaction as the applied changes. Called once when the
 * trail consumer starts; the position must be a transaction boundary (a trailEnd) or RBA 0.
 */
public interface ReadPositionStore {
    Optional<TrailPosition> startPosition();

    /**
     * Whether the store is also the route step that takes each batch (the Replicat's applier), marking the exchange
     * ({@link io.redotrail.camel.StageFailure#reached}): then a batch that does not reach it abends the group.
     */
    default boolean takesEachBatch() {
        return false;
    }
}
