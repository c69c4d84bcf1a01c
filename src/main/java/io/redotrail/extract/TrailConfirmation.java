package io.redotrail.extract;

import io.redotrail.core.Scn;
import io.redotrail.report.GroupRuntime;

/**
 * What the extract's trail producer confirmed durable, as the aggregator may rely on it: the producer may lag one
 * exchange (its fsync overlaps the next batch: {@code overlapForce}) but no more, and a Bounded Recovery
 * checkpoint, whose restart point is after every transaction handed on, waits for the force in flight.
 * <p>
 * Not thread-safe: the aggregator's route thread calls it; the producer publishes through the group's
 * {@link GroupRuntime} (thread-safe).
 */
final class TrailConfirmation {
    /** How long a BR checkpoint waits for the trail's force in flight before it takes the producer for stuck. */
    private static final long WAIT_MILLIS = 60_000;

    private final String group;
    private final GroupRuntime runtime;
    private final boolean br;
    /** The last CSN handed on when the previous batch came in: what the trail must have confirmed by now. */
    private long handedOnBeforePrevious;

    TrailConfirmation(String group, GroupRuntime runtime, boolean br) {
        this.group = group;
        this.runtime = runtime;
        this.br = br;
    }

    /**
     * At a batch's start ({@code handedOn}: the last CSN handed on so far): the CSN up to which the producer of
     * this group confirmed every transaction, or null when no producer of this group runs in this context and BR
     * is off (then spill files are kept until the group's next start). The producer has written the previous
     * exchange (the route is synchronous), so spill files of ended transactions can go. Abends if the producer
     * failed, lags more than one exchange or stopped under BR: a route step swallowed a failed write or made the
     * producer asynchronous, and continuing would checkpoint past transactions the trail lacks.
     */
    Scn atBatch(long handedOn) {
        long required = handedOnBeforePrevious;
        handedOnBeforePrevious = handedOn;
        GroupRuntime.TrailState st = runtime.trailState();
        if (st == null) {
            if (br) {
                throw new IllegalStateException(group + ": the trail producer of group " + group + " is no longer running "
                        + "in this CamelContext; stopping rather than take Bounded Recovery checkpoints it has not confirmed");
            }
            return null;
        }
        if (st.failed() || st.confirmedCsn() < required) throw notConfirmed(st, required, "the batch before the previous one");
        return Scn.of(st.confirmedCsn());
    }

    /** Every transaction handed on ({@code handedOn}) confirmed: waits for the trail's force in flight. */
    Scn all(long handedOn) {
        GroupRuntime.TrailState st;
        try {
            st = runtime.awaitTrail(handedOn, WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(group + ": interrupted waiting for the trail to confirm CSN " + handedOn
                    + " before a Bounded Recovery checkpoint", e);
        }
        if (st == null) {
            throw new IllegalStateException(group + ": the trail producer of group " + group + " stopped before it confirmed CSN "
                    + handedOn + "; no Bounded Recovery checkpoint taken");
        }
        if (st.failed() || st.confirmedCsn() < handedOn) throw notConfirmed(st, handedOn, "the previous batch (waited " + WAIT_MILLIS / 1000 + " s)");
        return Scn.of(st.confirmedCsn());
    }

    private IllegalStateException notConfirmed(GroupRuntime.TrailState st, long csn, String batch) {
        return new IllegalStateException(group + ": the trail producer " + (st.failed() ? "failed to write"
                : "has not confirmed (confirmed CSN " + st.confirmedCsn() + ")") + " transactions up to CSN "
                + csn + " handed on by " + batch + "; stopping rather than reading on. Does a route "
                + "step between the aggregator and trail: swallow exceptions or run asynchronously?");
    }
}
