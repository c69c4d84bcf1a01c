package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.extract.ExtractStats;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.pump.TableFilter;
import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.Workloads;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A home whose remote trail is written and complete: plays a workload into the source ({@code simulate}), runs
 * the real extract and pump routes until they are idle, and reads the remote trail back. Used by the Replicat
 * kill test and the Replicat benchmark, which then run the replicat alone. The benchmark also derives a trail
 * of inserts only from it ({@link #insertsOnly}, {@link #write}): the workload generator always mixes in
 * updates and deletes, and only a trail of inserts can be compared like for like with a plain batch insert.
 */
public final class PrewrittenTrail {
    /** What the trail holds: every transaction (in trail order), their operation count, the last CSN. */
    public record Contents(List<Transaction> transactions, long operations, long lastCsn) {
    }

    private PrewrittenTrail() {
    }

    /** Settings of {@code config} with {@code redotrail.home} set to {@code home} and the extra overrides. */
    public static Settings settings(Path config, Path home, Map<String, String> overrides) {
        Map<String, String> o = new java.util.HashMap<>(overrides);
        o.put("redotrail.home", home.toAbsolutePath().normalize().toString());
        return Settings.load(config, o);
    }

    /** Plays {@code transactions} into {@code home}'s source and writes the local and remote trails. */
    public static Contents prepare(Path config, Path home, int transactions, long seed) throws Exception {
        Settings s = settings(config, home, Map.of());
        ConfigCheck.validate(s);
        return prepare(s, transactions, seed);
    }

    /** Plays {@code transactions} into the source of {@code s}'s home (checked settings) and writes the local and remote trails. */
    public static Contents prepare(Settings s, int transactions, long seed) throws Exception {
        Workloads.play(s, Workloads.config(s, transactions, seed, "redotrail.workload.transactions"), System.out);
        try (Pipeline p = Pipeline.start(s, "file:routes/extract.yaml,file:routes/pump.yaml")) {
            ExtractStats st = p.bean("extract", TransactionAggregator.class).stats();
            TableFilter f = p.bean("pump", TableFilter.class);
            long last = -1;
            long stableSince = System.nanoTime();
            while (true) {
                if (p.abended()) throw new IllegalStateException("extract or pump abended: " + p.abends());
                long now = st.lastCsn * 31 + f.keptOps() + f.droppedOps();
                if (now != last) {
                    last = now;
                    stableSince = System.nanoTime();
                } else if (st.lastCsn > 0 && System.nanoTime() - stableSince > 3_000_000_000L) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        return read(s.home().resolve("dirdat").resolve(s.get("redotrail.pump.trail")));
    }

    /**
     * The INSERTs of {@code txs}, each kept in its own source transaction (same XID, CSN, commit time, thread,
     * redo start and order of changes); transactions without an insert are left out. Trail positions are
     * dropped: they point into the trail {@code txs} came from.
     */
    public static List<Transaction> insertsOnly(List<Transaction> txs) {
        List<Transaction> out = new ArrayList<>();
        for (Transaction t : txs) {
            List<RowChange> ins = t.changes().stream().filter(c -> c.op() == ChangeOp.INSERT).toList();
            if (!ins.isEmpty()) {
                out.add(new Transaction(t.xid(), t.csn(), t.commitTimestampMillis(), t.thread(), ins, t.startPosition()));
            }
        }
        return out;
    }

    /**
     * Writes {@code txs} into the new trail {@code trail} (no file of it may exist) with the real trail writer
     * and reads it back, so that every transaction carries its position in that trail as the trail consumer
     * delivers it (the Replicat checkpoints it).
     */
    public static Contents write(Path trail, List<Transaction> txs) {
        if (TrailFormat.seqnos(trail).length > 0) throw new IllegalStateException("trail " + trail + " already has files");
        try (TrailWriter w = TrailWriter.open(trail, "BENCH", TrailFormat.DEFAULT_MAX_FILE_BYTES)) {
            w.append(txs);
        }
        return read(trail);
    }

    /** Every transaction of {@code trail}, read from its start. */
    public static Contents read(Path trail) {
        List<Transaction> all = new ArrayList<>();
        long ops = 0;
        try (TrailReader r = new TrailReader(trail, TrailPosition.START)) {
            while (true) {
                List<Transaction> batch = r.poll(50_000);
                if (batch.isEmpty()) break;
                for (Transaction t : batch) ops += t.size();
                all.addAll(batch);
            }
        }
        return new Contents(all, ops, all.isEmpty() ? 0 : all.get(all.size() - 1).csn().value());
    }
}
