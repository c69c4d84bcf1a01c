package io.redotrail.bench;

import io.redotrail.control.manager.Manager;
import io.redotrail.core.FileTrees;
import io.redotrail.net.compress.CompressionCounters;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupRuntime;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.camel.TrailConfiguration;
import io.redotrail.trail.remote.RemoteTrails;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench link}: the real pump → collector path against a local copy of the same trail. One trail of the
 * workload is written once by the primary Extract, in the clear and with ENCRYPTTRAIL ({@link LinkHomes}); then
 * the pump route ({@code routes/pump.yaml}, group PUMP1, PASSTHRU of every table) copies it, in the same run:
 * <ul>
 * <li>to a local trail in its own home ({@code ./dirdat/hl}, fsync per batch as the pump does) — the baseline;</li>
 * <li>over loopback TCP to the collector the target home's Manager starts ({@code RMTHOST 127.0.0.1, MGRPORT p}),
 * which writes {@code ./dirdat/ha} there, fsyncs and acknowledges: plain, COMPRESS (LZ4, zstd), TLS 1.3, TLS with
 * COMPRESS, and the encrypted trail's sealed records forwarded unchanged.</li>
 * </ul>
 * A run is timed from the moment the pump's route has started (Camel up, the collector started and connected, its
 * seconds shown apart) until the pump has the acknowledgement — or, locally, the fsync — of the source trail's last
 * transaction. After every run the copy is read back and must hold exactly the source trail's transactions (count,
 * row changes, last CSN, SHA-256 of XIDs, CSNs and ROW records, {@link TrailDigest}); a run that does not is an error,
 * never a figure. The repeats go round-robin over the cases (a load that comes and goes on a shared machine hits every
 * case alike), after one unmeasured run of the local copy and of TLS with COMPRESS; each figure is the median.
 * Not thread-safe.
 */
public final class PumpLinkBench {
    static final String GROUP = "PUMP1", LOCAL_TRAIL = "hl", REMOTE_TRAIL = "ha";

    public record Options(int transactions, long seed, int repeat, Path output) {
    }

    /** One way of copying: the source trail, a remote or local copy, COMPRESS algorithm (null: off), TLS. */
    record Case(String name, String trail, boolean remote, String compress, boolean tls) {
        boolean encrypted() {
            return trail.equals(LinkHomes.ENCRYPTED_TRAIL);
        }
    }

    /** One run: seconds to start (route, collector) and to copy; payload bytes before and after COMPRESS (0: local). */
    record Run(double startSeconds, double seconds, long rawBytes, long wireBytes) {
    }

    /** A case's median run, the source trail it copied, and its rate over the baseline's (the local copy of that trail). */
    record Result(Case c, TrailDigest source, Run median, double vsLocal) {
        double recordsPerSecond() {
            return source.rows() / median.seconds();
        }

        double megabytesPerSecond() {
            return source.fileBytes() / 1e6 / median.seconds();
        }

        double ratio() {
            return median.wireBytes() == 0 ? Double.NaN : (double) median.rawBytes() / median.wireBytes();
        }
    }

    static final List<Case> CASES = List.of(
            new Case("local copy (baseline)", LinkHomes.CLEAR_TRAIL, false, null, false),
            new Case("plain TCP", LinkHomes.CLEAR_TRAIL, true, null, false),
            new Case("COMPRESS (LZ4)", LinkHomes.CLEAR_TRAIL, true, "LZ4", false),
            new Case("COMPRESS, COMPRESSALGORITHM ZSTD", LinkHomes.CLEAR_TRAIL, true, "ZSTD", false),
            new Case("TLS", LinkHomes.CLEAR_TRAIL, true, null, true),
            new Case("TLS, COMPRESS (LZ4)", LinkHomes.CLEAR_TRAIL, true, "LZ4", true),
            new Case("ENCRYPTTRAIL: local copy (baseline)", LinkHomes.ENCRYPTED_TRAIL, false, null, false),
            new Case("ENCRYPTTRAIL: PASSTHRU, plain TCP", LinkHomes.ENCRYPTED_TRAIL, true, null, false));

    private final LinkHomes homes;

    private PumpLinkBench(LinkHomes homes) {
        this.homes = homes;
    }

    /** Prepares the homes in {@code base}'s home (wiped), measures every case, prints the table and writes the section. */
    public static List<Result> run(Settings base, Options o, PrintStream out) throws Exception {
        if (o.transactions() < 1 || o.repeat() < 1) throw new IllegalArgumentException("--transactions and --repeat must be at least 1");
        String loadBefore = LinkReport.loadAverage();
        LinkHomes homes = LinkHomes.prepare(base, o.transactions(), o.seed(), out);
        out.printf("link bench: trail ./dirdat/%s of %,d transactions, %,d row changes, %,d bytes (and ./dirdat/%s, ENCRYPTTRAIL AES256)%n",
                LinkHomes.CLEAR_TRAIL, homes.clear().transactions(), homes.clear().rows(), homes.clear().fileBytes(), LinkHomes.ENCRYPTED_TRAIL);
        PumpLinkBench b = new PumpLinkBench(homes);
        b.once(CASES.get(0)); // warm-up, not measured: page cache, JIT of the pump route
        b.once(CASES.get(5)); // and of the link's TLS and LZ4 code
        String loadStart = LinkReport.loadAverage();
        Map<Case, List<Run>> runs = new LinkedHashMap<>();
        for (int i = 0; i < o.repeat(); i++) {
            for (Case c : CASES) {
                Run r = b.once(c);
                runs.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
                out.printf("  run %d/%d %-40s start %5.2f s, copy %6.2f s%n", i + 1, o.repeat(), c.name(), r.startSeconds(), r.seconds());
            }
        }
        String loadEnd = LinkReport.loadAverage();
        List<Result> results = new ArrayList<>();
        Map<String, Run> baseline = new HashMap<>();
        for (Case c : CASES) {
            Run m = median(runs.get(c));
            if (!c.remote()) baseline.put(c.trail(), m);
            double vs = baseline.get(c.trail()).seconds() / m.seconds();
            results.add(new Result(c, c.encrypted() ? homes.encrypted() : homes.clear(), m, vs));
        }
        LinkReport report = new LinkReport(homes, o, results, loadBefore, loadStart, loadEnd);
        report.print(out);
        if (o.output() != null) {
            PerformanceReport.replaceSection(o.output(), "link", report.section());
            out.println("written to " + o.output().toAbsolutePath());
        }
        return results;
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return sorted.get(sorted.size() / 2);
    }

