package io.redotrail.trail.remote;

import io.redotrail.checkpoint.HomePaths;

import java.nio.file.Path;

/**
 * A remote trail as a pump names it ({@code ./dirdat/ha}: RMTTRAIL, in the target home): only a two-character
 * prefix directly in the home's {@code dirdat/} is accepted, so a request to the Manager can never make a
 * collector write anywhere else. Stateless.
 */
public final class RemoteTrails {
    private RemoteTrails() {
    }

    /** The trail's path in {@code home}; IllegalArgumentException naming the trail when it is not ./dirdat/xx. */
    public static Path resolve(Path home, String trail) {
        Path h = home.toAbsolutePath().normalize();
        Path t = HomePaths.resolve(h, trail);
        String name = t.getFileName() == null ? "" : t.getFileName().toString();
        if (!h.resolve("dirdat").equals(t.getParent()) || !name.matches("[A-Za-z_][A-Za-z0-9_]")) {
            throw new IllegalArgumentException("remote trail '" + trail + "' must be ./dirdat/ and a two-character prefix"
                    + " (first not a digit) in the target home " + h);
        }
        return t;
    }

    /** {@code ./dirdat/ha} for a trail path whose last name is the prefix. */
    public static String name(Path trail) {
        return "./dirdat/" + trail.getFileName();
    }

    /** The name of the collector's lock and files for a trail: {@code COLLECTOR_ha} (dirchk/COLLECTOR_ha.pid). */
    public static String collectorName(Path trail) {
        return "COLLECTOR_" + trail.getFileName();
    }
}
