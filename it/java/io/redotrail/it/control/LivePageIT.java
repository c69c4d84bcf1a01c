package io.redotrail.it.control;

import io.redotrail.cli.CliAccess;
import io.redotrail.it.ItBrowser;
import io.redotrail.it.ItDatabases.PgDatabase;
import io.redotrail.it.Scrape;
import io.redotrail.report.PidFile;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.redotrail.it.ItJvms.keepingLogs;
import static io.redotrail.it.ItJvms.killMinus9;
import static io.redotrail.it.ItJvms.mainJvm;
import static io.redotrail.it.ItSupport.awaitApplied;
import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItSupport.play;
import static io.redotrail.it.ItSupport.settings;
import static io.redotrail.it.ItSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Manager's live page (mgr.prm HTTPPORT) in a real headless chromium ({@link ItBrowser}): the Manager JVM
 * runs EXT1, PUMP1 and REP1 (one JVM each, AUTOSTART, no AUTORESTART); the page lists every group RUNNING; while
 * workloads are played into the source, the throughput chart of the extract shows operations per second above 0
 * and the charts' data points change from one refresh to the next (read from the SVG polylines' attributes, not
 * from pixels); then {@code kill -9} of the Replicat shows on the page as ABENDED in the table and as the
 * Manager's OGG-01668 line under Abends, and the Manager's {@code /health/ready} answers 503 naming REP1 (its own
 * JVM, and its {@code /health}, died with it). Before that, {@code run} (every group in one JVM, which also defines
 * the groups) with {@code camel.server.enabled} serves the same page, which lists the same groups RUNNING. A screenshot of the last state is kept in target/it-logs/LivePageIT.png.
 */
class LivePageIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> GROUPS = List.of("EXT1", "PUMP1", "REP1");

    @TempDir
    Path home;

    private PgDatabase pg;
    private String[] target;

    @AfterEach
    void dropDatabase() {
        if (pg != null) pg.close();
    }

    @Test
    void pageShowsGroupsChartsThatMoveAndAnAbend() throws Throwable {
        keepingLogs(home, "LivePageIT", this::livePage);
    }

    private void livePage() throws Exception {
        pg = PgDatabase.create("rt_live_");
        target = new String[]{"redotrail.target.jdbcUrl=" + pg.url(), "redotrail.target.user=postgres", "redotrail.target.password=",
                "redotrail.extract.megabytes=1", "redotrail.pump.megabytes=1"};
        Settings s = settings(home, "redotrail.target.jdbcUrl", pg.url(), "redotrail.target.user", "postgres",
                "redotrail.target.password", "", "redotrail.extract.megabytes", "1", "redotrail.pump.megabytes", "1");
        log("start");
        CliAccess.Played first = play(s, 200, 701);
        ChromeDriver page = ItBrowser.chromium(PROJECT.resolve("target/it-logs/LivePageIT-chromedriver.log"));
        try {
            // run (one JVM, every group) with Camel's HTTP server on serves the same page; it also defines the
            // groups as the real pipeline does: dirchk/ then holds EXT1.cpe, PUMP1.cpe, REP1.cpr
            int runHttp = ManagerJvm.freePort();
            Path runLog = PROJECT.resolve("target/it-logs/LivePageIT-run.log");
            Process run = mainJvm(List.of("-Xmx384m"), new String[0],
                    withSets("run", "--home", home.toString(), "--set", "camel.server.enabled=true", "--set", "camel.server.host=127.0.0.1",
                            "--set", "camel.server.port=" + runHttp))
                    .redirectOutput(ProcessBuilder.Redirect.to(runLog.toFile())).start();
            try {
                awaitApplied(s, first.lastSelectedCsn(), Duration.ofSeconds(120));
                log("run applied");
                page.get("http://127.0.0.1:" + runHttp + "/");
                awaitListed(page);
            } finally {
                run.destroy();
                assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run did not stop on SIGTERM");
            }
            assertEquals(0, run.exitValue(), "run's exit code after SIGTERM");
            managerPage(s, page);
        } finally {
            Path shot = page.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, PROJECT.resolve("target/it-logs/LivePageIT.png"), StandardCopyOption.REPLACE_EXISTING);
            page.quit();
        }
    }

    private void managerPage(Settings s, ChromeDriver page) throws Exception {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/ext1.prm"), "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\n");
        Files.writeString(home.resolve("dirprm/pump1.prm"), "EXTRACT PUMP1\nRMTTRAIL ./dirdat/ha\nPASSTHRU\nTABLE YDJK.*;\nTABLE POS_USER9.*;\n");
        // small target transactions: under the slow target below the Replicat commits (and checkpoints) often
        Files.writeString(home.resolve("dirprm/rep1.prm"), "REPLICAT REP1\nGROUPTRANSOPS 10\nMAP YDJK.*, TARGET YDJK.*;\nMAP POS_USER9.*, TARGET POS_USER9.*;\n");
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\nHTTPPORT 0\nAUTOSTART ER *\n");
        try (ManagerJvm m = ManagerJvm.start(home, "LivePageIT", false, withSets())) {
            int httpPort = Integer.parseInt(PidFile.fields(home, "MGR").orElseThrow().getProperty("httpPort").trim());
            log("Manager up");
            ManagerJvm.awaitRunning(home, GROUPS, WAIT);
            browse(page, "http://127.0.0.1:" + httpPort + "/", httpPort, s);
            // the scrape: the Manager's own gauges; the groups' own metrics join it where their JVMs serve them
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("# TYPE redotrail_manager_uptime_seconds gauge\nredotrail_manager_uptime_seconds{group=\"MGR\"} "), metrics);
            // REP1's JVM died with its abend: the Manager's readiness says so, naming it; the Manager itself is alive
            java.net.http.HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"name\":\"redotrail-REP1-ready\"") && ready.body().contains("REPLICAT REP1 abended"), ready.body());
            assertTrue(!ready.body().contains("EXT1"), "the running groups are ready: " + ready.body());
            assertEquals(0, m.terminate(WAIT));
        }
    }

    private void browse(ChromeDriver page, String url, int httpPort, Settings s) throws Exception {
        log("page " + url);
        page.get(url);
        awaitListed(page);

        // workloads while the page refreshes: the charts' data points change and the extract's throughput shows
        AtomicBoolean seen = new AtomicBoolean();
        CompletableFuture<List<CliAccess.Played>> player = CompletableFuture.supplyAsync(() -> {
            List<CliAccess.Played> played = new ArrayList<>();
            for (int i = 0; i < 10 && !seen.get(); i++) { // until the page showed it (bounded)
                played.add(play(s, 300, 710 + i));
                sleep(1000);
            }
            return played;
        });
        Set<String> opsSeen = new HashSet<>(), lagSeen = new HashSet<>();
        List<Double> rates = new ArrayList<>();
        await("the charts to move while the workload runs", WAIT, () -> {
            String ops = attr(page, "#chart-EXT1 polyline.ops", "points");
            String lag = attr(page, "#chart-REP1 polyline.lag", "points");
            if (ops != null) opsSeen.add(ops);
            if (lag != null) lagSeen.add(lag);
            String values = attr(page, "#chart-EXT1 polyline.ops", "data-values");
            if (values != null && !values.isEmpty()) {
                rates.clear();
                Arrays.stream(values.split(",")).map(Double::parseDouble).forEach(rates::add);
            }
            return opsSeen.size() >= 3 && lagSeen.size() >= 3 && rates.stream().anyMatch(r -> r > 0);
        }, () -> "EXT1 operations/s " + rates + "; " + opsSeen.size() + " distinct throughput and " + lagSeen.size() + " lag charts");
        seen.set(true);
        long lastCsn = player.get(WAIT.toSeconds(), TimeUnit.SECONDS).stream().mapToLong(CliAccess.Played::lastSelectedCsn).max().orElse(0);
        log("charts moved: EXT1 operations/s " + rates);
        lagHeld(page, httpPort, s, lastCsn);

        // an abend: the Replicat killed with no AUTORESTART
        killMinus9(ManagerJvm.status(home, "REP1").pid());
        log("REP1 killed");
        await("the page to show REP1 ABENDED", WAIT, () -> "ABENDED".equals(attr(page, "#row-REP1", "data-status")), () -> text(page, "#status"));
        await("the abend of REP1 under Abends", WAIT, () -> text(page, "#abends").lines()
                .anyMatch(li -> li.startsWith("REP1: ") && li.contains("REPLICAT REP1 ABENDED")), () -> text(page, "#abends"));
        assertEquals("RUNNING", attr(page, "#row-EXT1", "data-status"), "the others run on");
        log("abend shown");
    }

    /** {@code args} followed by {@code --set key=value} for the target and the trail sizes of this test. */
    private String[] withSets(String... args) {
        List<String> out = new ArrayList<>(List.of(args));
        for (String t : target) out.addAll(List.of("--set", t));
        return out.toArray(String[]::new);
    }

    /**
     * The lag chart shows the lag itself, not only points that move: a trigger on every target table makes each row
     * the Replicat applies take 20 ms, so under a workload it falls behind and its checkpoints (every second, at a
     * commit) record a lag above 0; then the test locks the checkpoint table, which holds the Replicat (and so its
     * checkpoint file) still. REP1's lag series must then end with the very lag {@code /api/status} reports (INFO
     * ALL's Lag at Chkpt, from the same file), above 0, over two samples. The lock and the delay go, and it catches up.
     * It starts from REP1 idle at the end of its trail (Lag at Chkpt 0), so the lag seen is the slow workload's.
     */
    private void lagHeld(ChromeDriver page, int httpPort, Settings s, long appliedCsn) throws Exception {
        // first REP1 caught up and idle (Lag at Chkpt 0): a lag above 0 seen below is then the slow workload's
        awaitApplied(s, appliedCsn, WAIT);
        Scrape http = new Scrape(WAIT);
        await("REP1 idle at the end of its trail (Lag at Chkpt 0)", WAIT, () -> apiLag(http, httpPort) == 0, () -> "");
        try (Connection c = DriverManager.getConnection(pg.url(), "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION public.rt_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN NULL; END $$");
            List<String> tables = Scrape.userTables(c);
            for (String t : tables) st.execute("CREATE TRIGGER rt_slow AFTER INSERT OR UPDATE OR DELETE ON " + t + " FOR EACH ROW EXECUTE FUNCTION public.rt_slow()");
            CliAccess.Played slow = play(s, 300, 730);
            await("REP1's checkpoint lag above 0 at /api/status", WAIT, () -> apiLag(http, httpPort) > 0, () -> "");
            long lagMillis;
            try (Connection lock = DriverManager.getConnection(pg.url(), "postgres", ""); Statement ls = lock.createStatement()) {
                lock.setAutoCommit(false);
                Scrape.holdReplicats(lock);
                // the Replicat may write its checkpoint once more, for the commit the lock waited for: compare with
                // the file as it is at each look, until the chart ends with it twice
                long[] lag = {-1};
                List<String> values = new ArrayList<>();
                await("REP1's lag chart to hold the lag of /api/status", WAIT, () -> {
                    lag[0] = apiLag(http, httpPort);
                    String expected = String.format(java.util.Locale.ROOT, "%.3f", lag[0] / 1000.0);
                    values.clear();
                    String v = attr(page, "#chart-REP1 polyline.lag", "data-values");
                    if (v != null && !v.isEmpty()) values.addAll(Arrays.asList(v.split(",")));
                    return lag[0] > 0 && values.size() >= 2 && values.subList(values.size() - 2, values.size()).equals(List.of(expected, expected));
                }, () -> "/api/status lagMillis " + lag[0] + "; REP1 lag series (s) " + values);
                lagMillis = lag[0];
                String expected = String.format(java.util.Locale.ROOT, "%.3f", lagMillis / 1000.0);
                assertEquals(lagMillis, apiLag(http, httpPort), "the checkpoint did not move under the lock");
                log("REP1's lag chart holds " + expected + " s, as /api/status");
                lock.rollback();
            }
            st.execute("CREATE OR REPLACE FUNCTION public.rt_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$");
            awaitApplied(s, slow.lastSelectedCsn(), WAIT);
        }
    }

    /** REP1's lagMillis at the Manager's {@code /api/status}. */
    private static long apiLag(Scrape http, int httpPort) {
        try {
            String body = http.get(httpPort, "/api/status", 200);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{[^{}]*\"group\":\"REP1\"[^{}]*\"lagMillis\":(-?\\d+)").matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void log(String what) {
        System.out.println(java.time.LocalTime.now() + " " + what);
    }

    /** Every group RUNNING in the table, in INFO ALL's order: extracts, then replicats. */
    private static void awaitListed(ChromeDriver page) {
        for (String g : GROUPS) {
            await("the page to list " + g + " RUNNING", WAIT, () -> "RUNNING".equals(attr(page, "#row-" + g, "data-status")),
                    () -> text(page, "#status"));
        }
        assertEquals(GROUPS, attrs(page, "#status tbody tr", "data-group"), "INFO ALL's order");
        log("listed at " + page.getCurrentUrl());
    }

    /*
     * The page rebuilds its table and lists at each refresh: an element found by one WebDriver call may be gone by
     * the next (stale). Each read is therefore one script, which runs between two of the page's own tasks.
     */
    private static String attr(ChromeDriver page, String css, String name) {
        return (String) page.executeScript("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
    }

    /** The {@code name} attribute of every element {@code css} selects, in document order. */
    @SuppressWarnings("unchecked")
    private static List<String> attrs(ChromeDriver page, String css, String name) {
        return (List<String>) page.executeScript("return Array.from(document.querySelectorAll(arguments[0]), e => e.getAttribute(arguments[1]));", css, name);
    }

    private static String text(ChromeDriver page, String css) {
        return (String) page.executeScript("const e = document.querySelector(arguments[0]); return e ? e.innerText : '(no ' + arguments[0] + ')';", css);
    }
}
