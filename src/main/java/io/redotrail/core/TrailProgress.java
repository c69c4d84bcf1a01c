package io.redotrail.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the trail producer of a group has made durable, for the extract aggregator in front of it. The
 * aggregator takes a Bounded Recovery checkpoint, and frees the spill files of committed transactions, only
 * for transactions the producer has confirmed — not merely because the next redo batch arrived. That keeps
 * those guarantees when a user edits the route (an error handler that swallows a failed trail write, an
 * asynchronous step before the producer). Keyed by home and group; thread-safe.
 */
public final class TrailProgress {
    /** {@code confirmedCsn}: highest CSN the producer wrote or found already in the trail, after fsync. */
    public record State(long confirmedCsn, boolean failed) {
    }

    private static final Map<String, State> STATES = new ConcurrentHashMap<>();

    private TrailProgress() {
    }

    private static String key(Path home, String group) {
        return home.toAbsolutePath().normalize() + "|" + group.toUpperCase();
    }

    public static void started(Path home, String group, Scn lastCsnInTrail) {
        STATES.put(key(home, group), new State(lastCsnInTrail.value(), false));
    }

    public static void confirmed(Path home, String group, Scn csn) {
        STATES.compute(key(home, group), (k, s) -> new State(Math.max(csn.value(), s == null ? 0 : s.confirmedCsn()),
                s != null && s.failed()));
    }

    public static void failed(Path home, String group) {
        STATES.compute(key(home, group), (k, s) -> new State(s == null ? 0 : s.confirmedCsn(), true));
    }

    public static void stopped(Path home, String group) {
        STATES.remove(key(home, group));
    }

    /** The producer's state, or null when no trail producer of this group runs in this JVM. */
    public static State of(Path home, String group) {
        return STATES.get(key(home, group));
    }
}
