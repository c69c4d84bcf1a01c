package io.redotrail.bench;

import io.redotrail.core.FileTrees;
import io.redotrail.observe.Observability;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.Workloads;

import javax.management.ObjectName;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Benchmark (not a test) of {@code bin/redotrail bench --observe}: what observability costs the whole pipeline. Plays
 * the bench workload once into a scratch home (wiped first), then runs the end-to-end stage of {@code bench} (redo →
 * extract → pump → replicat → target, from scratch each time) {@code repeat} times in each of two modes, alternately
 * and in ABBA order (off then on in odd pairs, on then off in even ones) so that a change of the machine's load and
 * the JIT's warm-up hit both alike: <b>off</b> — no HTTP server, no Micrometer meters or route
 * policy ({@code redotrail.http.port} empty) and Camel's JMX off ({@code camel.main.jmxEnabled=false}); <b>on</b> —
 * the management server on an ephemeral port with every meter ({@code redotrail.http.port=0}), Camel's JMX on, and
 * {@code /metrics} scraped every {@value #SCRAPE_MILLIS} ms from another thread as a busy Prometheus would. Each mode is
 * checked to be in effect (Camel's route MBeans there or not, a scrape answering with the group meters). Prints every
 * run, the best of each mode (rows/s and rows per CPU-second of the process) and their ratios on / off. Writes no
 * report section. Not thread-safe; one run at a time.
 */
public final class ObserveBench {
    static final long SCRAPE_MILLIS = 1000;

    private enum Mode {
        OFF("off", Map.of("redotrail.http.port", "", "camel.main.jmxEnabled", "false"), "no HTTP server, no meters, Camel JMX off"),
        ON("on", Map.of("redotrail.http.port", "0", "camel.main.jmxEnabled", "true"), "JMX, meters, /metrics scraped every 1 s");

        final String label;
        final Map<String, String> keys;
        final String what;

        Mode(String label, Map<String, String> keys, String what) {
            this.label = label;
            this.keys = keys;
            this.what = what;
        }
    }

    /** One timed end-to-end run: wall and process CPU seconds; {@code scrapes}: /metrics answers during it. */
    record Run(double seconds, double cpuSeconds, int scrapes) {
    }

    private ObserveBench() {
    }

    public static void run(Settings base, PipelineBench.Options o, int repeat, PrintStream out) throws Exception {
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        Path home = base.home();
        BenchHome.wipe(home);
        var played = Workloads.play(base, Workloads.config(base, o.transactions(), o.seed(), "redotrail.bench.transactions"), out);
        long rows = played.stats().committedRowChanges();
        long csn = played.lastSelectedCsn();
        Map<Mode, Run> best = new HashMap<>(), bestCpu = new HashMap<>();
        for (int i = 1; i <= repeat; i++) {
            // ABBA: off first in odd pairs, on first in even ones, so the JIT's warm-up does not fall on one mode
            List<Mode> order = i % 2 == 1 ? List.of(Mode.OFF, Mode.ON) : List.of(Mode.ON, Mode.OFF);
            for (Mode m : order) {
                Map<String, String> over = new HashMap<>(base.overrides());
                over.putAll(m.keys);
                Settings s = Settings.load(base.file(), over);
                // from scratch on the same redo: new trails, checkpoints and target
                for (String d : List.of("dirdat", "dirchk")) FileTrees.delete(home.resolve(d));
                BenchHome.deleteDb(home.resolve("db"), "target");
                HomeSetup.prepare(s);
                Run r = PipelineBench.onTarget(s, o, t -> once(t, m, csn));
                out.printf("observe run %d/%d, %s: %,d rows in %.3f s = %,.0f rows/s; %.3f CPU-s = %,.0f rows per CPU-second (%s: %d scrapes)%n",
                        i, repeat, m.label, rows, r.seconds(), rows / r.seconds(), r.cpuSeconds(), rows / r.cpuSeconds(), m.what, r.scrapes());
                if (!best.containsKey(m) || r.seconds() < best.get(m).seconds()) best.put(m, r);
                if (!bestCpu.containsKey(m) || r.cpuSeconds() < bestCpu.get(m).cpuSeconds()) bestCpu.put(m, r);
            }
        }
        for (Mode m : Mode.values()) {
            out.printf("observability %s, best of %d: %,.0f rows/s; %,.0f rows per CPU-second%n", m.label, repeat,
                    rows / best.get(m).seconds(), rows / bestCpu.get(m).cpuSeconds());
        }
        out.printf("observability cost: on/off %.2f of rows/s, %.2f of rows per CPU-second (%s; load average %.2f)%n",
                best.get(Mode.OFF).seconds() / best.get(Mode.ON).seconds(),
                bestCpu.get(Mode.OFF).cpuSeconds() / bestCpu.get(Mode.ON).cpuSeconds(), PerformanceReport.machine(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The whole pipeline from scratch until the Replicat committed {@code csn}, in mode {@code m}. */
    private static Run once(Settings s, Mode m, long csn) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (Pipeline p = Pipeline.start(s, null)) {
            Scraper scraper = m == Mode.ON ? new Scraper(Observability.of(p.context()).httpPort()) : null;
            try {
                BooleanSupplier done = PipelineBench.replicatReached(p, csn);
                while (!done.getAsBoolean()) {
                    if (p.abended()) throw new IllegalStateException("bench --observe: a route abended: " + p.abends());
                    Thread.sleep(5);
                }
                Run r = new Run((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9,
                        scraper == null ? 0 : scraper.answered.get());
                inEffect(m, p, scraper);
                return r;
            } finally {
                if (scraper != null) scraper.stop();
            }
        }
    }

    /** Refuses a figure whose mode was not the one named: a key the configuration overrode, a server that did not start. */
    private static void inEffect(Mode m, Pipeline p, Scraper scraper) throws Exception {
        int routeMBeans = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("org.apache.camel:type=routes,*"), null).size();
        int port = Observability.of(p.context()).httpPort();
        if (m == Mode.OFF && (routeMBeans > 0 || port >= 0)) {
            throw new IllegalStateException("bench --observe: the 'off' run had Camel route MBeans (" + routeMBeans + ") or an HTTP server (port " + port + ")");
        }
        if (m == Mode.ON) {
            String body = scraper.scrape();
            if (routeMBeans == 0 || body == null || !body.contains("redotrail_group_records_total{")) {
                throw new IllegalStateException("bench --observe: the 'on' run had " + routeMBeans + " Camel route MBeans and "
                        + (body == null ? "no answer at /metrics" : body.contains("redotrail_group_records_total{") ? "the group meters"
                        : "no group meters at /metrics (" + body.length() + " bytes)"));
            }
        }
    }

    /** GETs /metrics every {@value #SCRAPE_MILLIS} ms on a daemon thread, from the start, until stopped. */
    private static final class Scraper {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final HttpRequest request;
        private final AtomicInteger answered = new AtomicInteger();
        private final Thread thread;
        private volatile boolean stopped;

        Scraper(int port) {
            request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build();
            thread = new Thread(() -> {
                while (!stopped) {
                    if (scrape() != null) answered.incrementAndGet();
                    try {
                        Thread.sleep(SCRAPE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-observe-scraper");
            thread.setDaemon(true);
            thread.start();
        }

        /** The body of one GET, null when it failed or did not answer 200. */
        String scrape() {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? r.body() : null;
            } catch (java.io.IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
