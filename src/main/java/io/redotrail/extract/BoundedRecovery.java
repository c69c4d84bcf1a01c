package io.redotrail.extract;

import io.redotrail.checkpoint.BrPoints;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.extract.br.BrCheckpoint;
import io.redotrail.extract.br.BrStore;
import io.redotrail.extract.br.PersistedTransaction;
import io.redotrail.report.ReportFile;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Bounded Recovery policy of one extract (GoldenGate's {@code BR BRINTERVAL n}): every interval of source
 * time (redo record timestamps, so a simulated clock drives it) it persists each transaction open longer than
 * one interval, and records per thread where a restart must re-read from. Files and their protocol:
 * {@link BrStore}, docs/br-format.md. Not thread-safe: route thread only.
 */
public final class BoundedRecovery {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneId.systemDefault());

    private final BrStore store;
    private final String group;
    private long intervalMillis;
    private final ReportFile report;
    private long nextDue = -1;
    /** Source time of the latest record seen by {@link #due}; BRCHECKPOINT IN counts from it. */
    private long lastSource = -1;
    /** BRCHECKPOINT IMMEDIATE: the next batch with records takes one, whatever the schedule. */
    private boolean immediate;
    private CheckpointPoint previousEnd;
    private final Path dir;
    /** The newest BR checkpoint, taken or restored this run, and its OGG-01738 positions (null: none yet). */
    private BrCheckpoint last;
    private String lastPositions;

    /** The directory of {@code group}'s BR files under BRDIR {@code root}: one layout for the extract and GGSCI. */
    public static Path dirOf(Path root, String group) {
        return root.resolve(group);
    }

    /**
     * Whether the extract checkpoint {@code pc} was written after {@code c} (Current at or past c's end on every
     * thread) with its Recovery checkpoint at or past c's restart position on every thread: then every transaction c
     * persisted has ended, and a restart recovers from the Recovery checkpoint, not from c.
     */
    /**
     * Whether the next start of the extract whose checkpoint is {@code pc} would restore from {@code c}: neither
     * superseded by it ({@link #supersededBy}) nor left by an earlier group of the name (a checkpoint GGSCI ADD wrote,
     * start time 0: the first start retires such files, OGG-01635). BROFF and BRRESET are the caller's to check.
     */
    public static boolean restoredFrom(BrCheckpoint c, ProcessCheckpoint pc) {
        return pc != null && !definedNotStarted(pc) && !supersededBy(c, pc);
    }

    /** A checkpoint GGSCI ADD (or ALTER) wrote and no run has replaced yet. */
    static boolean definedNotStarted(ProcessCheckpoint pc) {
        return pc.startTimeMillis() == 0;
    }

    public static boolean supersededBy(BrCheckpoint c, ProcessCheckpoint pc) {
        if (pc == null || pc.redoReads().isEmpty()) return false;
        for (Map.Entry<Integer, CheckpointPoint> e : c.restart().entrySet()) {
            RedoReadCheckpoint r = pc.redoRead(e.getKey());
            CheckpointPoint end = c.end().get(e.getKey());
            if (r == null || r.recovery() == null || r.current() == null) return false;
            if (r.recovery().position().compareTo(e.getValue().position()) < 0) return false;
            if (end != null && r.current().position().compareTo(end.position()) < 0) return false;
        }
        return true;
    }

    BoundedRecovery(Path dir, String group, long intervalMillis, boolean keepStale, ReportFile report) {
        this.store = new BrStore(dir, group, keepStale);
        this.dir = dir;
        this.group = group;
        this.intervalMillis = intervalMillis;
        this.report = report;
    }

    /** Parses {@code 20M}, {@code 4H}; GoldenGate accepts 20M to 96H, shorter only for a simulated clock. */
    public static long parseInterval(String spec, boolean allowShort) {
        String s = spec.trim().toUpperCase();
        long n;
        try {
            n = Long.parseLong(s.substring(0, s.length() - 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("BRINTERVAL '" + spec + "' must be a number followed by M or H, e.g. 20M or 4H");
        }
        long ms = switch (s.charAt(s.length() - 1)) {
            case 'M' -> n * 60_000L;
            case 'H' -> n * 3_600_000L;
            case 'S' -> {
                if (!allowShort) throw new IllegalArgumentException("BRINTERVAL in seconds is for the simulated clock only: " + spec);
                yield n * 1000L;
            }
            default -> throw new IllegalArgumentException("BRINTERVAL '" + spec + "' must end with M or H");
        };
        if (!allowShort && (ms < 20 * 60_000L || ms > 96 * 3_600_000L)) {
            throw new IllegalArgumentException("BRINTERVAL " + spec + " is outside 20M..96H (shorter intervals need the simulated clock)");
        }
        if (ms <= 0) throw new IllegalArgumentException("BRINTERVAL must be positive: " + spec);
        return ms;
    }

    /** Restores the persisted transactions of the newest BR checkpoint into {@code cache}. */
    /** ... unless {@code superseded} says the newest checkpoint is: then it is retired and nothing restored. */
    Optional<BrCheckpoint> restore(TransactionCache cache, java.util.function.Predicate<BrCheckpoint> superseded) {
        Optional<BrCheckpoint> loaded = store.load();
        if (loaded.isEmpty()) return loaded;
        BrCheckpoint cp = loaded.get();
        if (superseded.test(cp)) {
            store.reset();
            return Optional.empty();
        }
        for (PersistedTransaction p : cp.persisted()) {
            OpenTransaction t = cache.begin(p.xid(), p.thread(), p.start(), true);
            t.changes.restoreFrom(store.objectFile(p), p.bytes(), p.changes());
            t.restored = true;
            t.persistedChanges = p.changes();
            t.persistedBytes = p.bytes();
        }
        previousEnd = cp.end().values().stream().findFirst().orElse(null);
        nextDue = cp.timeMillis() + intervalMillis;
        last = cp;
        lastPositions = "restored at this start, reading redo from " + String.join("; ", cp.restart().values().stream()
                .map(BoundedRecovery::describe).toList());
        report.info("OGG-01639", "BOUNDED RECOVERY: ACTIVE: for object pool 1: " + group + ": restored "
                + cp.persisted().size() + " persisted transaction(s) from BR checkpoint " + cp.number()
                + ", reading redo from " + String.join("; ", cp.restart().values().stream().map(BoundedRecovery::describe).toList()));
        return loaded;
    }

    /** BRRESET, or BR state unusable: forget it (stale files moved aside with BRKEEPSTALEFILES). */
    void reset() {
        store.reset();
    }

    boolean hasCheckpoint() {
        return store.hasCheckpoint();
    }

    /** True once {@code sourceTime} reached the next checkpoint time (the first call anchors the schedule). */
    boolean due(long sourceTime) {
        lastSource = Math.max(lastSource, sourceTime);
        if (immediate) return true;
        if (nextDue < 0) {
            nextDue = sourceTime + intervalMillis;
            return false;
        }
        return sourceTime >= nextDue;
    }

    /** Takes a BR checkpoint of the state after the previous batch, which the trail already holds. */
    BrPoints checkpoint(long now, Scn trailCsn, TransactionCache cache, Map<Integer, CheckpointPoint> current) {
        List<PersistedTransaction> persisted = new ArrayList<>();
        Map<Integer, CheckpointPoint> restart = new TreeMap<>(current);
        CheckpointPoint begin = null;
        for (OpenTransaction t : cache.open()) {
            if (!t.complete) continue; // began before our start; it cannot still be open at its commit (checked there)
            if (begin == null) begin = t.start;
            if (t.restored || t.start.timestampMillis() <= now - intervalMillis) {
                PersistedTransaction p = store.persist(t.xid, t.thread, t.start, t.persistedChanges, t.persistedBytes,
                        t.changes.changesFrom(t.persistedChanges));
                t.persistedChanges = p.changes();
                t.persistedBytes = p.bytes();
                t.restored = true;
                persisted.add(p);
            } else {
                CheckpointPoint r = restart.get(t.thread);
                if (r == null || t.start.position().compareTo(r.position()) < 0) restart.put(t.thread, t.start);
            }
        }
        BrCheckpoint cp = store.checkpoint(now, trailCsn, begin, current, restart, persisted);
        CheckpointPoint end = current.values().iterator().next();
        CheckpointPoint start = restart.values().stream().min((a, b) -> a.scn().compareTo(b.scn())).orElse(end);
        report.info("OGG-01738", "BOUNDED RECOVERY: CHECKPOINT: for object pool 1: " + group + ": start="
                + describe(start) + ", end=" + describe(end) + ". (checkpoint " + cp.number() + ", "
                + persisted.size() + " persisted transaction(s))");
        last = cp;
        lastPositions = "start=" + describe(start) + ", end=" + describe(end);
        // SHOWCH's BR Begin is where this checkpoint's recovery begins, the OGG-01738 start (seed 002)
        BrPoints points = new BrPoints(previousEnd, start, end);
        previousEnd = end;
        if (immediate) {
            immediate = false;
            nextDue = now + intervalMillis; // the schedule starts again from the checkpoint asked for
        }
        if (nextDue <= now) nextDue += ((now - nextDue) / intervalMillis + 1) * intervalMillis;
        return points;
    }

    /**
     * SEND EXTRACT g, BR BRSTATUS: the interval and directory, the newest checkpoint (taken or restored this run)
     * with its persisted transactions and positions, and when the next one is due. Times are source (record) times,
     * as the schedule runs on them.
     */
    String status(String brIntervalSpec) {
        StringBuilder b = new StringBuilder();
        b.append("Bounded Recovery Parameter:\n");
        b.append("BRINTERVAL = ").append(brIntervalSpec.trim().toUpperCase()).append(" (").append(intervalMillis / 1000).append(" s)\n");
        b.append("BRDIR      = ").append(dir).append("\n\n");
        b.append("Bounded Recovery Status:\n");
        if (last == null) {
            b.append("Last BR checkpoint:  none yet this run\n");
        } else {
            b.append("Last BR checkpoint:  ").append(last.number()).append(" at ").append(TS.format(Instant.ofEpochMilli(last.timeMillis())))
                    .append(", ").append(last.persisted().size()).append(" persisted transaction(s)\n");
            b.append("                     ").append(lastPositions).append("\n");
        }
        b.append("Next BR checkpoint:  ").append(immediate ? "at the next redo record read (BRCHECKPOINT IMMEDIATE)"
                : nextDue < 0 ? "scheduled from the first redo record read"
                : "due at " + TS.format(Instant.ofEpochMilli(nextDue))).append("\n");
        return b.toString();
    }

    /**
     * SEND EXTRACT g, BR BRCHECKPOINT IMMEDIATE | IN n{M|H} | AT yyyy-mm-dd[ hh:mm[:ss]], and BR BRINTERVAL
     * interval (for this run), on the route thread. Times are source (record) times, as the schedule's; the reply
     * says when the checkpoint is due.
     */
    String command(List<String> args, boolean allowShort) {
        String what = args.get(0).toUpperCase(java.util.Locale.ROOT);
        if (what.equals("BRINTERVAL")) {
            if (args.size() != 2) throw new IllegalArgumentException("BR BRINTERVAL needs one interval, e.g. BR BRINTERVAL 20M");
            intervalMillis = parseInterval(args.get(1), allowShort);
            if (nextDue >= 0) nextDue = (last != null ? last.timeMillis() : lastSource) + intervalMillis;
            report.info("OGG-01021", "Command received from GGSCI: BR BRINTERVAL " + args.get(1) + ".");
            return "Bounded Recovery interval set to " + args.get(1).toUpperCase(java.util.Locale.ROOT) + " (" + intervalMillis / 1000
                    + " s) for this run; " + next() + ".\n";
        }
        String when = args.size() < 2 ? "" : args.get(1).toUpperCase(java.util.Locale.ROOT);
        if (when.equals("IMMEDIATE") && args.size() == 2) {
            immediate = true;
        } else if (when.equals("IN") && args.size() == 3) {
            if (lastSource < 0) throw new IllegalArgumentException("BR BRCHECKPOINT IN counts from the last redo record read; none was read yet");
            long in;
            try {
                in = parseInterval(args.get(2), true);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("BR BRCHECKPOINT IN '" + args.get(2) + "': expected n followed by M or H, e.g. IN 30M");
            }
            nextDue = lastSource + in;
        } else if (when.equals("AT") && (args.size() == 3 || args.size() == 4)) {
            String at = String.join(" ", args.subList(2, args.size()));
            try {
                java.time.LocalDateTime t = at.length() <= 10 ? java.time.LocalDate.parse(at).atStartOfDay()
                        : java.time.LocalDateTime.parse(at.replace(' ', 'T'));
                nextDue = t.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("BR BRCHECKPOINT AT '" + at + "': expected yyyy-mm-dd[ hh:mm[:ss]]");
            }
        } else {
            throw new IllegalArgumentException("BR BRCHECKPOINT needs IMMEDIATE, IN n{M|H} or AT yyyy-mm-dd[ hh:mm[:ss]]");
        }
        report.info("OGG-01021", "Command received from GGSCI: BR " + String.join(" ", args) + ".");
        return "Bounded Recovery checkpoint requested: " + next() + ".\n";
    }

    private String next() {
        if (immediate) return "it is taken at the next redo record read";
        return nextDue < 0 ? "the next checkpoint is scheduled from the first redo record read"
                : "the next checkpoint is due at source time " + TS.format(Instant.ofEpochMilli(nextDue));
    }

    void release(Xid xid) {
        store.release(xid);
    }

    private static String describe(CheckpointPoint p) {
        return "SeqNo: " + p.position().sequence() + ", RBA: " + p.position().rba() + ", SCN: " + p.scn().display()
                + ", Timestamp: " + TS.format(Instant.ofEpochMilli(p.timestampMillis())) + ", Thread: " + p.position().thread();
    }
}
