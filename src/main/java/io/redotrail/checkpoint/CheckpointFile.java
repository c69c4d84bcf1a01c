package io.redotrail.checkpoint;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes checkpoint files (format: docs/checkpoint-format.md). Paths under the home (trails, redo
 * files) are stored relative to it ({@link HomePaths}); version 1 files, which stored them absolute, are read
 * with those mapped under the home. The file is UTF-8 text, one
 * {@code key=value} per line, first line {@code redotrail-checkpoint=<version>}, last line
 * {@code crc32c=<hex>} over every byte before that line. It is replaced atomically ({@link AtomicFiles}), so
 * a crash leaves the old or the new checkpoint; a file that fails its CRC was damaged after the fact and is
 * reported, never guessed at. The optional {@code checkpointtable} key (the Replicat's table from
 * {@code ADD REPLICAT ..., CHECKPOINTTABLE}) is part of the group's definition: a checkpoint written without one
 * keeps the one the file holds. The checkpoint a write replaces goes to the group's history when the new one moved
 * ({@link CheckpointHistory}: what {@code INFO ... SHOWCH n} shows). Not thread-safe: one writer per file (the owning process).
 */
public final class CheckpointFile {
    private final Path path;
    /** The defined checkpoint table carried over from the file, looked up at the first write without one. */
    private Optional<String> definedTable;
    /** The {@code parallel} key of the definition (null: not read yet). */
    private Boolean definedParallel;

    public CheckpointFile(Path path) {
        this.path = path;
    }

