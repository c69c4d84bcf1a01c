package io.redotrail.observe.web;

import io.redotrail.report.ControlClient;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples behind the live page's charts: every {@link #sample} call takes, per group, its checkpoint lag (as
 * INFO ALL shows it, {@link StatusRow}) and, from a running group, its throughput — the operations of STATS TOTAL
 * asked over the group's control channel ({@link ControlClient}, as GGSCI's STATS), per second since the previous
 * sample of the same process (0 for a process's first sample, and for a group that does not run). Samples older
 * than {@link #KEEP_MILLIS} are dropped: the last hour, in memory, about 1,800 per group at one sample every 2 s.
 * Thread-safe: one sampler thread writes, HTTP threads read copies.
 */
public final class History {
    public static final long KEEP_MILLIS = 3_600_000L;
    /** How long one group may take to answer STATS before its sample counts no throughput. */
    private static final int STATS_TIMEOUT_MILLIS = 5_000;
    private static final Pattern OPERATIONS = Pattern.compile("^\\s*Total operations\\s+([0-9]+(?:\\.[0-9]+)?)\\s*$", Pattern.MULTILINE);

    /** One sample: epoch millis, checkpoint lag in millis (-1 unknown), operations per second, status. */
    public record Sample(long t, long lagMillis, double opsPerSecond, String status) {
    }

    private record Total(long pid, long t, long operations) {
    }

    private final Path home;
    private final Map<String, Deque<Sample>> samples = new LinkedHashMap<>();
    private final Map<String, Total> lastTotals = new HashMap<>();

    public History(Path home) {
        this.home = home;
    }

    /** Takes one sample of every group in {@code rows} at {@code now}. */
    public void sample(List<StatusRow> rows, long now) {
        Map<String, Sample> taken = new LinkedHashMap<>();
        for (StatusRow r : rows) taken.put(r.group(), new Sample(now, r.lagMillis(), rate(r, now), r.status()));
        synchronized (this) {
            samples.keySet().retainAll(taken.keySet()); // a deleted group leaves the page
            taken.forEach((g, s) -> {
                Deque<Sample> d = samples.computeIfAbsent(g, k -> new ArrayDeque<>());
                d.addLast(s);
                while (!d.isEmpty() && d.peekFirst().t() < now - KEEP_MILLIS) d.removeFirst();
            });
        }
    }

    /** Operations per second of a running group since its previous sample; asks it outside the lock. */
    private double rate(StatusRow r, long now) {
        if (!r.running() || r.pid() <= 0) {
            lastTotals.remove(r.group());
            return 0;
        }
        long ops;
        try {
            java.util.Optional<String> reply = ControlClient.send(home, r.group(), "STATS TOTAL", STATS_TIMEOUT_MILLIS);
            if (reply.isEmpty()) return 0;
            ops = totalOperations(reply.get());
        } catch (IOException e) { // stopping or too slow to answer: no throughput this time, the lag still counts
            return 0;
        }
        Total prev = lastTotals.put(r.group(), new Total(r.pid(), now, ops));
        if (prev == null || prev.pid() != r.pid() || ops < prev.operations() || now <= prev.t()) return 0;
        return (ops - prev.operations()) * 1000.0 / (now - prev.t());
    }

    /** The sum of the "Total operations" lines of a STATS TOTAL reply (one per table); 0 with none. */
    static long totalOperations(String statsReply) {
        Matcher m = OPERATIONS.matcher(statsReply);
        double sum = 0;
        while (m.find()) sum += Double.parseDouble(m.group(1));
        return Math.round(sum);
    }

    /** Group → its samples, oldest first (copies). */
    public synchronized Map<String, List<Sample>> snapshot() {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        samples.forEach((g, d) -> out.put(g, new ArrayList<>(d)));
        return out;
    }
}
