package io.redotrail.verify;

import java.io.PrintStream;
import java.util.List;

/**
 * Result of {@link TableComparer#compare}: both JDBC URLs and, per table, row counts, checksums and the first
 * difference found (null when equal). Immutable.
 */
public record VerifyReport(String sourceUrl, String targetUrl, List<TableResult> tables) {

    public VerifyReport {
        tables = List.copyOf(tables);
    }

    /**
     * One table. Counts are -1 and checksums null when the table could not be read on that side;
     * {@code firstDifference} names the first differing key (in key order) or the structural problem.
     */
    public record TableResult(String table, long sourceCount, long targetCount, String sourceChecksum,
                              String targetChecksum, boolean equal, String firstDifference) {
    }

    public boolean allEqual() {
        return tables.stream().allMatch(TableResult::equal);
    }

    public TableResult table(String name) {
        return tables.stream().filter(t -> t.table().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    public void print(PrintStream out) {
        out.println("Source: " + sourceUrl);
        out.println("Target: " + targetUrl);
        out.printf("%-32s %12s %12s %-16s %-16s %s%n", "Table", "Source rows", "Target rows", "Source checksum",
                "Target checksum", "Result");
        for (TableResult t : tables) {
            out.printf("%-32s %12d %12d %-16s %-16s %s%n", t.table(), t.sourceCount(), t.targetCount(),
                    t.sourceChecksum() == null ? "-" : t.sourceChecksum(),
                    t.targetChecksum() == null ? "-" : t.targetChecksum(), t.equal() ? "EQUAL" : "DIFFERENT");
            if (t.firstDifference() != null) out.println("  first difference: " + t.firstDifference());
        }
        long bad = tables.stream().filter(t -> !t.equal()).count();
        out.println(bad == 0 ? tables.size() + " table(s) equal" : bad + " of " + tables.size() + " table(s) differ");
    }
}
