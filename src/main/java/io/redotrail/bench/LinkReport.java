package io.redotrail.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The figures of {@link PumpLinkBench}: one table, printed and as the {@code link} section of docs/performance.md,
 * with the machine, the date, the load averages before and during the runs, and what every run was checked for.
 * Immutable.
 */
record LinkReport(LinkHomes homes, PumpLinkBench.Options options, List<PumpLinkBench.Result> results, String loadBefore,
                  String loadStart, String loadEnd) {
    LinkReport {
        results = List.copyOf(results);
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute load averages, e.g. {@code 3.10 2.75 2.01}; "unknown" elsewhere. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    void print(PrintStream out) {
        out.println();
        out.println("machine: " + PerformanceReport.machine());
        out.println("load average (1, 5, 15 min): " + loadBefore + " before, " + loadStart + " at the first run, " + loadEnd + " after the last");
        out.printf(Locale.ROOT, "%-36s %7s %8s %11s %8s %13s %13s %7s %8s%n", "copy", "start s", "copy s", "records/s", "MB/s",
                "link payload", "on the wire", "ratio", "÷ local");
        for (PumpLinkBench.Result r : results) {
            out.printf(Locale.ROOT, "%-36s %7.2f %8.2f %,11.0f %8.1f %13s %13s %7s %8.2f%n", r.c().name(), r.median().startSeconds(),
                    r.median().seconds(), r.recordsPerSecond(), r.megabytesPerSecond(), bytes(r.median().rawBytes(), r),
                    bytes(r.median().wireBytes(), r), ratio(r), r.vsLocal());
        }
        if (loaded()) out.println(loadedNote());
        out.println(verified());
    }

    /**
     * Whether the 1-minute load average before the bench was above the number of cores: other work. The loads at the
     * first and last runs include the bench's own collector and Manager JVMs, so they were above it every time.
     */
    boolean loaded() {
        try {
            return Double.parseDouble(loadBefore.split(" ")[0]) > Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return false; // "unknown": nothing to say
        }
    }

    private static String loadedNote() {
        return "The machine was loaded by other work (load average before the bench above its " + Runtime.getRuntime().availableProcessors()
                + " cores): read the seconds as an order of magnitude and re-take them on a quiet machine; the bytes, ratios and"
                + " checks do not depend on the load.";
    }

    private static String bytes(long n, PumpLinkBench.Result r) {
        return r.c().remote() ? String.format(Locale.ROOT, "%,d", n) : "-";
    }

    private static String ratio(PumpLinkBench.Result r) {
        return r.c().remote() ? String.format(Locale.ROOT, "%.2f:1", r.ratio()) : "-";
    }

    private String verified() {
        TrailDigest d = homes.clear();
        return String.format(Locale.ROOT, "every run verified: the copy held exactly the source trail's %,d transactions and %,d row changes,"
                + " last CSN %d (SHA-256 of XIDs, CSNs and ROW records %s… for the clear trail, %s… for the encrypted one)",
                d.transactions(), d.rows(), d.lastCsn(), d.sha256().substring(0, 12), homes.encrypted().sha256().substring(0, 12));
    }

    String section() {
        StringBuilder sb = new StringBuilder("## Link throughput\n\n");
        sb.append("Measured ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE)).append(" on ")
                .append(PerformanceReport.machine()).append(".\n");
        sb.append("Load average (1, 5, 15 min, `/proc/loadavg`): ").append(loadBefore).append(" before the bench, ").append(loadStart)
                .append(" at the first measured run, ").append(loadEnd).append(" after the last.");
        if (loaded()) sb.append(" ").append(loadedNote());
        sb.append("\n\n");
        TrailDigest c = homes.clear(), e = homes.encrypted();
        sb.append(String.format(Locale.ROOT, "`bin/redotrail bench link --transactions %d --repeat %d`: the primary Extract wrote the"
                        + " workload's redo once into `./dirdat/ex` (%,d transactions, %,d row changes, %,d bytes) and, with `ENCRYPTTRAIL"
                        + " AES256`, into `./dirdat/ee` (%,d bytes). The pump (`routes/pump.yaml`, PASSTHRU of every table) then copied"
                        + " each trail to a local trail in its own home — the baseline — and over loopback TCP to the collector the target"
                        + " home's Manager started, which writes, fsyncs and acknowledges each batch. Median of %d runs per row (round-robin"
                        + " over the rows, after one unmeasured local copy and TLS+COMPRESS copy); *start s*: Camel start and, remote, the"
                        + " collector JVM started and connected; *copy s*: from then until the pump held the last transaction's"
                        + " acknowledgement (local: its fsync); *link payload* / *on the wire*: frame payloads before and after COMPRESS"
                        + " (what STATS shows; frame headers and TLS records not counted); *÷ local*: this row's rate over the local copy"
                        + " of the same trail.%n%n",
                options.transactions(), options.repeat(), c.transactions(), c.rows(), c.fileBytes(), e.fileBytes(), options.repeat()));
        sb.append("| copy | start s | copy s | records/s | MB/s (trail bytes) | link payload bytes | bytes on the wire | ratio | ÷ local copy |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PumpLinkBench.Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %,.0f | %.1f | %s | %s | %s | %.2f |%n", r.c().name(),
                    r.median().startSeconds(), r.median().seconds(), r.recordsPerSecond(), r.megabytesPerSecond(),
                    bytes(r.median().rawBytes(), r), bytes(r.median().wireBytes(), r), ratio(r), r.vsLocal()));
        }
        sb.append('\n').append(verified()).append(".\n");
        return sb.toString();
    }
}
