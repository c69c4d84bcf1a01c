package io.redotrail.observe.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The live page's HTTP routes (platform-http, on whichever server the context runs: the Manager's
 * {@link LiveServer}, or {@code run}'s Camel Main): {@code /} the page ({@code live.html}, {@code live.js},
 * {@code live.css} from this package's resources; no other host is needed), {@code /api/status} INFO ALL as JSON
 * ({@link StatusRow}), {@code /api/history} the last hour's samples ({@link History}), {@code /api/report/<G>} the
 * report's last lines and abends ({@link ReportTail}) and, when {@code metrics} is set, {@code /metrics}: the
 * group JVMs' expositions (port in {@code dirchk/<G>.http}) merged with the Manager's ({@link MetricsMerge}).
 * Every route only reads files and asks groups: nothing here changes a group. Thread-safe.
 */
public final class LivePage extends RouteBuilder {
    /** Milliseconds between two samples, and the page's refresh interval. */
    public static final long SAMPLE_MILLIS = 2_000;
    private static final String GROUP = "[A-Za-z0-9_$#]{1,8}";

    private final Path home;
    private final Supplier<List<GroupRef>> groups;
    private final History history;
    private final boolean metrics;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Adds the page's routes and its sampler ({@link LiveSampler}, a service of the context) to {@code context},
     * whose platform-http server serves them: the Manager's {@link LiveServer}, or {@code run}'s Camel Main with
     * {@code camel.server.enabled}. {@code metrics}: serve {@code /metrics} too (the Manager; in {@code run} the
     * process's own metrics own that path).
     */
    public static void install(CamelContext context, Path home, Supplier<List<GroupRef>> groups, boolean metrics) throws Exception {
        History history = new History(home);
        context.addService(new LiveSampler(home, groups, history), true, true);
        context.addRoutes(new LivePage(home, groups, history, metrics));
    }

    LivePage(Path home, Supplier<List<GroupRef>> groups, History history, boolean metrics) {
        this.home = home;
        this.groups = groups;
        this.history = history;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        resource("/", "live.html", "text/html; charset=utf-8");
        resource("/live.js", "live.js", "text/javascript; charset=utf-8");
        resource("/live.css", "live.css", "text/css; charset=utf-8");
        from("platform-http:/api/status?httpMethodRestrict=GET").routeId("live-status")
                .process(e -> reply(e, json.writeValueAsString(status())));
        from("platform-http:/api/history?httpMethodRestrict=GET").routeId("live-history")
                .process(e -> reply(e, json.writeValueAsString(history())));
        from("platform-http:/api/report/{group}?httpMethodRestrict=GET").routeId("live-report")
                .process(this::report);
        if (metrics) {
            from("platform-http:/metrics?httpMethodRestrict=GET").routeId("live-metrics").process(e -> {
                e.getMessage().setBody(metricsText());
                e.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            });
        }
    }

    private void resource(String path, String name, String type) {
        byte[] body = read(name);
        from("platform-http:" + path + "?httpMethodRestrict=GET").routeId("live-" + name.replace('.', '-')).process(e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
        });
    }

    private static byte[] read(String name) {
        try (InputStream in = LivePage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " of " + LivePage.class.getPackageName() + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void reply(Exchange e, String body) {
        e.getMessage().setBody(body);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** INFO ALL now; the time is the server's, so the page shows ages without trusting the browser's clock. */
    Map<String, Object> status() {
        long now = System.currentTimeMillis();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("home", home.toString());
        out.put("now", now);
        out.put("groups", StatusRow.all(home, groups.get(), now));
        return out;
    }

    Map<String, Object> history() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", System.currentTimeMillis());
        out.put("sampleMillis", SAMPLE_MILLIS);
        out.put("keepMillis", History.KEEP_MILLIS);
        out.put("groups", history.snapshot());
        return out;
    }

    private void report(Exchange e) throws IOException {
        String g = e.getMessage().getHeader("group", String.class);
        if (g == null || !g.matches(GROUP)) {
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            reply(e, json.writeValueAsString(Map.of("error", "not a group name: " + g)));
            return;
        }
        reply(e, json.writeValueAsString(ReportTail.of(home, g)));
    }

    /** The running groups' own {@code /metrics} (a group that serves none, or does not answer, is left out). */
    String metricsText() {
        MetricsMerge merge = new MetricsMerge();
        merge.add("MGR", MetricsMerge.managerJvm());
        for (StatusRow r : StatusRow.all(home, groups.get(), System.currentTimeMillis())) {
            if (!r.running()) continue;
            Path portFile = home.resolve("dirchk").resolve(r.group() + ".http");
            if (!Files.isRegularFile(portFile)) continue;
            try {
                int port = Integer.parseInt(Files.readString(portFile).strip());
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 200) merge.add(r.group(), resp.body());
            } catch (IOException | NumberFormatException e) {
                // a group stopping, or a port file being written: its metrics are back at the next scrape
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return merge.text();
    }
}
