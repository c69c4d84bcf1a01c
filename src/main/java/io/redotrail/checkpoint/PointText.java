package io.redotrail.checkpoint;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;

import java.util.Map;

/** {@code prefix.{thread,seqno,rba,scn,ts,file}} keys of a {@link CheckpointPoint} in a sealed text file. */
public final class PointText {
    private PointText() {
    }

    public static void put(Map<String, String> m, String prefix, CheckpointPoint p) {
        if (p == null) return;
        m.put(prefix + ".thread", Integer.toString(p.position().thread()));
        m.put(prefix + ".seqno", Long.toString(p.position().sequence()));
        m.put(prefix + ".rba", Long.toString(p.position().rba()));
        m.put(prefix + ".scn", Long.toString(p.scn().value()));
        m.put(prefix + ".ts", Long.toString(p.timestampMillis()));
        m.put(prefix + ".file", p.redoFile() == null ? "" : p.redoFile());
    }

    /** The point stored under {@code prefix}, or null when absent. */
    public static CheckpointPoint get(Map<String, String> m, String prefix) {
        if (!m.containsKey(prefix + ".thread")) return null;
        return new CheckpointPoint(new RedoPosition(Integer.parseInt(m.get(prefix + ".thread")),
                Long.parseLong(m.get(prefix + ".seqno")), Long.parseLong(m.get(prefix + ".rba"))),
                Scn.of(Long.parseLong(m.get(prefix + ".scn"))), Long.parseLong(m.get(prefix + ".ts")),
                m.get(prefix + ".file"));
    }
}
