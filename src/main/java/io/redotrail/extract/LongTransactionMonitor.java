package io.redotrail.extract;

import io.redotrail.redo.RedoBatch;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.report.GroupRuntime;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * WARNLONGTRANS / CHECKINTERVAL: every {@code checkInterval} of <em>record</em> time (the timestamps of the
 * redo records read, so a simulated or replayed clock behaves like the real one), every open transaction older
 * than {@code warnLongTrans} is reported as
 * {@code WARNING OGG-01027 Long Running Transaction: XID 10.16.1533, Items 75372, Extract EXT1, Redo Thread 1,
 * SCN 0.9137521 (9137521), Redo Seq #14878, Redo RBA 116752.}; the report file summarises repeats of the same
 * transaction's warning with OGG-01971. While the reader is caught up and no redo is written (a quiet database, on the
 * real clock), record time goes on with the wall clock from the newest record, so a transaction left open in a quiet
 * database is still reported; never while a backlog is read, nor on a simulated clock.
 * Defaults as GoldenGate: 1 hour, checked every 5 minutes.
 * Called on the route thread only.
 */
final class LongTransactionMonitor {
    private long warnMillis = 3_600_000;
    private long checkMillis = 300_000;
    private long lastCheck = Long.MIN_VALUE;
    /** The newest record time seen, and the wall clock when it was first seen. */
    private long newestRecord = Long.MIN_VALUE, newestSeenAt;
    private LongSupplier wallMillis = System::currentTimeMillis;

    void setWarnLongTrans(String d) {
        warnMillis = parseDuration("warnLongTrans", d);
    }

    void setCheckInterval(String d) {
        checkMillis = parseDuration("checkInterval", d);
    }

    long warnMillis() {
        return warnMillis;
    }

    long checkMillis() {
        return checkMillis;
    }

    /** {@code 90S}, {@code 5M}, {@code 1H}, {@code 2D}; a plain number is seconds. */
    static long parseDuration(String name, String d) {
        String s = d == null ? "" : d.trim().toUpperCase(Locale.ROOT);
        try {
            if (s.isEmpty()) throw new NumberFormatException();
            char unit = s.charAt(s.length() - 1);
            long mult = switch (unit) {
                case 'S' -> 1_000L;
                case 'M' -> 60_000L;
                case 'H' -> 3_600_000L;
                case 'D' -> 86_400_000L;
                default -> 0;
            };
            long n = Long.parseLong(mult == 0 ? s : s.substring(0, s.length() - 1).trim());
            if (n <= 0) throw new NumberFormatException();
            return n * (mult == 0 ? 1_000L : mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive duration like 30S, 5M, 1H or 2D, got '" + d + "'");
        }
    }

    /**
     * At the end of each batch: the latest record time is {@link RedoBatch#latestMillis()}, summed when it was read.
     * {@code quiet}: the reader is caught up with the redo and record time is the real clock's (not a simulated one,
     * which only its own steps move), so time since the newest record counts.
     */
    void check(GroupRuntime runtime, Collection<OpenTransaction> open, RedoBatch batch, boolean quiet) {
        long now = batch.latestMillis();
        for (CheckpointPoint p : batch.currentByThread().values()) {
            if (p != null) now = Math.max(now, p.timestampMillis());
        }
        if (now <= 0) return; // no record time yet
        // a quiet database writes no redo, but its transactions keep ageing: record time goes on with the wall clock
        // from the newest record (a backlog's records carry their own, older times)
        long wall = wallMillis.getAsLong();
        if (now > newestRecord) {
            newestRecord = now;
            newestSeenAt = wall;
        }
        now = Math.max(now, quiet ? newestRecord + Math.max(0, wall - newestSeenAt) : 0);
        if (lastCheck == Long.MIN_VALUE) {
            lastCheck = now;
        }
        if (now - lastCheck < checkMillis) return;
        lastCheck = now;
        for (OpenTransaction t : open) {
            if (now - t.start.timestampMillis() >= warnMillis) {
                runtime.report().warning("OGG-01027", message(runtime.group(), t), "OGG-01027 " + t.xid);
            }
        }
    }

    /** Tests: the wall clock that carries record time on while no redo is written. */
    void wallClock(LongSupplier millis) {
        wallMillis = millis;
    }

    static String message(String group, OpenTransaction t) {
        return "Long Running Transaction: XID " + t.xid + ", Items " + t.changes.size() + ", Extract " + group
                + ", Redo Thread " + t.thread + ", SCN " + t.start.scn().display() + ", Redo Seq #"
                + t.start.position().sequence() + ", Redo RBA " + t.start.position().rba() + ".";
    }
}
