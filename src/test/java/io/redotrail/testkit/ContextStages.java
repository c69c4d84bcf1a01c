package io.redotrail.testkit;

import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.runtime.Pipeline;
import io.redotrail.scenario.SessionSteps;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * The pipeline of a test's CamelContext as the scenario steps see it: abends from the context's group runtimes,
 * LOG_CSN from every route that runs a Replicat ({@link ReplicatApplier#lastCheckpoint}, what it committed with
 * its checkpoint-table row). The context is looked up at each call: the test support creates it after the home.
 */
final class ContextStages implements SessionSteps.Stages {
    private final Supplier<CamelContext> context;

    ContextStages(Supplier<CamelContext> context) {
        this.context = context;
    }

    @Override
    public void checkAlive() {
        CamelContext c = context.get();
        if (c == null) throw new IllegalStateException("the routes have not started (no CamelContext yet)");
        Map<String, Throwable> abends = GroupRuntimes.of(c).abends();
        if (abends.isEmpty()) return;
        Map.Entry<String, Throwable> first = abends.entrySet().iterator().next();
        throw new IllegalStateException("group " + first.getKey() + " abended: " + Pipeline.rootMessage(first.getValue())
                + (abends.size() > 1 ? " (abended too: " + abends.keySet() + ")" : ""), first.getValue());
    }

    @Override
    public long appliedCsn() {
        Map<String, ReplicatApplier> replicats = replicats();
        return replicats.values().stream().mapToLong(r -> r.lastCheckpoint().map(cp -> cp.logCsn().value()).orElse(0L))
                .min().orElse(0L);
    }

    @Override
    public String state() {
        StringJoiner j = new StringJoiner(", ");
        replicats().forEach((route, r) -> j.add("route " + route + " (" + r.getGroup() + ") at LOG_CSN "
                + r.lastCheckpoint().map(cp -> cp.logCsn().value()).orElse(0L)));
        return j.toString();
    }

    private Map<String, ReplicatApplier> replicats() {
        CamelContext c = context.get();
        Map<String, ReplicatApplier> r = Pipeline.routeBeans(c, ReplicatApplier.class);
        if (r.isEmpty()) {
            throw new IllegalStateException("no route runs a Replicat, nothing to wait for (routes: "
                    + c.getRoutes().stream().map(Route::getRouteId).sorted().toList() + ")");
        }
        return r;
    }
}
