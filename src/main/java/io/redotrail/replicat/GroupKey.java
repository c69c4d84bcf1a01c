package io.redotrail.replicat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The checkpoint table's GROUP_KEY. Several installations may share one checkpoint table with the same group
 * names (GoldenGate keeps their checkpoints apart), so the key hashes the group name <em>and</em> the home's identity
 * ({@link HomeIdentity}, which travels with the home when it is copied or moved): the first 8 bytes of SHA-256 of
 * {@code NAME '\n' identity}, as a signed long. A parallel Replicat's applier n writes its row under key + n
 * (n = 1..{@link #APPLIERS}).
 * <p>
 * Rows written before the identity was part of the key carry the name's hash alone ({@link #of(String, String)}
 * with none); {@link CheckpointTable#adoptEarlierRows} moves those whose CURRENT_DIR is this home to the new key.
 */
public final class GroupKey {
    /** Applier rows follow the group's row: APPLY_PARALLELISM is at most this many. */
    public static final int APPLIERS = 256;

    private GroupKey() {
    }

    /** The key of {@code group} of the home whose identity is {@code home}; {@code home} null: the name's alone. */
    public static long of(String group, String home) {
        String text = group.toUpperCase(Locale.ROOT) + (home == null ? "" : "\n" + home);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) k = (k << 8) | (h[i] & 0xFF);
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * CURRENT_DIR of a home: absolute, normalized and with symbolic links resolved (as {@code realpath -m}, which
     * bin/redotrail applies to --home), so every spelling of one directory compares alike: a relative one, one through
     * a link, the configuration's and the command line's. The part that does not exist yet is kept as written.
     */
    public static String dirOf(Path home) {
        Path p = home.toAbsolutePath().normalize();
        Path existing = p;
        while (existing != null && !java.nio.file.Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return p.toString();
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).normalize().toString();
        } catch (java.io.IOException e) {
            return p.toString(); // unreadable: as written
        }
    }

    /** Which row of a group whose key is {@code base} the key {@code key} is: 0 the group's, n applier n, -1 neither. */
    static int row(long key, long base) {
        long n = key - base; // wraps like base + n does
        return n >= 0 && n <= APPLIERS ? (int) n : -1;
    }
}
