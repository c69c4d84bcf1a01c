package io.redotrail.control.manager;

import io.redotrail.control.params.Wildcards;
import io.redotrail.report.EventLog;
import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.trail.TrailFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PURGEOLDEXTRACTS with USECHECKPOINTS, as GoldenGate's Manager does it. For each trail whose files the rule names
 * ({@code ./dirdat/*}: every trail in dirdat; {@code ./dirdat/ex*}: trail ex), a file is deleted only when
 * <ul>
 *   <li>at least one group reads the trail (a trail no checkpoint file reads is left alone: GoldenGate's rules
 *   "do not take effect" then), and every group that reads it (a trail read checkpoint in {@code dirchk/*.cpe}
 *   or {@code *.cpr}) has its current read position in a LATER file;</li>
 *   <li>it is older than every writer's current file (write checkpoints) and is not the newest file of the trail;</li>
 *   <li>it is not among the MINKEEPFILES newest files (default 1, the active file), or, with MINKEEPHOURS/DAYS,
 *   it was last modified longer ago than that (GoldenGate: the time rule wins over MINKEEPFILES).</li>
 * </ul>
 * Checkpoints are read fresh from disk every run: a reader's checkpoint only moves past a file once everything
 * before the new position is durable downstream, so a reader killed with -9 keeps the files it still needs.
 * When any checkpoint file of the home cannot be read (corrupt, never written, a trail read checkpoint without a
 * trail name, as Replicats before issue 11 wrote them until their next checkpoint) nothing is purged that run:
 * without it, it is unknown who reads what. Each deletion is an OGG-00957 line in ggserr.log.
 * Not thread-safe: the Manager runs it on its one scheduler thread.
 */
final class TrailPurger {
    private static final Pattern TRAIL_FILE = Pattern.compile("[^0-9].\\d{9}");

    private final Path home;
    private final EventLog log;
    private String lastProblem;

    TrailPurger(Path home, EventLog log) {
        this.home = home;
        this.log = log;
    }

    /** Applies {@code rule} once; the files deleted. */
    List<Path> purge(MgrParams.PurgeRule rule, long nowMillis) {
        Path spec = HomePaths.resolve(home, rule.trail());
        Path dir = spec.getParent();
        String filePattern = spec.getFileName().toString();
        if (filePattern.length() == 2 && !filePattern.contains("*")) filePattern += "*"; // a trail name: its files
        Map<String, TreeSet<Long>> trails = trailsIn(dir, filePattern);
        List<Path> deleted = new ArrayList<>();
        if (trails.isEmpty()) return deleted;
        List<GroupDefs.Def> defs = GroupDefs.all(home);
        for (GroupDefs.Def d : defs) {
            String problem = d.problem() != null ? d.problem()
                    : d.checkpoint().isEmpty() ? d.file() + " holds no checkpoint yet"
                    : d.checkpoint().get().trailRead() != null && d.checkpoint().get().trailRead().trail().isEmpty()
                    ? d.file() + " reads a trail it does not name" : null;
            if (problem != null) {
                if (!problem.equals(lastProblem)) {
                    log.warning("OGG-00950", "Purge of old extract files under " + rule.trail() + " skipped: "
                            + problem + " (who reads which trail is unknown).");
                }
                lastProblem = problem;
                return deleted;
            }
        }
        lastProblem = null;
        for (Map.Entry<String, TreeSet<Long>> t : trails.entrySet()) {
            Path trail = dir.resolve(t.getKey());
            deleted.addAll(purgeTrail(rule, trail, t.getValue(), defs, nowMillis));
        }
        return deleted;
    }

    private List<Path> purgeTrail(MgrParams.PurgeRule rule, Path trail, TreeSet<Long> seqnos, List<GroupDefs.Def> defs,
                                  long now) {
        long firstNeeded = Long.MAX_VALUE;
        boolean read = false;
        for (GroupDefs.Def d : defs) {
            ProcessCheckpoint cp = d.checkpoint().orElseThrow();
            if (cp.trailRead() != null && same(trail, cp.trailRead().trail())) {
                read = true;
                firstNeeded = Math.min(firstNeeded, cp.trailRead().current().seqno());
            }
            for (WriteCheckpoint w : cp.writes()) {
                if (same(trail, w.trail())) firstNeeded = Math.min(firstNeeded, w.position().seqno());
            }
        }
        List<Path> deleted = new ArrayList<>();
        if (!read) return deleted;
        List<Long> sorted = new ArrayList<>(seqnos);
        int keepFromIndex = rule.minKeepMillis() > 0 ? sorted.size() - 1 : Math.max(0, sorted.size() - rule.minKeepFiles());
        keepFromIndex = Math.min(keepFromIndex, sorted.size() - 1); // never the newest file
        for (int i = 0; i < keepFromIndex; i++) {
            long seq = sorted.get(i);
            if (seq >= firstNeeded) break;
            Path f = TrailFormat.fileOf(trail, seq);
            try {
                if (rule.minKeepMillis() > 0 && now - Files.getLastModifiedTime(f).toMillis() < rule.minKeepMillis()) break;
                if (Files.deleteIfExists(f)) {
                    deleted.add(f);
                    log.info("OGG-00957", "Purged old extract file '" + HomePaths.store(home, f.toString())
                            + "', applied purge rule " + rule.ruleText() + ".");
                }
            } catch (IOException e) {
                log.warning("OGG-00950", "Purge of old extract file '" + f + "' failed: " + e.getMessage());
                break;
            }
        }
        return deleted;
    }

    private boolean same(Path trail, String stored) {
        return HomePaths.resolve(home, stored).equals(trail.toAbsolutePath().normalize());
    }

    /** Trail prefix → existing seqnos, of the files in {@code dir} whose names match {@code pattern}. */
    private static Map<String, TreeSet<Long>> trailsIn(Path dir, String pattern) {
        Map<String, TreeSet<Long>> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> TRAIL_FILE.matcher(n).matches() && Wildcards.matches(pattern, n))
                    .forEach(n -> out.computeIfAbsent(n.substring(0, 2), k -> new TreeSet<>()).add(Long.parseLong(n.substring(2))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }
}