    public static Path extractFile(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase() + ".cpe");
    }

    public static Path replicatFile(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase() + ".cpr");
    }

    public Path path() {
        return path;
    }

    public boolean exists() {
        return Files.exists(path);
    }

    public void write(ProcessCheckpoint cp) {
        Path home = PointText.homeOf(path, 2);
        PointText points = new PointText(home, false);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("redotrail-checkpoint", Integer.toString(ProcessCheckpoint.FORMAT_VERSION));
        m.put("group", cp.group());
        m.put("process", cp.processType());
        m.put("start.time", Long.toString(cp.startTimeMillis()));
        m.put("last.update", Long.toString(cp.lastUpdateMillis()));
        m.put("stop.status", Character.toString(cp.stopStatus()));
        // optional (older files lack them): the last record's lag when processed, and EOF at this checkpoint
        if (cp.lagMillis() >= 0) m.put("lag.millis", Long.toString(cp.lagMillis()));
        if (cp.atEof()) m.put("at.eof", "true");
        String table = cp.checkpointTable() != null ? cp.checkpointTable() : definedTable().orElse(null);
        if (table != null) m.put("checkpointtable", table);
        definedTable = Optional.ofNullable(table);
        if (definedParallel()) m.put("parallel", "true");
        m.put("redo.threads", Integer.toString(cp.redoReads().size()));
        for (RedoReadCheckpoint r : cp.redoReads()) {
            String p = "read." + r.thread() + ".";
            points.put(m, p + "startup", r.startup());
            points.put(m, p + "recovery", r.recovery());
            points.put(m, p + "current", r.current());
        }
        points.put(m, "br.previous", cp.brPrevious());
        points.put(m, "br.begin", cp.brBegin());
        points.put(m, "br.end", cp.brEnd());
        TrailReadCheckpoint t = cp.trailRead();
        if (t != null) {
            m.put("trailread.trail", HomePaths.store(home, t.trail()));
            m.put("trailread.startup", pos(t.startup()));
            m.put("trailread.startup.ts", Long.toString(t.startupTimestampMillis()));
            m.put("trailread.current", pos(t.current()));
            m.put("trailread.current.ts", Long.toString(t.currentTimestampMillis()));
        }
        m.put("writes", Integer.toString(cp.writes().size()));
        for (int i = 0; i < cp.writes().size(); i++) {
            WriteCheckpoint w = cp.writes().get(i);
            String p = "write." + (i + 1) + ".";
            m.put(p + "trail", HomePaths.store(home, w.trail()));
            m.put(p + "position", pos(w.position()));
            m.put(p + "ts", Long.toString(w.timestampMillis()));
            m.put(p + "type", w.trailType());
            m.put(p + "lastcsn", Long.toString(w.lastCsn().value()));
            if (w.megabytes() > 0) m.put(p + "megabytes", Integer.toString(w.megabytes()));
        }
        byte[] previous = CheckpointHistory.replaced(path, m);
        SealedTextFile.writeProperties(path, m);
        CheckpointHistory.append(path, previous);
    }

    /** The stored checkpoint, or empty when the process never checkpointed. */
    public Optional<ProcessCheckpoint> read() {
        return SealedTextFile.readProperties(path, "checkpoint file").map(m -> parse(m, path));
    }

    /** A checkpoint from the properties of a checkpoint file at {@code path} (or of its history, beside it). */
    static ProcessCheckpoint parse(Map<String, String> m, Path path) {
        String version = m.get("redotrail-checkpoint");
        if (!"1".equals(version) && !Integer.toString(ProcessCheckpoint.FORMAT_VERSION).equals(version)) {
            throw new CorruptFileException(path, 0, "unsupported checkpoint format version " + version
                    + " (this build reads versions 1 to " + ProcessCheckpoint.FORMAT_VERSION + ")");
        }
        // version 1 stored absolute paths of the home it was written in: mapped under this one
        Path home = PointText.homeOf(path, 2);
        PointText points = new PointText(home, "1".equals(version));
        java.util.function.UnaryOperator<String> trail = t -> points.legacy() ? HomePaths.legacy(home, t) : t;
        try {
            List<RedoReadCheckpoint> reads = new ArrayList<>();
            for (String key : m.keySet()) {
                if (key.startsWith("read.") && key.endsWith(".current.thread")) {
                    int thread = Integer.parseInt(key.split("\\.")[1]);
                    String p = "read." + thread + ".";
                    reads.add(new RedoReadCheckpoint(thread, points.get(m, p + "startup"), points.get(m, p + "recovery"),
                            points.get(m, p + "current")));
                }
            }
            TrailReadCheckpoint tr = null;
            if (m.containsKey("trailread.trail")) {
                tr = new TrailReadCheckpoint(trail.apply(m.get("trailread.trail")), parsePos(m.get("trailread.startup")),
                        Long.parseLong(m.get("trailread.startup.ts")), parsePos(m.get("trailread.current")),
                        Long.parseLong(m.get("trailread.current.ts")));
            }
            List<WriteCheckpoint> writes = new ArrayList<>();
            int nw = Integer.parseInt(m.getOrDefault("writes", "0"));
            for (int i = 1; i <= nw; i++) {
                String p = "write." + i + ".";
                writes.add(new WriteCheckpoint(trail.apply(m.get(p + "trail")), parsePos(m.get(p + "position")),
                        Long.parseLong(m.get(p + "ts")), m.get(p + "type"), Scn.of(Long.parseLong(m.get(p + "lastcsn"))),
                        Integer.parseInt(m.getOrDefault(p + "megabytes", "0"))));
            }
            return new ProcessCheckpoint(m.get("group"), m.get("process"), reads, tr, writes,
                    points.get(m, "br.previous"), points.get(m, "br.begin"), points.get(m, "br.end"),
                    Long.parseLong(m.get("start.time")), Long.parseLong(m.get("last.update")),
                    m.get("stop.status").charAt(0), Long.parseLong(m.getOrDefault("lag.millis", "-1")),
                    Boolean.parseBoolean(m.get("at.eof")), m.get("checkpointtable"));
        } catch (RuntimeException e) {
            if (e instanceof CorruptFileException c) throw c;
            throw new CorruptFileException(path, 0, "malformed checkpoint: " + e, e);
        }
    }

    /**
     * ADD REPLICAT r, PARALLEL: writes the definition with the optional {@code parallel} key, which every later
     * write keeps (like {@code checkpointtable}).
     */
    public void writeParallel(ProcessCheckpoint cp) {
        definedParallel = true;
        write(cp);
    }

    /** Whether the group was added with PARALLEL (a parallel Replicat). */
    public boolean parallel() {
        return definedParallel();
    }

    private boolean definedParallel() {
        if (definedParallel == null) {
            try {
                definedParallel = SealedTextFile.readProperties(path, "checkpoint file")
                        .map(m -> Boolean.parseBoolean(m.get("parallel"))).orElse(false);
            } catch (RuntimeException e) {
                definedParallel = false; // as definedTable(): a damaged file's definition cannot be read
            }
        }
        return definedParallel;
    }

    private Optional<String> definedTable() {
        if (definedTable == null) {
            try {
                definedTable = SealedTextFile.readProperties(path, "checkpoint file").map(m -> m.get("checkpointtable"));
            } catch (RuntimeException e) {
                // a damaged file is being replaced: the definition it held cannot be read, and the writer decides
                definedTable = Optional.empty();
            }
        }
        return definedTable;
    }

    private static String pos(TrailPosition p) {
        return p.seqno() + ":" + p.rba();
    }

    private static TrailPosition parsePos(String s) {
        int c = s.indexOf(':');
        return new TrailPosition(Long.parseLong(s.substring(0, c)), Long.parseLong(s.substring(c + 1)));
    }
}
