package io.redotrail.extract.br;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.PointText;
import io.redotrail.checkpoint.SealedTextFile;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.core.spill.ChangeFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of Bounded Recovery for one extract group, in {@code BR/<GROUP>/} (format: docs/br-format.md):
 * <ul>
 * <li>{@code TX.<usn>.<slot>.<sqn>}: object file of one persisted transaction — its changes as
 * {@link ChangeFile} frames, appended at each BR checkpoint with the changes since the previous one and fsynced;
 * <li>{@code CP.<GROUP>.<nnnnnnnnn>}: a BR checkpoint ({@link BrCheckpoint}), a sealed text file written
 * atomically after the object files are durable. Only the newest valid one counts; once it is written, older
 * checkpoint files and object files it does not list are deleted (moved to {@code stale/} with
 * BRKEEPSTALEFILES).
 * </ul>
 * A crash while appending leaves bytes beyond what the checkpoint file records; they are ignored and truncated.
 * Not thread-safe: owned by the extract's route thread.
 */
public final class BrStore {
    /** 2: redo file paths relative to the home (1: absolute, still read). */
    static final int FORMAT_VERSION = 2;

    private final Path dir;
    private final String group;
    private final boolean keepStale;
    private final Map<Xid, ChangeFile> open = new HashMap<>();
    private long lastNumber;

    public BrStore(Path dir, String group, boolean keepStale) {
        this.dir = dir;
        this.group = group;
        this.keepStale = keepStale;
    }

    public Path dir() {
        return dir;
    }

    /** The home whose paths the files store relatively: two folders above {@code dir} ({@code <home>/BR/<GROUP>}). */
    private Path home() {
        return PointText.homeOf(dir, 2);
    }

    /** Makes the changes of {@code xid} from index {@code persistedChanges} on durable; returns its new state. */
    public PersistedTransaction persist(Xid xid, int thread, CheckpointPoint start, long persistedChanges,
                                        long persistedBytes, Iterator<RowChange> newChanges) {
        String name = "TX." + xid;
        ChangeFile f = open.get(xid);
        if (f == null) {
            f = ChangeFile.open(dir.resolve(name), persistedBytes, persistedChanges);
            open.put(xid, f);
        }
        while (newChanges.hasNext()) f.append(newChanges.next());
        long bytes = f.flush(true);
        return new PersistedTransaction(xid, thread, start, f.count(), bytes, name);
    }

    /** The transaction ended (commit, rollback, skip): its object file is no longer extended. */
    public void release(Xid xid) {
        ChangeFile f = open.remove(xid);
        if (f != null) f.close();
    }

    /** Writes checkpoint file number {@code last + 1} atomically, then retires older files. */
    public BrCheckpoint checkpoint(long timeMillis, Scn trailCsn, CheckpointPoint begin, Map<Integer, CheckpointPoint> end,
                                   Map<Integer, CheckpointPoint> restart, List<PersistedTransaction> persisted) {
        long number = Math.max(lastNumber, latestNumber()) + 1;
        PointText points = new PointText(home(), false);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("redotrail-br", Integer.toString(FORMAT_VERSION));
        m.put("group", group);
        m.put("checkpoint", Long.toString(number));
        m.put("time", Long.toString(timeMillis));
        m.put("trail.csn", Long.toString(trailCsn.value()));
        points.put(m, "begin", begin);
        end.forEach((t, p) -> points.put(m, "end." + t, p));
        restart.forEach((t, p) -> points.put(m, "restart." + t, p));
        m.put("tx.count", Integer.toString(persisted.size()));
        for (int i = 0; i < persisted.size(); i++) {
            PersistedTransaction p = persisted.get(i);
            String k = "tx." + i + ".";
            m.put(k + "xid", p.xid().toString());
            m.put(k + "thread", Integer.toString(p.thread()));
            points.put(m, k + "start", p.start());
            m.put(k + "changes", Long.toString(p.changes()));
            m.put(k + "bytes", Long.toString(p.bytes()));
            m.put(k + "file", p.file());
        }
        SealedTextFile.writeProperties(checkpointFile(number), m);
        lastNumber = number;
        retire(number, persisted);
        return new BrCheckpoint(number, timeMillis, trailCsn, begin, end, restart, persisted);
    }

