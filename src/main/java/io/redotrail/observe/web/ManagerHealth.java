package io.redotrail.observe.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redotrail.observe.HealthRules;
import io.redotrail.report.PidFile;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Manager's {@code /health}, {@code /health/live} and {@code /health/ready}, in the JSON shape of a group
 * JVM's (Camel's): {@code {"status":"UP"}}, or HTTP 503 and {@code {"status":"DOWN","checks":[{"name":
 * "redotrail-REP1-ready","status":"DOWN","message":"abended: ..."}]}}. It exists because a group process exits
 * when it abends, so its own {@code /health} is gone just when it would say DOWN; the Manager outlives it.
 * Liveness is UP while the Manager answers; readiness (and {@code /health}) is DOWN for a group that is ABENDED
 * or RUNNING with a checkpoint lag above mgr.prm's LAGCRITICAL, judged on the rows {@code /api/status} serves
 * ({@link StatusRow}). A STOPPED group is not DOWN: an operator stopped it. Thread-safe.
 */
final class ManagerHealth extends RouteBuilder {
    private final Path home;
    private final Supplier<List<GroupRef>> groups;
    private final long lagCriticalMillis;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code lagCriticalMillis}: mgr.prm's LAGCRITICAL*, -1 when not set. */
    ManagerHealth(Path home, Supplier<List<GroupRef>> groups, long lagCriticalMillis) {
        this.home = home;
        this.groups = groups;
        this.lagCriticalMillis = lagCriticalMillis;
    }

    @Override
    public void configure() {
        from("platform-http:/health?httpMethodRestrict=GET").routeId("mgr-health").process(e -> reply(e, ready()));
        from("platform-http:/health/ready?httpMethodRestrict=GET").routeId("mgr-health-ready").process(e -> reply(e, ready()));
        from("platform-http:/health/live?httpMethodRestrict=GET").routeId("mgr-health-live").process(e -> reply(e, List.of()));
    }

    /** The groups not ready now, each as a DOWN check naming it and why. */
    List<Map<String, String>> ready() {
        List<Map<String, String>> down = new ArrayList<>();
        for (StatusRow r : StatusRow.all(home, groups.get(), System.currentTimeMillis())) {
            String why = null;
            if ("ABENDED".equals(r.status())) {
                String cause = PidFile.read(PidFile.pathOf(home, r.group())).map(PidFile::cause).orElse(null);
                why = "abended" + (cause == null || cause.isBlank() ? "" : ": " + cause);
            } else if (r.running() && r.lagMillis() >= 0) {
                why = HealthRules.lagAbove(r.lagMillis(), lagCriticalMillis);
            }
            if (why == null) continue;
            Map<String, String> check = new LinkedHashMap<>();
            check.put("name", "redotrail-" + r.group() + "-ready");
            check.put("status", "DOWN");
            check.put("message", r.program() + " " + r.group() + " " + why);
            down.add(check);
        }
        return down;
    }

    private void reply(Exchange e, List<Map<String, String>> down) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", down.isEmpty() ? "UP" : "DOWN");
        if (!down.isEmpty()) body.put("checks", down);
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, down.isEmpty() ? 200 : 503);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(json.writeValueAsString(body));
    }
}
