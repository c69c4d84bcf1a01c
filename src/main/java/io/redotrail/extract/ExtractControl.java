package io.redotrail.extract;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.SealedTextFile;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.report.GroupRuntime;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SEND EXTRACT commands that act on the transaction cache: SHOWTRANS, SKIPTRANS, FORCETRANS. The control
 * channel's thread only queues a request ({@link #request}) and waits for the reply; the aggregator applies
 * the queue on its route thread at the start of its next exchange ({@link #apply}), so the cache is never
 * touched by two threads (the redo consumer sends an idle batch about every second, so a reply comes within
 * a second or two even when the source is idle).
 * <p>
 * SKIPTRANS discards an open transaction — only the oldest one unless FORCE is given, as GoldenGate;
 * FORCETRANS writes it to the trail now, as committed at the current SCN. Either way the rest of that
 * transaction (later changes, its COMMIT or ROLLBACK) is ignored ({@link #ignores}). The ignored XIDs are kept
 * in {@code dirchk/<GROUP>.ignore} (sealed, atomic) so a restart that re-reads their redo keeps ignoring them: a
 * skipped XID at once, a forced one when the next batch starts (its exchange, with the forced transaction, has
 * then been written to the trail). A crash inside that one batch forgets the FORCETRANS, which is reported.
 */
public final class ExtractControl {
    static final DateTimeFormatter START_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd:HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private record Request(String verb, List<String> args, CompletableFuture<String> reply) {
    }

    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    private final Set<Xid> ignored = new HashSet<>();
    private final Set<Xid> forcedPending = new HashSet<>();
    // what the ignore file holds; it only grows: a restart may re-read a transaction after its COMMIT was seen
    private final Set<Xid> remembered = new java.util.LinkedHashSet<>();
    private Path ignoreFile;
    private volatile long replyTimeoutMillis = 30_000;
    private boolean attached;

    public void setReplyTimeoutMillis(long millis) {
        this.replyTimeoutMillis = millis;
    }

    /** {@code dirchk/<GROUP>.ignore}: the XIDs SKIPTRANS and FORCETRANS took out of the group's capture. */
    public static java.nio.file.Path ignoreFile(java.nio.file.Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase(java.util.Locale.ROOT) + ".ignore");
    }

    /** Registers SHOWTRANS/SKIPTRANS/FORCETRANS/BR with the group's control channel (once). */
    void attach(GroupRuntime runtime) {
        if (attached) return;
        attached = true;
        ignoreFile = ignoreFile(runtime.home(), runtime.group());
        SealedTextFile.readProperties(ignoreFile, "ignored-transactions file").ifPresent(m -> m.forEach((k, v) -> {
            if (k.startsWith("xid.")) {
                ignored.add(Xid.parse(v));
                remembered.add(Xid.parse(v));
            }
        }));
        for (String verb : List.of("SHOWTRANS", "SKIPTRANS", "FORCETRANS", "BR")) {
            runtime.process().register(verb, this::request);
        }
    }

    /** Control thread: queue the command for the route thread and wait for its reply. */
    public String request(String verb, List<String> args) throws Exception {
        Request r = new Request(verb.toUpperCase(Locale.ROOT), List.copyOf(args), new CompletableFuture<>());
        queue.add(r);
        try {
            return r.reply.get(replyTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (queue.remove(r)) {
                return "ERROR: the extract did not reach its next batch within " + replyTimeoutMillis / 1000
                        + " s; command " + verb + " not executed.";
            }
            return r.reply.get(); // taken by the route thread just now
        }
    }

    /** Route thread: records of skipped or forced transactions are dropped (their end forgets the XID). */
    boolean ignores(RedoRecord r) {
        if (ignored.isEmpty() || !ignored.contains(r.xid())) return false;
        if (r.op() == RedoOp.COMMIT || r.op() == RedoOp.ROLLBACK) ignored.remove(r.xid());
        return true;
    }

    /** Route thread, start of an exchange: execute the queued commands; forced transactions go to {@code out}. */
    void apply(GroupRuntime runtime, TransactionCache open, Map<Integer, CheckpointPoint> current,
               List<Transaction> out, ExtractStats stats, java.util.function.Function<List<String>, String> br) {
        attach(runtime);
        String group = runtime.group();
        if (!forcedPending.isEmpty()) { // the exchange that carried them has been written
            remembered.addAll(forcedPending);
            forcedPending.clear();
            persist();
        }
        Request r;
        while ((r = queue.poll()) != null) {
            try {
                String reply = switch (r.verb) {
                    case "SHOWTRANS" -> showTrans(group, open, current, r.args);
                    case "SKIPTRANS" -> skipTrans(runtime, open, r.args);
                    case "FORCETRANS" -> forceTrans(runtime, open, current, out, stats, r.args);
                    case "BR" -> br.apply(r.args);
                    default -> "ERROR: unsupported command " + r.verb + ".";
                };
                r.reply.complete(reply);
            } catch (RuntimeException e) {
                r.reply.complete("ERROR: " + e.getMessage());
            }
        }
    }

    private static String showTrans(String group, TransactionCache open, Map<Integer, CheckpointPoint> current,
                                    List<String> args) {
        Xid only = null;
        Integer thread = null;
        int count = Integer.MAX_VALUE;
        long duration = -1;
        boolean tabular = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i).toUpperCase(Locale.ROOT);
            if (a.equals("COUNT") && i + 1 < args.size()) count = Integer.parseInt(args.get(++i));
            else if (a.equals("THREAD") && i + 1 < args.size()) thread = Integer.parseInt(args.get(++i));
            else if (a.equals("TABULAR")) tabular = true;
            else if (a.equals("DURATION")) {
                if (i + 2 >= args.size()) throw new IllegalArgumentException("SHOWTRANS DURATION needs a number and a unit, e.g. DURATION 30 MIN");
                duration = durationMillis(args.get(++i), args.get(++i));
            } else if (a.equals("FILE") || a.equals("ALL") || a.equals("DETAIL")) {
                throw new IllegalArgumentException("SHOWTRANS " + a + " is not supported; the output goes to GGSCI");
            } else only = Xid.parse(args.get(i));
        }
        // "open longer than": by source (record) time, as of the newest record read, as WARNLONGTRANS counts
        long asOf = current.values().stream().mapToLong(CheckpointPoint::timestampMillis).max().orElse(0);
        Map<Integer, CheckpointPoint> oldest = new TreeMap<>(current);
        Map<Integer, Boolean> seen = new TreeMap<>();
        for (OpenTransaction t : open.open()) {
            if (seen.putIfAbsent(t.thread, true) == null) oldest.put(t.thread, t.start);
        }
        StringBuilder sb = new StringBuilder();
        if (oldest.size() <= 1) {
            sb.append("Oldest redo log file necessary to restart Extract is:\n\n");
            oldest.values().forEach(p -> sb.append("Redo Log Sequence Number ").append(p.position().sequence())
                    .append(", RBA ").append(p.position().rba()).append('\n'));
        } else {
            sb.append("Oldest redo log files necessary to restart Extract are:\n\n");
            oldest.forEach((th, p) -> sb.append("Redo Thread ").append(th).append(", Redo Log Sequence Number ")
                    .append(p.position().sequence()).append(", RBA ").append(p.position().rba()).append('\n'));
        }
        int shown = 0;
        for (OpenTransaction t : open.open()) {
            if (shown >= count) break;
            if (only != null && !only.equals(t.xid)) continue;
            if (thread != null && thread != t.thread) continue;
            if (duration >= 0 && asOf - t.start.timestampMillis() < duration) continue;
            shown++;
            if (tabular) {
                if (shown == 1) sb.append('\n').append(String.format(TABULAR, "XID", "Items", "Extract", "Redo Thread", "Start Time",
                        "SCN", "Redo Seq", "Redo RBA", "Status"));
                sb.append(String.format(TABULAR, t.xid, t.changes.size(), group, t.thread,
                        START_TIME.format(Instant.ofEpochMilli(t.start.timestampMillis())), t.start.scn().display(),
                        t.start.position().sequence(), t.start.position().rba(), t.complete ? "Running" : "Running (incomplete)"));
                continue;
            }
            sb.append("\n------------------------------------------------------------\n");
            field(sb, "XID:", t.xid.toString());
            field(sb, "Items:", Long.toString(t.changes.size()));
            field(sb, "Extract:", group);
            field(sb, "Redo Thread:", Integer.toString(t.thread));
            field(sb, "Start Time:", START_TIME.format(Instant.ofEpochMilli(t.start.timestampMillis())));
            field(sb, "SCN:", t.start.scn().display());
            field(sb, "Redo Seq:", Long.toString(t.start.position().sequence()));
            field(sb, "Redo RBA:", Long.toString(t.start.position().rba()));
            field(sb, "Status:", t.complete ? "Running" : "Running (began before the read position: incomplete)");
        }
        if (shown == 0) sb.append("\nNo transactions found.\n");
        return sb.toString();
    }

    /** SHOWTRANS TABULAR: one line per transaction under a header, as SQL*Plus prints a table. */
    private static final String TABULAR = "%-20s %-10s %-8s %-11s %-19s %-24s %-10s %-12s %s%n";

    /** SHOWTRANS DURATION n unit: S|SEC|SECS|SECOND|SECONDS, M|MIN|..., H|HOUR|HOURS, D|DAY|DAYS. */
    static long durationMillis(String n, String unit) {
        long v;
        try {
            v = Long.parseLong(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SHOWTRANS DURATION '" + n + "' is not a number of " + unit);
        }
        long per = switch (unit.toUpperCase(Locale.ROOT)) {
            case "S", "SEC", "SECS", "SECOND", "SECONDS" -> 1000L;
            case "M", "MIN", "MINS", "MINUTE", "MINUTES" -> 60_000L;
            case "H", "HOUR", "HOURS" -> 3_600_000L;
            case "D", "DAY", "DAYS" -> 86_400_000L;
            default -> throw new IllegalArgumentException("SHOWTRANS DURATION unit '" + unit + "': S, M, H or D (SEC, MIN, HOUR, DAY)");
        };
        if (v < 0) throw new IllegalArgumentException("SHOWTRANS DURATION must not be negative: " + n);
        return v * per;
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(String.format("%-22s%s%n", name, value));
    }

    private record Target(OpenTransaction tx, boolean force) {
    }

    private static Target target(String verb, TransactionCache open, List<String> args) {
        if (args.isEmpty()) throw new IllegalArgumentException(verb + " needs a transaction id: " + verb + " <xid> [THREAD n] [FORCE]");
        Xid xid = Xid.parse(args.get(0));
        Integer thread = null;
        boolean force = false;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i).toUpperCase(Locale.ROOT);
            if (a.equals("FORCE")) force = true;
            else if (a.equals("THREAD") && i + 1 < args.size()) thread = Integer.parseInt(args.get(++i));
            else throw new IllegalArgumentException(verb + ": unexpected '" + args.get(i) + "'");
        }
        OpenTransaction t = open.get(xid);
        if (t == null || (thread != null && t.thread != thread)) {
            throw new IllegalArgumentException("Transaction " + xid + (thread == null ? "" : " (thread " + thread + ")")
                    + " not found among the open transactions.");
        }
        return new Target(t, force);
    }

    private static String describe(OpenTransaction t) {
        return "[XID " + t.xid + ", Redo Thread " + t.thread + ", Start Time "
                + START_TIME.format(Instant.ofEpochMilli(t.start.timestampMillis())) + ", Items " + t.changes.size() + "]";
    }

    private String skipTrans(GroupRuntime runtime, TransactionCache open, List<String> args) {
        String group = runtime.group();
        Target tg = target("SKIPTRANS", open, args);
        OpenTransaction oldest = oldest(open);
        if (!tg.force && oldest != tg.tx) {
            throw new IllegalArgumentException("Transaction " + tg.tx.xid + " is not the oldest open transaction (the oldest is "
                    + oldest.xid + "); use SKIPTRANS " + tg.tx.xid + " FORCE to skip it anyway.");
        }
        open.remove(tg.tx.xid);
        ignored.add(tg.tx.xid);
        remembered.add(tg.tx.xid);
        persist();
        String text = "Transaction " + describe(tg.tx) + " skipped.";
        runtime.report().info("OGG-01021", "Command received from GGSCI: SKIPTRANS " + String.join(" ", args)
                + ". " + text);
        return text;
    }

    private String forceTrans(GroupRuntime runtime, TransactionCache open, Map<Integer, CheckpointPoint> current,
                              List<Transaction> out, ExtractStats stats, List<String> args) {
        Target tg = target("FORCETRANS", open, args);
        OpenTransaction t = tg.tx;
        long csn = Math.max(stats.lastCsn, t.start.scn().value());
        long ts = t.start.timestampMillis();
        for (CheckpointPoint p : current.values()) {
            csn = Math.max(csn, p.scn().value());
            ts = Math.max(ts, p.timestampMillis());
        }
        for (Transaction done : out) csn = Math.max(csn, done.csn().value());
        open.remove(t.xid);
        ignored.add(t.xid);
        forcedPending.add(t.xid);
        out.add(new Transaction(t.xid, Scn.of(csn), ts, t.thread, t.changes.changes(), t.start.position()));
        stats.transactionsCommitted.incrementAndGet();
        stats.rowsCommitted.addAndGet(t.changes.size());
        stats.lastCsn = csn;
        String text = "Transaction " + describe(t) + " forced to trail as committed at CSN " + Scn.of(csn).display() + ".";
        runtime.report().info("OGG-01021", "Command received from GGSCI: FORCETRANS " + String.join(" ", args)
                + ". " + text);
        return text;
    }

    private static OpenTransaction oldest(TransactionCache open) {
        OpenTransaction o = null;
        for (OpenTransaction t : open.open()) {
            if (o == null || t.start.scn().compareTo(o.start.scn()) < 0) o = t;
        }
        return o;
    }

    /** Writes the ignored XIDs that are safe to remember (forced ones only once they are in the trail). */
    private void persist() {
        if (ignoreFile == null) return;
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("redotrail-ignore", "1");
        int i = 0;
        for (Xid x : remembered) m.put("xid." + i++, x.toString());
        SealedTextFile.writeProperties(ignoreFile, m);
    }

    /** Snapshot for tests: the XIDs whose remaining records are ignored. */
    synchronized List<Xid> ignoredXids() {
        return new ArrayList<>(ignored);
    }
}
