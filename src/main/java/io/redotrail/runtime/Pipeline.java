package io.redotrail.runtime;

import io.redotrail.camel.RouteBeans;
import io.redotrail.observe.ObserveConfig;
import io.redotrail.observe.Observability;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.Main;

import java.util.Map;


/**
 * The whole route bundle (extract, pump, replicat) running in one Camel Main, with routes loaded from disk
 * ({@code camel.main.routes-include-pattern}, default {@code file:routes/*.yaml}) and properties from the
 * user's configuration file, {@code redotrail.home} overridden by {@code --home}. Editing a route needs a
 * restart, not a rebuild. {@link #start} takes the locks of the routes' groups first ({@link GroupLocks}) and
 * {@link #close} releases them. Not thread-safe.
 */
public final class Pipeline implements AutoCloseable {
    private final Main main;
    private final GroupLocks locks;
    private final GroupRuntimes groups;

    private Pipeline(Main main, GroupLocks locks) {
        this.main = main;
        this.locks = locks;
        this.groups = GroupRuntimes.of(main.getCamelContext());
    }

    /** Creates the Camel Main without starting it; its HTTP server (metrics, health) only when {@value #HTTP_PORT} is set. */
    public static Main create(Settings settings) {
        return create(settings, -1);
    }

    /** {@code redotrail.http.port}: the port of {@code /metrics} and {@code /health} (0: ephemeral; empty: the caller's default). */
    public static final String HTTP_PORT = "redotrail.http.port";

    /**
     * Creates the Camel Main without starting it, with metrics, health checks and MBeans of its groups
     * ({@link Observability}); {@code defaultHttpPort} when {@value #HTTP_PORT} is empty (-1: no HTTP server).
     */
    public static Main create(Settings settings, int defaultHttpPort) {
        ConfigCheck.validate(settings);
        RoutesPattern.require(settings);
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + settings.file().toAbsolutePath());
        settings.overrides().forEach(main::addOverrideProperty);
        main.addMainListener(new HeartbeatScheduler(settings)); // the source's heartbeat job, where an Extract runs
        main.addOverrideProperty("redotrail.home", settings.home().toString());
        Observability.install(main, observeConfig(settings, defaultHttpPort));
        return main;
    }

    /** The HTTP server and the LAGCRITICAL threshold of the health checks, from the configuration. */
    static ObserveConfig observeConfig(Settings settings, int defaultHttpPort) {
        String port = settings.get(HTTP_PORT, "").strip();
        String lag = settings.get(LAG_CRITICAL, "").strip();
        return new ObserveConfig(settings.get("redotrail.http.host", "127.0.0.1").strip(),
                port.isEmpty() ? defaultHttpPort : Integer.parseInt(port), lag.isEmpty() ? -1 : Long.parseLong(lag) * 1000);
    }

    /** {@code redotrail.health.lagCriticalSeconds}: lag above which a group's health is DOWN (empty: none). */
    public static final String LAG_CRITICAL = "redotrail.health.lagCriticalSeconds";

    public static Pipeline start(Settings settings) {
        return start(settings, null);
    }

    /** Starts only the routes matching {@code routesPattern} (e.g. {@code file:routes/extract.yaml}); null = all. */
    public static Pipeline start(Settings settings, String routesPattern) {
        return start(settings, routesPattern, Map.of());
    }

    /**
     * As {@link #start(Settings, String)}, with {@code beans} bound in the registry before the routes start (a pump's
     * {@code TlsLink}, as the group process binds it for RMTHOST ..., TLS).
     */
    public static Pipeline start(Settings settings, String routesPattern, Map<String, Object> beans) {
        Main main = create(settings);
        beans.forEach(main::bind);
        if (routesPattern != null) main.addOverrideProperty("camel.main.routes-include-pattern", routesPattern);
        GroupLocks locks = GroupLocks.take(settings, routesPattern);
        try {
            main.start();
        } catch (Exception e) {
            locks.close();
            throw new IllegalStateException("pipeline failed to start: " + rootMessage(e), e);
        }
        return new Pipeline(main, locks);
    }

    /** Route id → the {@code type} bean it runs, for every route that runs one (e.g. every Replicat group). */
    public <T> Map<String, T> beans(Class<T> type) {
        return routeBeans(context(), type);
    }

    /** Route id → the {@code type} bean it runs, for every route of {@code context} that runs one. */
    public static <T> Map<String, T> routeBeans(CamelContext context, Class<T> type) {
        return RouteBeans.of(context, type);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** The {@code type} bean route {@code routeId} runs (see {@link #routeBean(CamelContext, String, Class)}). */
    public <T> T bean(String routeId, Class<T> type) {
        return routeBean(context(), routeId, type);
    }

    /**
     * The bean of {@code type} that route {@code routeId} runs as a step ({@code process: ref}). The routes are made
     * from route templates whose beans are local to each route (Camel binds them under a unique id per route, not
     * in the registry), so a route's bean is found through the route, e.g. the {@code ReplicatApplier} of route
     * {@code replicat}.
     */
    public static <T> T routeBean(CamelContext context, String routeId, Class<T> type) {
        Route route = context.getRoute(routeId);
        if (route == null) {
            throw new IllegalStateException("no route with id '" + routeId + "' (routes: "
                    + context.getRoutes().stream().map(Route::getRouteId).sorted().toList() + ")");
        }
        T bean = RouteBeans.find(route, type);
        if (bean != null) return bean;
        throw new IllegalStateException("route '" + routeId + "' runs no " + type.getName());
    }

    /** The groups of this pipeline's context (abends, trail progress, process status); usable after {@link #close}. */
    public GroupRuntimes groups() {
        return groups;
    }

    /** Group → first cause, for the groups of this pipeline that abended. */
    public Map<String, Throwable> abends() {
        return groups().abends();
    }

    public boolean abended() {
        return !abends().isEmpty();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("pipeline failed to stop cleanly: " + rootMessage(e), e);
        } finally {
            locks.close();
        }
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " / caused by " + t;
    }
}
