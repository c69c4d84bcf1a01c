package io.redotrail.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths as files inside a home store them, so that a home copied or moved elsewhere still names its own files
 * (never the original's): a path under the home is stored relative to it, GoldenGate style ({@code ./dirdat/ex},
 * {@code ./arch/1_5.arc}); a path outside the home is stored as it is. Files written by earlier versions hold
 * absolute paths of the home they were written in: {@link #legacy} maps such a path under the current home by
 * its last two names (folder and file, the home's layout) when the home has that folder. Stateless, thread-safe.
 */
public final class HomePaths {
    private HomePaths() {
    }

    /** The stored form of {@code path}: {@code ./relative} when under {@code home}, else unchanged; "" for null. */
    public static String store(Path home, String path) {
        if (path == null || path.isEmpty()) return path == null ? "" : path;
        Path p = Path.of(path);
        if (!p.isAbsolute()) return path;
        Path h = home.toAbsolutePath().normalize();
        Path n = p.normalize();
        if (!n.startsWith(h) || n.equals(h)) return path;
        return "./" + h.relativize(n).toString().replace('\\', '/');
    }

    /** The file a stored path names: relative forms resolved against {@code home}. */
    public static Path resolve(Path home, String stored) {
        Path p = Path.of(stored);
        return p.isAbsolute() ? p : home.toAbsolutePath().normalize().resolve(p).normalize();
    }

    /**
     * An absolute path written by an earlier version, in the stored form of this one: {@code /old/home/arch/1_5.arc}
     * becomes {@code ./arch/1_5.arc} when {@code home/arch} exists (the home was copied or moved), else it is kept.
     */
    public static String legacy(Path home, String stored) {
        if (stored == null || stored.isEmpty()) return stored;
        Path p = Path.of(stored);
        if (!p.isAbsolute()) return stored;
        String here = store(home, stored);
        if (!here.equals(stored) || p.getNameCount() < 2) return here;
        Path folder = p.getParent().getFileName();
        if (!Files.isDirectory(home.resolve(folder.toString()))) return stored;
        return "./" + folder + "/" + p.getFileName();
    }

    /** True when two paths (stored or live) name the same file of {@code home}. */
    public static boolean same(Path home, String a, String b) {
        if (a == null || b == null) return a == b;
        return resolve(home, a).equals(resolve(home, b));
    }
}
