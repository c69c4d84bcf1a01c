package io.redotrail.bench;

import io.redotrail.sim.WorkloadStats;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench figures, as a console table and as the "latest run" section of docs/performance.md: each stage's
 * rate and its ratio to the plain apply of the same operation stream ({@link PlainLimit}) on one connection and
 * on N connections partitioned by key, then the {@link Goal} lines. Not thread-safe.
 */
public final class PerformanceReport {

    private record Line(String what, long rows, double seconds, boolean compared) {
        double rate() {
            return rows / seconds;
        }
    }

    private final WorkloadStats stats;
    private final long rows;
    private final long insertRows;
    private final List<Line> lines = new ArrayList<>();
    private final List<Goal> goals = new ArrayList<>();
    private String target = "H2";
    private double serialLimit = Double.NaN, partitionedLimit = Double.NaN;
    private int connections;

    private double lobRatio;

    public PerformanceReport lobRatio(double r) {
        this.lobRatio = r;
        return this;
    }

    private int rounds = 1;

    /** Each stage's and each limit's seconds are the best of {@code n} rounds. */
    public PerformanceReport rounds(int n) {
        this.rounds = n;
        return this;
    }

    public PerformanceReport(WorkloadStats stats, long rows, long insertRows) {
        this.stats = stats;
        this.rows = rows;
        this.insertRows = insertRows;
    }

    /** A stage, shown with its ratios to the limit. */
    public void add(String what, long n, double seconds) {
        lines.add(new Line(what, n, seconds, true));
    }

    /** A line shown without ratios (the workload's generation, the limit itself). */
    public void addPlain(String what, long n, double seconds) {
        lines.add(new Line(what, n, seconds, false));
    }

    /** The limit the ratios divide by: operations/s of the plain apply serially and on {@code n} connections, into {@code target}. */
    public void limits(String target, double serialRate, int n, double partitionedRate) {
        this.target = target;
        this.serialLimit = serialRate;
        this.connections = n;
        this.partitionedLimit = partitionedRate;
    }

    public void goal(Goal g) {
        goals.add(g);
    }

    public List<Goal> goals() {
        return List.copyOf(goals);
    }

    public void print(PrintStream out) {
        out.println();
        out.println("machine: " + machine());
        if (rounds > 1) out.println("seconds: the best of " + rounds + " rounds of every stage and of the limit, run in turn");
        out.printf("%-90s %10s %7s %12s %9s %9s%n", "stage", "rows", "s", "rows/s", "/plain1", "/plain" + connections);
        for (Line l : lines) {
            out.printf(Locale.ROOT, "%-90s %,10d %7.2f %,12.0f %9s %9s%n", l.what, l.rows, l.seconds, l.rate(),
                    ratio(l, serialLimit), ratio(l, partitionedLimit));
        }
    }

    /** The goal lines, one per goal, exactly {@code goal: <name> <measured> <target> MET|NOT MET}. */
    public void printGoals(PrintStream out) {
        for (Goal g : goals) out.println(g.line());
    }

    private static String ratio(Line l, double limit) {
        // rounded down, as the goal lines are (Goal), so the table and the goals never disagree
        return l.compared && !Double.isNaN(limit) ? new Goal("ratio", l.rate() / limit, "0.00").measuredText() : "";
    }

    public void writeSection(Path file, String section, String title) {
        StringBuilder sb = header(title);
        sb.append(String.format("- workload: %,d committed transactions, %,d row changes (%,d inserts), %,d rolled back transactions; "
                + "`redotrail.workload.lobRatio` = %s (share of rows carrying a 1 MB value)%n",
                stats.committedTransactions(), rows, insertRows, stats.rolledBackTransactions(),
                lobRatio));
        sb.append("- target: ").append(target).append('\n');
        if (rounds > 1) sb.append("- seconds: the best of ").append(rounds).append(" rounds of every stage and of the limit, run in turn\n");
        sb.append(String.format(Locale.ROOT, "%n| stage | rows | seconds | rows/s | ÷ plain apply, 1 connection "
                + "| ÷ plain apply, %d connections |%n|---|---:|---:|---:|---:|---:|%n", connections));
        for (Line l : lines) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %s | %s |%n", l.what, l.rows, l.seconds, l.rate(),
                    ratio(l, serialLimit), ratio(l, partitionedLimit)));
        }
        sb.append("\n```text\n");
        for (Goal g : goals) sb.append(g.line()).append('\n');
        sb.append("```\n");
        replaceSection(file, section, sb.toString());
    }

    /** A section's title, date and machine lines. */
    private static StringBuilder header(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(title).append("\n\n");
        sb.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        sb.append("- machine: ").append(machine()).append('\n');
        return sb;
    }

    /**
     * The section of {@code bench --lag}: date, machine, target, the maximum the phases are paced against ({@code
     * maximum}: the figure and where it came from), one row per phase with its lag percentiles, and the goal line.
     */
    static void writeLagSection(Path file, String section, String title, String target, String maximum, List<LagSummary> phases, Goal goal) {
        StringBuilder sb = header(title);
        sb.append("- target: ").append(target).append('\n');
        sb.append("- end-to-end maximum: ").append(maximum).append('\n');
        sb.append("\n| phase | offered rows/s | achieved rows/s | seconds of commits | transactions | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LagSummary p : phases) sb.append(p.row()).append('\n');
        sb.append("\n```text\n").append(goal.line()).append("\n```\n");
        replaceSection(file, section, sb.toString());
    }

    /** Replaces the text between {@code <!-- name:begin -->} and {@code <!-- name:end -->}, or appends it. */
    public static void replaceSection(Path file, String name, String text) {
        String begin = "<!-- " + name + ":begin -->", end = "<!-- " + name + ":end -->";
        String section = begin + "\n" + text + end + "\n";
        try {
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Performance\n\n";
            int b = old.indexOf(begin), e = old.indexOf(end);
            String updated = b >= 0 && e > b ? old.substring(0, b) + section + old.substring(e + end.length() + 1)
                    : old + "\n" + section;
            Files.writeString(file, updated, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    public static String machine() {
        return io.redotrail.core.Machine.describe();
    }
}