    /** The newest checkpoint, or empty when there is none. Throws {@link BrException} when it cannot be used. */
    public Optional<BrCheckpoint> load() {
        long n = latestNumber();
        if (n == 0) return Optional.empty();
        Path f = checkpointFile(n);
        try {
            Map<String, String> m = SealedTextFile.readProperties(f, "BR checkpoint file").orElseThrow();
            String version = m.get("redotrail-br");
            if (!"1".equals(version) && !Integer.toString(FORMAT_VERSION).equals(version)) {
                throw new IllegalStateException("unsupported BR format version " + version + " (this build reads 1 to " + FORMAT_VERSION + ")");
            }
            PointText points = new PointText(home(), "1".equals(version));
            Map<Integer, CheckpointPoint> end = new TreeMap<>(), restart = new TreeMap<>();
            for (String k : m.keySet()) {
                if (k.startsWith("end.") && k.endsWith(".thread")) {
                    int t = Integer.parseInt(k.split("\\.")[1]);
                    end.put(t, points.get(m, "end." + t));
                    restart.put(t, points.get(m, "restart." + t));
                }
            }
            List<PersistedTransaction> txs = new ArrayList<>();
            int count = Integer.parseInt(m.get("tx.count"));
            for (int i = 0; i < count; i++) {
                String k = "tx." + i + ".";
                PersistedTransaction p = new PersistedTransaction(Xid.parse(m.get(k + "xid")),
                        Integer.parseInt(m.get(k + "thread")), points.get(m, k + "start"),
                        Long.parseLong(m.get(k + "changes")), Long.parseLong(m.get(k + "bytes")), m.get(k + "file"));
                Path obj = dir.resolve(p.file());
                if (!Files.exists(obj) || Files.size(obj) < p.bytes()) {
                    throw new IllegalStateException("object file " + obj + " is missing or shorter than " + p.bytes() + " bytes");
                }
                // every frame now, so a damaged one falls back to normal recovery instead of abending at the commit
                for (Iterator<RowChange> it = changes(p); it.hasNext(); ) it.next();
                txs.add(p);
            }
            lastNumber = n;
            return Optional.of(new BrCheckpoint(n, Long.parseLong(m.get("time")), Scn.of(Long.parseLong(m.get("trail.csn"))),
                    points.get(m, "begin"), end, restart, txs));
        } catch (RuntimeException | IOException e) {
            throw new BrException("OGG-01580 BOUNDED RECOVERY: cannot use BR checkpoint " + f + ": " + e.getMessage(), e);
        }
    }

    /** Streams the persisted changes of a transaction (verifying each frame's CRC). */
    public Iterator<RowChange> changes(PersistedTransaction p) {
        return ChangeFile.read(dir.resolve(p.file()), p.bytes(), p.changes());
    }

    public Path objectFile(PersistedTransaction p) {
        return dir.resolve(p.file());
    }

    /** BRRESET / fallback: forget every BR file (moved to stale/ with BRKEEPSTALEFILES). */
    public void reset() {
        open.values().forEach(ChangeFile::close);
        open.clear();
        retire(Long.MAX_VALUE, List.of());
    }

    private Path checkpointFile(long number) {
        return dir.resolve(String.format("CP.%s.%09d", group, number));
    }

    /** Whether a checkpoint file is there (an earlier run's, or another group's of this name that DELETE left). */
    public boolean hasCheckpoint() {
        return latestNumber() > 0;
    }

    private long latestNumber() {
        if (!Files.isDirectory(dir)) return 0;
        String prefix = "CP." + group + ".";
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && !n.endsWith(".tmp"))
                    .mapToLong(n -> Long.parseLong(n.substring(prefix.length()))).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list BR directory " + dir, e);
        }
    }

    private void retire(long keep, List<PersistedTransaction> kept) {
        Set<String> keepFiles = new HashSet<>();
        kept.forEach(p -> keepFiles.add(p.file()));
        if (keep != Long.MAX_VALUE) keepFiles.add(checkpointFile(keep).getFileName().toString());
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) || keepFiles.contains(n) || !(n.startsWith("CP.") || n.startsWith("TX."))) continue;
                Xid xid = n.startsWith("TX.") ? Xid.parse(n.substring(3)) : null;
                if (xid != null && open.containsKey(xid)) continue;
                if (keepStale) {
                    Files.createDirectories(dir.resolve("stale"));
                    Files.move(p, dir.resolve("stale").resolve(n), StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot retire stale BR files in " + dir, e);
        }
    }
}