    /** One copy of {@code c}'s trail from scratch, checked against the source trail; a copy that differs throws. */
    Run once(Case c) throws Exception {
        Path srcHome = homes.source().home();
        clean();
        TrailDigest source = c.encrypted() ? homes.encrypted() : homes.clear();
        Manager manager = c.remote() ? homes.startManager(c.tls()) : null;
        Run run;
        try {
            Map<String, Object> beans = c.tls() ? Map.of(TrailConfiguration.TLS_BEAN, homes.pumpTls()) : Map.of();
            long t0 = System.nanoTime();
            try (Pipeline p = Pipeline.start(settings(c, manager), "file:routes/pump.yaml", beans)) {
                GroupRuntime g = p.groups().find(GROUP).orElseThrow(() -> new IllegalStateException("bench link: no group " + GROUP + " runs"));
                // the producer opens its trail (remote: connects to the collector) at the first exchange, after the
                // route started; "start" ends when it has, so the copy's seconds hold the copy alone
                while (g.trailState() == null) {
                    if (p.abended()) throw new IllegalStateException("bench link: " + c.name() + ": the pump abended: " + p.abends());
                    Thread.sleep(1);
                }
                long t1 = System.nanoTime();
                while (g.trailState().confirmedCsn() < source.lastCsn()) {
                    if (p.abended()) throw new IllegalStateException("bench link: " + c.name() + ": the pump abended: " + p.abends());
                    Thread.sleep(2);
                }
                long t2 = System.nanoTime();
                CompressionCounters link = g.stats().linkCounters();
                run = new Run((t1 - t0) / 1e9, (t2 - t1) / 1e9, link == null ? 0 : link.rawBytes(), link == null ? 0 : link.wireBytes());
            }
        } finally {
            if (manager != null) manager.stop();
        }
        Path copy = c.remote() ? homes.target().resolve("dirdat").resolve(REMOTE_TRAIL) : srcHome.resolve("dirdat").resolve(LOCAL_TRAIL);
        String wrong = source.mismatch(TrailDigest.of(copy));
        if (wrong != null) throw new IllegalStateException("bench link: " + c.name() + ": the copy " + copy + " is not the source trail: " + wrong);
        return run;
    }

    /** The pump's configuration for {@code c}, as its parameter file would give it (RMTHOST, COMPRESS, TLS; PASSTHRU). */
    private Settings settings(Case c, Manager manager) {
        Settings s = homes.source();
        Map<String, String> keys = new HashMap<>(s.overrides());
        keys.put("redotrail.pump.group", GROUP);
        keys.put("redotrail.extract.trail", c.trail());
        keys.put("redotrail.pump.decrypt", "false");
        keys.put("redotrail.pump.trail", c.remote() ? REMOTE_TRAIL : LOCAL_TRAIL);
        if (c.remote()) {
            keys.put("redotrail.pump.rmtHost", "127.0.0.1");
            keys.put("redotrail.pump.mgrPort", Integer.toString(manager.port()));
            keys.put("redotrail.pump.compress", Boolean.toString(c.compress() != null));
            if (c.compress() != null) keys.put("redotrail.pump.compressAlgorithm", c.compress());
            keys.put("redotrail.pump.tls", Boolean.toString(c.tls()));
            if (c.tls()) keys.put("redotrail.pump.tlsTrustAlias", LinkHomes.TRUST_ALIAS);
        }
        return Settings.load(s.file(), keys);
    }

    /**
     * A new group position and empty copies: the pump's checkpoint file and both copies' files go, after the last
     * run's collector has let go of the remote trail (its lock), so each run copies the whole trail.
     */
    private void clean() throws Exception {
        Path srcHome = homes.source().home();
        Files.deleteIfExists(io.redotrail.checkpoint.CheckpointFile.extractFile(srcHome, GROUP));
        Path remote = homes.target().resolve("dirdat").resolve(REMOTE_TRAIL);
        String collector = RemoteTrails.collectorName(remote);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (GroupLock.held(homes.target(), collector)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("bench link: the last collector still holds " + remote);
            Thread.sleep(20);
        }
        for (Path trail : List.of(remote, srcHome.resolve("dirdat").resolve(LOCAL_TRAIL))) {
            for (long seqno : TrailFormat.seqnos(trail)) FileTrees.delete(TrailFormat.fileOf(trail, seqno));
        }
    }
}
