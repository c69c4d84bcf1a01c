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

/** The bench figures, as a console table and as the "latest run" section of docs/performance.md. */
public final class PerformanceReport {

    private record Line(String what, long rows, double seconds) {
        double rate() {
            return rows / seconds;
        }
    }

    private final WorkloadStats stats;
    private final long rows;
    private final long insertRows;
    private final List<Line> lines = new ArrayList<>();

    private double lobRatio;

    public PerformanceReport lobRatio(double r) {
        this.lobRatio = r;
        return this;
    }

    public PerformanceReport(WorkloadStats stats, long rows, long insertRows) {
        this.stats = stats;
        this.rows = rows;
        this.insertRows = insertRows;
    }

    public void add(String what, long n, double seconds) {
        lines.add(new Line(what, n, seconds));
    }

    public void print(PrintStream out) {
        out.println();
        out.println("machine: " + machine());
        for (Line l : lines) {
            out.printf("%-78s %,10d rows %7.2f s %,12.0f rows/s%n", l.what, l.rows, l.seconds, l.rate());
        }
    }

    public void writeSection(Path file, String section, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(title).append("\n\n");
        sb.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        sb.append("- machine: ").append(machine()).append('\n');
        sb.append(String.format("- workload: %,d committed transactions, %,d row changes (%,d inserts), %,d rolled back transactions; "
                + "`redotrail.workload.lobRatio` = %s (share of rows carrying a 1 MB value)%n",
                stats.committedTransactions(), rows, insertRows, stats.rolledBackTransactions(),
                lobRatio));
        sb.append("\n| stage | rows | seconds | rows/s |\n|---|---:|---:|---:|\n");
        for (Line l : lines) {
            sb.append(String.format("| %s | %,d | %.2f | %,.0f |%n", l.what, l.rows, l.seconds, l.rate()));
        }
        Line limit = lines.get(lines.size() - 1);
        Line e2e = lines.get(lines.size() - 2);
        sb.append(String.format("%nEnd to end reaches %.2f of the plain batch-insert rate (which does inserts only; the workload "
                + "also updates and deletes by key).%n", e2e.rate() / limit.rate()));
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
