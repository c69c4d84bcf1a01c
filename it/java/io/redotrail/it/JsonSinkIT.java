package io.redotrail.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.core.ChangeEventJson;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.redotrail.it.ItSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * routes/examples/json-sink.yaml end to end through Camel Main, enabled the documented way (the routes include
 * pattern): the real extract, pump (selecting YDJK.* only) and replicat routes plus the sink reading the remote
 * trail as group JSON1. A workload, a graceful stop, a workload while stopped, a restart: one file per committed
 * transaction that changed a selected table, named CSN-XID.json, each equal to the transaction's YDJK changes
 * read independently from the redo logs; and after the restart no file of the first run was written again.
 */
class JsonSinkIT {
    static final String SINK_GROUP = "JSON1";
    static final String SELECTED = "YDJK.";
    static final Duration CATCH_UP = Duration.ofSeconds(120);
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path home;

    /** What the redo says a committed transaction changed in the selected tables. */
    record Expected(Xid xid, long csn, List<RowChange> changes) {
        String fileName() {
            return csn + "-" + xid + ".json";
        }
    }

    /** A file's identity and last write, to tell a file left alone from one written again. */
    record Written(Object fileKey, long modifiedNanos, long size) {
        static Written of(Path f) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                return new Written(a.fileKey(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void oneFilePerCommittedTransactionEqualToItsChangesAndNoneWrittenTwiceAcrossARestart() throws Exception {
        // as docs/events.md enables it: --set camel.main.routes-include-pattern=...
        String routes = "file:" + PROJECT.resolve("routes") + "/*.yaml,file:" + PROJECT.resolve("routes/examples/json-sink.yaml");
        Settings s = settings(home, "camel.main.routes-include-pattern", routes, "redotrail.pump.tables", "YDJK.*",
                "redotrail.workload.lobRatio", "0");
        Path out = home.resolve("dirout").resolve(SINK_GROUP);

        CliAccess.Played first = play(s, 400, 31);
        Map<String, Expected> afterFirst = expected(home);
        assertTrue(afterFirst.size() > 50, "too few selected transactions to mean anything: " + afterFirst.size());
        try (Pipeline p = Pipeline.start(s)) {
            assertNotNull(p.context().getRoute("json-sink"), "the example route is loaded");
            awaitFiles(p, out, afterFirst.size());
            awaitApplied(p, s, first.lastSelectedCsn(), CATCH_UP);
        }
        assertFiles(out, afterFirst);
        Map<String, Written> firstRun = written(out);

        CliAccess.Played second = play(s, 300, 32);
        Map<String, Expected> afterSecond = expected(home);
        assertTrue(afterSecond.size() > afterFirst.size(), "the second workload selected nothing");
        Pipeline restarted;
        try (Pipeline p = Pipeline.start(s)) {
            restarted = p;
            awaitFiles(p, out, afterSecond.size());
            awaitApplied(p, s, second.lastSelectedCsn(), CATCH_UP);
        }
        assertTrue(restarted.abends().isEmpty(), "abends: " + abendMessages(restarted));
        assertFiles(out, afterSecond);

        // RESTART CHECKPOINT (needs the trail consumer's per-group read checkpoint, dirchk/JSON1.cpr, issue 10 part 3):
        // without it the restarted sink reads the remote trail from RBA 0 and writes every first-run file again
        Map<String, Written> now = written(out);
        List<String> rewritten = new ArrayList<>();
        for (Map.Entry<String, Written> e : firstRun.entrySet()) {
            if (!e.getValue().equals(now.get(e.getKey()))) rewritten.add(e.getKey());
        }
        assertEquals(List.of(), rewritten.stream().limit(10).toList(), rewritten.size() + " of " + firstRun.size()
                + " files of the first run were written again after the restart");
        assertTrue(Files.exists(home.resolve("dirchk").resolve(SINK_GROUP + ".cpr")), "the sink's read checkpoint");
    }

    private void awaitFiles(Pipeline p, Path out, int n) {
        await(n + " JSON files in " + out, CATCH_UP, () -> {
            if (p.abended()) fail("abended: " + abendMessages(p));
            return jsonFiles(out).size() >= n;
        }, () -> jsonFiles(out).size() + " files");
    }

    /** Exactly the expected files, no leftover temporary file, each one's content equal to its changes. */
    private static void assertFiles(Path out, Map<String, Expected> expected) throws IOException {
        List<Path> files = jsonFiles(out);
        Map<String, Path> byName = new TreeMap<>();
        for (Path f : files) byName.put(f.getFileName().toString(), f);
        assertEquals(new TreeMap<>(expected).keySet(), byName.keySet(), "one file per committed transaction of " + SELECTED + "*");
        try (Stream<Path> all = Files.list(out)) {
            assertEquals(files.size(), all.count(), "files other than *.json (a temporary file left behind?) in " + out);
        }
        for (Expected e : expected.values()) {
            Path f = byName.get(e.fileName());
            Transaction t = ChangeEventJson.parseTransaction(MAPPER.readTree(f.toFile()));
            assertEquals(e.xid(), t.xid(), f.toString());
            assertEquals(e.csn(), t.csn().value(), f.toString());
            assertEquals(e.changes().size(), t.size(), f + ": row changes");
            for (int i = 0; i < t.size(); i++) {
                RowChange a = e.changes().get(i), b = t.changes().get(i);
                String where = f.getFileName() + " change " + i;
                assertEquals(a.table(), b.table(), where);
                assertEquals(a.op(), b.op(), where);
                assertSameImage(a.before(), b.before(), where + " before");
                assertSameImage(a.after(), b.after(), where + " after");
            }
        }
    }

    /** Same columns, and per value the same class and equals (decimal scale included). */
    private static void assertSameImage(RowImage a, RowImage b, String where) {
        if (a == null || b == null) {
            assertSame(a, b, where);
            return;
        }
        assertArrayEquals(a.columns(), b.columns(), where);
        for (int i = 0; i < a.size(); i++) {
            Object x = a.value(i), y = b.value(i);
            if (x == null || y == null) {
                assertSame(x, y, where + " " + a.column(i));
            } else {
                assertEquals(x.getClass(), y.getClass(), where + " " + a.column(i));
                if (x instanceof byte[] bx) assertArrayEquals(bx, (byte[]) y, where + " " + a.column(i));
                else assertEquals(x, y, where + " " + a.column(i));
            }
        }
    }

    private static List<Path> jsonFiles(Path out) {
        if (!Files.isDirectory(out)) return List.of();
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Written> written(Path out) {
        Map<String, Written> m = new TreeMap<>();
        for (Path f : jsonFiles(out)) m.put(f.getFileName().toString(), Written.of(f));
        return m;
    }

    /**
     * The committed transactions of the redo (from the earliest log) that changed a selected table, with those
     * changes in redo order, by the file name the sink must give them.
     */
    private static Map<String, Expected> expected(Path home) {
        Map<Xid, List<RowChange>> open = new HashMap<>();
        Map<String, Expected> out = new LinkedHashMap<>();
        try (RedoLogReader r = new RedoLogReader(home.resolve("redo"), home.resolve("arch"), 1, null)) {
            for (List<RedoRecord> batch = r.poll(10_000); !batch.isEmpty(); batch = r.poll(10_000)) {
                for (RedoRecord rec : batch) {
                    if (rec.op().isRowChange()) {
                        List<RowChange> l = open.computeIfAbsent(rec.xid(), x -> new ArrayList<>());
                        if (rec.change().table().startsWith(SELECTED)) l.add(rec.change());
                    } else if (rec.op() == RedoOp.COMMIT) {
                        List<RowChange> l = open.remove(rec.xid());
                        if (l != null && !l.isEmpty()) {
                            Expected e = new Expected(rec.xid(), rec.scn().value(), l);
                            out.put(e.fileName(), e);
                        }
                    } else if (rec.op() == RedoOp.ROLLBACK) {
                        open.remove(rec.xid());
                    }
                }
            }
        }
        return out;
    }
}
