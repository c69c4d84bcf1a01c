package io.redotrail.checkpoint;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code prefix.{thread,seqno,rba,scn,ts,file}} keys of a {@link CheckpointPoint} in a sealed text file of the
 * home {@code home}: the redo file is stored relative to the home ({@link HomePaths}); {@code legacy} files
 * (written by a version that stored absolute paths) have theirs mapped under the home when read. Immutable.
 */
public record PointText(Path home, boolean legacy) {

    public void put(Map<String, String> m, String prefix, CheckpointPoint p) {
        if (p == null) return;
        m.put(prefix + ".thread", Integer.toString(p.position().thread()));
        m.put(prefix + ".seqno", Long.toString(p.position().sequence()));
        m.put(prefix + ".rba", Long.toString(p.position().rba()));
        m.put(prefix + ".scn", Long.toString(p.scn().value()));
        m.put(prefix + ".ts", Long.toString(p.timestampMillis()));
        m.put(prefix + ".file", HomePaths.store(home, p.redoFile()));
    }

    /** The point stored under {@code prefix}, or null when absent. */
    public CheckpointPoint get(Map<String, String> m, String prefix) {
        if (!m.containsKey(prefix + ".thread")) return null;
        String file = m.get(prefix + ".file");
        return new CheckpointPoint(new RedoPosition(Integer.parseInt(m.get(prefix + ".thread")),
                Long.parseLong(m.get(prefix + ".seqno")), Long.parseLong(m.get(prefix + ".rba"))),
                Scn.of(Long.parseLong(m.get(prefix + ".scn"))), Long.parseLong(m.get(prefix + ".ts")),
                legacy ? HomePaths.legacy(home, file) : file);
    }

    /** The home of a file two folders below it ({@code <home>/dirchk/EXT1.cpe}, {@code <home>/BR/EXT1/CP...}). */
    public static Path homeOf(Path dirOrFile, int levels) {
        Path p = dirOrFile.toAbsolutePath().normalize();
        for (int i = 0; i < levels && p.getParent() != null; i++) p = p.getParent();
        return p;
    }
}
