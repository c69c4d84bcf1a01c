package io.redotrail.it;

import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.TrailKeys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.redotrail.it.ItSupport.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The redo and the trails read back independently of the pipeline (the project's readers over the files), and the
 * assertions on them: commit order, exactly the committed transactions, once each.
 */
public final class ItReadBack {
    private ItReadBack() {
    }

    // ---------------------------------------------------------------- redo, read back independently

    /** One committed transaction in the redo: XID, commit SCN and where its COMMIT record is. */
    public record Commit(Xid xid, long csn, String file, long sequence, long rba) {
    }

    /**
     * The redo from the earliest log: commits in redo order, rolled-back XIDs, tables per committed XID, and how
     * many transactions began while another was still open (interleaving).
     */
    public record RedoScan(List<Commit> commits, Set<Xid> rolledBack, Map<Xid, Set<String>> tables, int interleaved) {
        public Set<Xid> committedXids() {
            return commits.stream().map(Commit::xid).collect(Collectors.toSet());
        }

        public long lastCsn() {
            return commits.isEmpty() ? 0 : commits.get(commits.size() - 1).csn();
        }
    }

    public static RedoScan readRedo(Path home) {
        List<Commit> commits = new ArrayList<>();
        Set<Xid> rolledBack = new HashSet<>();
        Map<Xid, Set<String>> tables = new LinkedHashMap<>();
        Set<Xid> open = new HashSet<>();
        int interleaved = 0;
        try (RedoLogReader r = new RedoLogReader(home.resolve("redo"), home.resolve("arch"), 1, null)) {
            for (List<RedoRecord> batch = r.poll(10_000); !batch.isEmpty(); batch = r.poll(10_000)) {
                for (RedoRecord rec : batch) {
                    if (rec.op().isRowChange()) {
                        if (open.add(rec.xid()) && open.size() > 1) interleaved++;
                        tables.computeIfAbsent(rec.xid(), x -> new HashSet<>()).add(rec.change().table());
                    } else if (rec.op() == RedoOp.COMMIT) {
                        open.remove(rec.xid());
                        commits.add(new Commit(rec.xid(), rec.scn().value(), rec.redoFile(),
                                rec.position().sequence(), rec.position().rba()));
                    } else if (rec.op() == RedoOp.ROLLBACK) {
                        open.remove(rec.xid());
                        tables.remove(rec.xid());
                        rolledBack.add(rec.xid());
                    }
                }
            }
        }
        return new RedoScan(commits, rolledBack, tables, interleaved);
    }

    // ---------------------------------------------------------------- trails, read back independently

    /** Every complete transaction of trail {@code dirdat/<prefix>*}, following all its files, in trail order. */
    public static List<Transaction> readTrail(Path home, String prefix) {
        return readTrail(home.resolve("dirdat").resolve(prefix), TrailPosition.START);
    }

    /** Every complete transaction of {@code trail} ({@code dirdat/ex}) from {@code from} to its end, in trail order. */
    public static List<Transaction> readTrail(Path trail, TrailPosition from) {
        List<Transaction> all = new ArrayList<>();
        try (TrailReader r = new TrailReader(trail, from)) {
            for (int empty = 0; empty < 2; ) {
                List<Transaction> batch = r.poll(100_000);
                if (batch.isEmpty()) empty++;
                all.addAll(batch);
            }
        }
        return all;
    }

    public static long[] trailSeqnos(Path home, String prefix) {
        return TrailFormat.seqnos(home.resolve("dirdat").resolve(prefix));
    }

    public static Path trailFile(Path home, String prefix, long seqno) {
        return TrailFormat.fileOf(home.resolve("dirdat").resolve(prefix), seqno);
    }

    /** Commit SCNs strictly increase through the whole trail (all its files). */
    public static void assertCsnOrder(List<Transaction> trail, String name) {
        assertTrue(trail.size() > 1, name + ": fewer than 2 transactions, order not testable");
        for (int i = 1; i < trail.size(); i++) {
            Transaction a = trail.get(i - 1), b = trail.get(i);
            assertTrue(b.csn().compareTo(a.csn()) > 0, name + ": CSN " + b.csn() + " (XID " + b.xid() + " at "
                    + b.trailStart() + ") follows CSN " + a.csn() + " (XID " + a.xid() + " at " + a.trailStart() + ")");
        }
    }

    /**
     * The trail holds every committed transaction of the redo exactly once, with its commit SCN, and no
     * rolled-back one.
     */
    public static void assertExactlyCommitted(List<Transaction> trail, RedoScan redo, String name) {
        assertTrue(!redo.rolledBack().isEmpty(), "the workload rolled nothing back: the check would prove nothing");
        Map<Xid, Long> count = new HashMap<>();
        for (Transaction t : trail) count.merge(t.xid(), 1L, Long::sum);
        List<String> dup = count.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).limit(10).toList();
        assertTrue(dup.isEmpty(), name + ": transactions written more than once: " + dup);
        Set<Xid> rolledBackInTrail = new HashSet<>(count.keySet());
        rolledBackInTrail.retainAll(redo.rolledBack());
        assertTrue(rolledBackInTrail.isEmpty(), name + ": rolled-back XIDs reached the trail: " + rolledBackInTrail);
        Set<Xid> missing = new HashSet<>(redo.committedXids());
        missing.removeAll(count.keySet());
        Set<Xid> extra = new HashSet<>(count.keySet());
        extra.removeAll(redo.committedXids());
        assertTrue(missing.isEmpty() && extra.isEmpty(), name + ": trail XIDs differ from the redo's committed XIDs: "
                + missing.size() + " missing (e.g. " + missing.stream().limit(5).toList() + "), " + extra.size()
                + " not committed in the redo (e.g. " + extra.stream().limit(5).toList() + ")");
        Map<Xid, Long> csnOf = redo.commits().stream().collect(Collectors.toMap(Commit::xid, Commit::csn));
        for (Transaction t : trail) {
            assertEquals(csnOf.get(t.xid()), t.csn().value(), name + ": XID " + t.xid() + " has the wrong CSN");
        }
        assertEquals(redo.commits().size(), trail.size(), name + ": transaction count");
    }

    // ---------------------------------------------------------------- encrypted trails (ENCRYPTTRAIL)

    /** Hex of type + body of every ROW record of trail dirdat/{@code prefix}, all files in order. */
    public static List<String> rowBodies(Path home, String prefix) throws IOException {
        List<String> out = new ArrayList<>();
        for (long seq : trailSeqnos(home, prefix)) {
            byte[] f = Files.readAllBytes(trailFile(home, prefix, seq));
            for (int pos = 0; pos < f.length; ) {
                int len = ByteBuffer.wrap(f, pos, 4).getInt();
                if (f[pos + 4] == TrailFormat.TYPE_ROW) out.add(HexFormat.of().formatHex(f, pos + 4, pos + 4 + len));
                pos += len + TrailFormat.FRAME;
            }
        }
        return out;
    }

    /** Every complete transaction of an encrypted {@code trail}, decrypted with the keys of {@code keyFile}. */
    public static List<Transaction> decrypted(Path trail, Path keyFile) {
        List<Transaction> all = new ArrayList<>();
        try (TrailReader r = new TrailReader(trail, TrailPosition.START, null, 0, new RecordOpener(TrailKeys.load(keyFile)))) {
            for (List<Transaction> b = r.poll(100_000); !b.isEmpty(); b = r.poll(100_000)) all.addAll(b);
        }
        return all;
    }

    /**
     * The distinctive string values (8 characters or more) of the before and after images: what must not appear in
     * an encrypted home's files. Upper-case words such as TRANSFER are left out: they are also table names, which
     * stay in the clear.
     */
    public static Set<String> rowValues(List<Transaction> transactions) {
        Set<String> values = new TreeSet<>();
        for (Transaction t : transactions) {
            for (RowChange c : t.changes()) {
                for (RowImage img : new RowImage[]{c.before(), c.after()}) {
                    if (img == null) continue;
                    for (Object v : img.values()) if (v instanceof String str && str.length() >= 8 && !str.matches("[A-Z_]+")) values.add(str);
                }
            }
        }
        return values;
    }

    /** Every file of the home but the key files, the databases and the simulated redo (the source's own log). */
    public static List<Path> homeFiles(Path home) throws IOException {
        try (Stream<Path> s = Files.walk(home)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(TrailKeys.FILE_NAME))
                    .filter(f -> {
                        String rel = home.relativize(f).toString();
                        return !rel.startsWith("db") && !rel.startsWith("redo") && !rel.startsWith("arch");
                    }).toList();
        }
    }

    /**
     * None of {@code files} holds one of {@code values} (as written) or one of {@code secrets} (in any case: key hex,
     * passwords), read as bytes.
     */
    public static void assertNothingInClear(List<Path> files, Set<String> values, String... secrets) throws IOException {
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
            String upper = text.toUpperCase();
            for (String secret : secrets) assertTrue(!upper.contains(secret.toUpperCase()), "a secret (key or password) in " + f);
            for (String v : values) assertTrue(!text.contains(v), "row value '" + v + "' in " + f);
        }
    }
}
