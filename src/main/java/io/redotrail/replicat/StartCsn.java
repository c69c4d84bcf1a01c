package io.redotrail.replicat;

import io.redotrail.core.Transaction;

/**
 * {@code START REPLICAT r, ATCSN n | AFTERCSN n} (keys {@code redotrail.replicat.atCsn} / {@code afterCsn}, one
 * start only): whole source transactions with CSN below n (ATCSN) or up to n (AFTERCSN) are skipped, not applied;
 * the checkpoint row still moves past them as for applied ones, so a restart does not meet them again. The trail is
 * in commit-CSN order, so skipping ends at the first transaction applied. Report lines (redotrail's RTR-01001 /
 * RTR-01002, GoldenGate logs no count) say what the start skips and, when it applies the first transaction, how
 * many it skipped. Not thread-safe: used under the lock of its {@link ReplicatApplier}.
 */
final class StartCsn {
    private final String option;
    private final long csn;
    private final boolean inclusive;
    private long skipped;
    private boolean done;
    private boolean reported;
    private boolean warnedAtEnd;
    private long lastSkippedCsn = -1;

    private StartCsn(String option, long csn, boolean inclusive) {
        this.option = option;
        this.csn = csn;
        this.inclusive = inclusive;
    }

    /** Null when neither is set; both set, or not a number, is refused naming the group and the key. */
    static StartCsn of(String group, String atCsn, String afterCsn) {
        boolean at = atCsn != null && !atCsn.isBlank();
        boolean after = afterCsn != null && !afterCsn.isBlank();
        if (at && after) {
            throw new IllegalArgumentException(group + ": ATCSN " + atCsn.trim() + " and AFTERCSN " + afterCsn.trim()
                    + " both given (redotrail.replicat.atCsn / afterCsn): START REPLICAT takes one of them");
        }
        if (!at && !after) return null;
        String v = (at ? atCsn : afterCsn).trim();
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return new StartCsn(at ? "ATCSN" : "AFTERCSN", n, !at);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(group + ": " + (at ? "ATCSN" : "AFTERCSN") + " '" + v
                    + "' is not a CSN (a decimal number >= 0; redotrail.replicat." + (at ? "atCsn" : "afterCsn") + ")");
        }
    }

    /** The report line at start. */
    String startLine(String group) {
        return "REPLICAT " + group + " starting with " + option + " " + csn + ": transactions with CSN "
                + (inclusive ? "<= " : "< ") + csn + " are skipped.";
    }

    /** Whether {@code tx} is skipped (counted); false from the first transaction applied on. */
    boolean skips(Transaction tx) {
        if (done) return false;
        long c = tx.csn().value();
        if (inclusive ? c <= csn : c < csn) {
            skipped++;
            lastSkippedCsn = c;
            return true;
        }
        done = true;
        return false;
    }

    /** True once: skipping has ended (the count line is due now). */
    boolean firstApplied() {
        if (!done || reported) return false;
        reported = true;
        return true;
    }

    /** The report line with the count: when the first transaction is applied, or at stop while still skipping. */
    String countLine(String group, Transaction first) {
        return "REPLICAT " + group + " " + option + " " + csn + ": skipped " + skipped + " transaction(s)"
                + (first == null ? " so far (no later transaction yet)." : "; applying from CSN " + first.csn().value() + ".");
    }

    /**
     * Once, the first time the Replicat reaches the end of its trail while still skipping: the line saying so (a
     * mistyped CSN would skip every transaction that arrives until it), else null.
     */
    String endOfTrailLine(String group) {
        if (done || warnedAtEnd || skipped == 0) return null;
        warnedAtEnd = true;
        return "REPLICAT " + group + " " + option + " " + csn + ": at the end of the trail after skipping " + skipped
                + " transaction(s), the last at CSN " + lastSkippedCsn + "; transactions with CSN " + (inclusive ? "<= " : "< ")
                + csn + " are skipped as they arrive. If " + csn + " is not the CSN meant, stop REPLICAT " + group
                + " before they come: a skipped transaction is not applied by a later start.";
    }

    long skipped() {
        return skipped;
    }
}
