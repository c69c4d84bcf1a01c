package io.redotrail.runtime;

import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupProcess;
import io.redotrail.report.PidFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The locks of every group the configured routes run, taken before anything starts (home layout, target
 * tables, routes): a second {@code run} of a running group is refused before it touches a trail or the target.
 * The groups are the {@code group=} options of the {@code redo:} and {@code trail:} URIs in the route files that
 * {@code camel.main.routes-include-pattern} selects ({@link RouteUris}: routes, and routes made from templates
 * with their parameters), placeholders resolved from the configuration; the
 * components take the same locks again as they start (re-entrant), which also covers routes this scan cannot
 * see. All or nothing: a refusal releases what was taken. Not thread-safe; close once.
 */
public final class GroupLocks implements AutoCloseable {
    private static final Pattern URI = Pattern.compile("\\b(redo|trail):[^\\s\"']+");
    private static final Pattern GROUP = Pattern.compile("[?&]group=([^&\\s\"']+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)(?::([^}]*))?}}");

    private final Path home;
    private final List<String> taken = new ArrayList<>();
    private final Map<String, String> programs = new TreeMap<>();
    /** What this process wrote at {@link #take}, and what the file said before, per group it locked first. */
    private final Map<String, PidFile> starting = new TreeMap<>();
    private final Map<String, String> previous = new TreeMap<>();

    private GroupLocks(Path home) {
        this.home = home;
    }

    /**
     * Locks every group of the routes; a group another process runs is reported in its report file and refused.
     *
     * @throws GroupLock.AlreadyRunningException naming the group and the running pid
     */
    public static GroupLocks take(Settings s, String routesPattern) {
        GroupLocks locks = new GroupLocks(s.home());
        Map<String, String> groups = groups(s, routesPattern);
        for (Map.Entry<String, String> g : groups.entrySet()) {
            boolean first;
            try {
                first = GroupLock.acquire(locks.home, g.getKey());
            } catch (GroupLock.AlreadyRunningException e) {
                locks.close();
                GroupProcess.refusedRunning(locks.home, g.getValue(), e);
                throw e;
            }
            locks.taken.add(g.getKey());
            locks.programs.put(g.getKey(), g.getValue());
            if (first) {
                // STARTING (this process's pid) until the route writes its own record, not the last run's ABENDED
                Path file = PidFile.pathOf(locks.home, g.getKey());
                locks.previous.put(g.getKey(), GroupLock.read(locks.home, g.getKey()).orElse(""));
                PidFile starting = PidFile.starting(ProcessHandle.current().pid(), g.getValue(), System.currentTimeMillis());
                starting.write(file);
                locks.starting.put(g.getKey(), starting);
            }
        }
        return locks;
    }

    /** Group (upper case) → EXTRACT or REPLICAT, for the routes {@code routesPattern} (null: the configured ones). */
    static Map<String, String> groups(Settings s, String routesPattern) {
        String pattern = routesPattern != null ? routesPattern : s.get("camel.main.routes-include-pattern", "file:routes/*.yaml");
        Map<String, String> out = new TreeMap<>();
        for (String uri : RouteUris.of(RoutesPattern.files(pattern))) {
            Matcher u = URI.matcher(uri);
            if (!u.lookingAt()) continue;
            Matcher g = GROUP.matcher(uri);
            if (!g.find()) continue;
            String group = resolve(s, g.group(1));
            if (group == null || group.isBlank()) continue;
            String program = u.group(1).equals("trail") && trailReader(uri) ? "REPLICAT" : "EXTRACT";
            out.merge(group.toUpperCase(Locale.ROOT), program, (a, b) -> a.equals("REPLICAT") ? a : b);
        }
        return out;
    }

    /**
     * A trail URI of a REPLICAT-role consumer: the trail consumer's {@code role} defaults to REPLICAT (a pump says
     * role=EXTRACT); a producer URI is known by its producer-only options. The route writes the exact record when it
     * starts; this only names the program while it starts.
     */
    private static boolean trailReader(String uri) {
        if (uri.contains("role=EXTRACT")) return false;
        if (uri.contains("positionStore=") || uri.contains("role=REPLICAT")) return true;
        return !uri.contains("trailType=") && !uri.contains("megabytes=");
    }

    /** {@code {{key}}} / {@code {{key:default}}} from the configuration; null when a key is unknown. */
    private static String resolve(Settings s, String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v;
            try {
                v = s.get(m.group(1), m.group(2));
            } catch (Settings.ConfigException e) {
                return null; // Camel will say what is wrong with it; the component takes the lock anyway
            }
            if (v == null) return null;
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The locked groups that run {@code program} (EXTRACT or REPLICAT). */
    public List<String> groupsOf(String program) {
        return taken.stream().filter(g -> program.equals(programs.get(g))).toList();
    }

    /**
     * Releases the locks. A group whose route never started (another one failed first) still has the record
     * written at {@link #take}: the previous text is put back (empty when there was no file), so its status is
     * what it was, not "killed".
     */
    @Override
    public void close() {
        for (String g : taken) {
            PidFile mine = starting.get(g);
            if (mine != null && PidFile.read(PidFile.pathOf(home, g)).filter(p -> p.text().equals(mine.text())).isPresent()) {
                GroupLock.write(home, g, previous.get(g)); // "" when there was none: an empty file is no record
            }
            GroupLock.release(home, g);
        }
        taken.clear();
    }
}
