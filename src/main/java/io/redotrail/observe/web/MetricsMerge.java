package io.redotrail.observe.web;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Manager's {@code /metrics}: one Prometheus text exposition made of several — each group JVM's own
 * {@code /metrics} and the Manager's few JVM gauges ({@link #managerJvm}). Two JVMs expose the same families
 * (every JVM has {@code jvm_memory_used_bytes}), and a scrape with a family's {@code # TYPE} twice is refused by
 * Prometheus, so the expositions are merged by family: each family's HELP and TYPE once, then the samples of every
 * source, each with a {@code group} label naming its process (kept when the source set one itself). Not
 * thread-safe: one per request.
 */
public final class MetricsMerge {
    private record Family(List<String> meta, List<String> samples) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** Adds one exposition, its samples labelled {@code group="<group>"}. */
    public MetricsMerge add(String group, String exposition) {
        String current = null; // the family of the last TYPE line: its _bucket/_sum/_count samples belong to it
        for (String line : exposition.split("\n")) {
            if (line.isBlank()) continue;
            if (line.startsWith("#")) {
                String[] w = line.split(" ", 4);
                if (w.length >= 3 && (w[1].equals("HELP") || w[1].equals("TYPE"))) {
                    Family f = family(w[2]);
                    if (w[1].equals("TYPE")) current = w[2];
                    if (f.meta().stream().noneMatch(m -> m.startsWith("# " + w[1] + " "))) f.meta().add(line);
                }
                continue; // other comments (# EOF) are not repeated
            }
            int end = nameEnd(line);
            String name = line.substring(0, end);
            String fam = current != null && name.startsWith(current) ? current : name;
            family(fam).samples().add(labelled(line, end, group));
        }
        return this;
    }

    private Family family(String name) {
        return families.computeIfAbsent(name, k -> new Family(new ArrayList<>(), new ArrayList<>()));
    }

    private static int nameEnd(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        return i;
    }

    static String labelled(String line, int nameEnd, String group) {
        String label = "group=\"" + group.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        if (nameEnd < line.length() && line.charAt(nameEnd) == '{') {
            int close = line.indexOf('}', nameEnd);
            String labels = line.substring(nameEnd + 1, close < 0 ? nameEnd + 1 : close);
            if (labels.matches("(?s)(.*,)?\\s*group=\".*")) return line;
            return line.substring(0, nameEnd + 1) + label + (labels.isBlank() ? "" : ",") + line.substring(nameEnd + 1);
        }
        return line.substring(0, nameEnd) + "{" + label + "}" + line.substring(nameEnd);
    }

    /** The merged exposition (text format 0.0.4). */
    public String text() {
        StringBuilder sb = new StringBuilder();
        families.forEach((name, f) -> {
            f.meta().forEach(m -> sb.append(m).append('\n'));
            f.samples().forEach(s -> sb.append(s).append('\n'));
        });
        return sb.toString();
    }

    /** The Manager JVM's heap, thread count and uptime, as its own small exposition. */
    public static String managerJvm() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return String.format(Locale.ROOT, """
                # HELP redotrail_manager_heap_used_bytes Heap the Manager JVM uses.
                # TYPE redotrail_manager_heap_used_bytes gauge
                redotrail_manager_heap_used_bytes %d
                # HELP redotrail_manager_threads Live threads of the Manager JVM.
                # TYPE redotrail_manager_threads gauge
                redotrail_manager_threads %d
                # HELP redotrail_manager_uptime_seconds Seconds since the Manager JVM started.
                # TYPE redotrail_manager_uptime_seconds gauge
                redotrail_manager_uptime_seconds %.3f
                """, heap.getUsed(), ManagementFactory.getThreadMXBean().getThreadCount(),
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }
}
