package io.redotrail.it;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.cli.ggsci.Ggsci;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItSupport.play;
import static io.redotrail.it.ItReadBack.readTrail;
import static io.redotrail.it.ItSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An extract defined with GGSCI {@code ADD EXTRACT EXT1, TRANLOG, SCN n} and {@code ADD EXTTRAIL ./dirdat/ex} (the
 * checkpoint file is the definition) and then run (the extract route, real redo of the simulator's workload with
 * interleaved transactions): its trail holds exactly the transactions that lie wholly at or after the begin
 * position, in commit order; those already in flight there are left out and reported (OGG-01028), none abends it.
 */
class AddExtractBeginIT {
    @TempDir
    Path home;

    @Test
    void theTrailStartsAtTheBegin() throws Exception {
        Settings s = settings(home);
        play(s, 1500, 23);
        List<RedoRecord> redo = new ArrayList<>();
        try (RedoLogReader r = new RedoLogReader(home.resolve("redo"), home.resolve("arch"), 1, null)) {
            for (List<RedoRecord> b = r.poll(10_000); !b.isEmpty(); b = r.poll(10_000)) redo.addAll(b);
        }
        long scn = redo.get(redo.size() / 2).scn().value();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Ggsci ggsci = new Ggsci(home, k -> s.has(k) ? s.get(k) : null, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(0, ggsci.execute("ADD EXTRACT EXT1, TRANLOG, SCN " + scn), buf.toString());
        assertEquals(0, ggsci.execute("ADD EXTTRAIL ./dirdat/ex, EXTRACT EXT1, MEGABYTES 500"), buf.toString());
        RedoPosition begin = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow()
                .redoRead(1).current().position();

        // what the trail must hold: commits of transactions whose first change is at or after the begin position
        Map<Xid, RedoPosition> firstChange = new HashMap<>();
        List<Xid> expected = new ArrayList<>();
        int inFlight = 0;
        List<Xid> flying = new ArrayList<>();
        for (RedoRecord r : redo) {
            if (r.op().isRowChange()) firstChange.putIfAbsent(r.xid(), r.position());
            if (r.op() != RedoOp.COMMIT || r.position().compareTo(begin) < 0) continue;
            RedoPosition first = firstChange.get(r.xid());
            if (first != null && first.compareTo(begin) >= 0) expected.add(r.xid());
            else if (first != null) {
                inFlight++;
                flying.add(r.xid());
            }
        }
        assertTrue(inFlight > 0 && expected.size() > 100, "the begin cuts through open transactions: " + inFlight
                + " in flight, " + expected.size() + " after it");

        try (Pipeline p = Pipeline.start(s, "file:routes/extract.yaml")) {
            await("the extract to write " + expected.size() + " transactions", Duration.ofSeconds(120),
                    () -> readTrail(home, "ex").size() >= expected.size(), () -> readTrail(home, "ex").size() + " written");
        }
        List<Transaction> trail = readTrail(home, "ex");
        assertEquals(expected, trail.stream().map(Transaction::xid).toList(), "exactly the transactions after the begin");
        assertTrue(trail.get(0).csn().value() >= scn);
        String rpt = Files.readString(home.resolve("dirrpt/EXT1.rpt"));
        // the report writes the first OGG-01028 and then how often it repeated
        List<String> warned = rpt.lines().filter(l -> l.contains("OGG-01028  Transaction ")).toList();
        assertEquals(1, warned.size(), rpt);
        assertTrue(flying.stream().anyMatch(x -> warned.get(0).contains("Transaction " + x + " committed")), flying + "\n" + rpt);
        assertTrue(inFlight == 1 || rpt.contains("The previous message, 'WARNING OGG-01028', repeated " + (inFlight - 1) + " times."),
                flying + "\n" + rpt);
        assertTrue(rpt.contains("Positioning to (Thread 1) Sequence " + begin.sequence() + ", RBA " + begin.rba()), rpt);
    }
}
