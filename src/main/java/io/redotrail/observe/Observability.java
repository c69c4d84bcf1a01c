package io.redotrail.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Metrics, health checks and JMX of the groups one Camel Main runs (docs/observability.md). {@link #install} sets
 * Camel Main's embedded management server up ({@code camel-platform-http-main}: {@code /metrics} in Prometheus format
 * from {@code camel-micrometer-prometheus}, {@code /health} with {@code /health/live} and {@code /health/ready}
 * from Camel's health checks), on {@link ObserveConfig#host()}:{@link ObserveConfig#port()}, and once the context has
 * started gives every group of the context ({@link GroupRuntimes#onGroup}) its meters ({@link GroupMeters}), a
 * liveness and a readiness check ({@link GroupHealthCheck}) and an MBean ({@link GroupControl}), and writes the
 * server's bound port to {@code dirchk/<GROUP>.http} ({@link HttpPortFile}). All of it is undone when the context
 * stops. The state is this object, bound in the context's registry as {@value #REGISTRY_NAME}. Thread-safe.
 */
public final class Observability extends ServiceSupport {
    public static final String REGISTRY_NAME = "redotrailObservability";
    static final int REFRESH_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(Observability.class);

    private final CamelContext context;
    private final ObserveConfig config;
    private final MeterRegistry meters; // null without the HTTP server
    private final HealthCheckRegistry health;
    private final int httpPort;
    private final List<Observed> groups = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService refresher;
    private volatile boolean stopped;

    private record Observed(GroupView view, GroupMeters meters, List<GroupHealthCheck> checks, ObjectName mbean) {
    }

    private Observability(CamelContext context, ObserveConfig config) {
        this.context = context;
        this.config = config;
        this.meters = config.http() ? context.getRegistry().findSingleByType(MeterRegistry.class) : null;
        this.health = HealthCheckRegistry.get(context);
        this.httpPort = config.http() ? boundPort(context) : -1;
        this.refresher = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "redotrail-observe");
    }

    /** Sets up {@code main} (before it starts) to serve its groups' metrics and health, and to register their MBeans. */
    public static void install(Main main, ObserveConfig config) {
        if (config.http()) {
            Map.of("camel.management.enabled", "true",
                    "camel.management.host", config.host(),
                    "camel.management.port", String.valueOf(config.port()),
                    "camel.management.healthCheckEnabled", "true",
                    "camel.management.healthPath", "/health",
                    "camel.management.metricsEnabled", "true",
                    "camel.metrics.enabled", "true",
                    "camel.metrics.path", "/metrics",
                    "camel.metrics.enableRoutePolicy", "true",
                    "camel.metrics.binders", "jvm-memory,jvm-gc,jvm-thread,class-loader,processor,uptime,jvm-info")
                    .forEach(main::addOverrideProperty);
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                CamelContext ctx = m.getCamelContext();
                // once every route runs (the groups' beans are there), as a service of the context: stopped with it
                try {
                    ctx.addStartupListener(listener(config));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot set up metrics, health checks and MBeans: " + e.getMessage(), e);
                }
            }
        });
    }

    private static ExtendedStartupListener listener(ObserveConfig config) {
        return new ExtendedStartupListener() {
                    @Override
                    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    }

                    @Override
                    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                        Observability o = new Observability(context, config);
                        context.getRegistry().bind(REGISTRY_NAME, Observability.class, o);
                        context.addService(o, true, true);
                    }
                };
    }

    /** The context's observability, or null when none was installed. */
    public static Observability of(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(REGISTRY_NAME, Observability.class);
    }

    /** The HTTP server's bound port, -1 without one. */
    public int httpPort() {
        return httpPort;
    }

    @Override
    protected void doStart() {
        GroupRuntimes.of(context).onGroup(this::add);
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
        if (config.http()) {
            LOG.info("metrics at http://{}:{}/metrics, health at http://{}:{}/health", config.host(), httpPort, config.host(), httpPort);
        }
    }

    private synchronized void add(GroupRuntime rt) {
        if (stopped) return;
        GroupView view = new GroupView(context, rt);
        TargetProbe probe = probe(view);
        GroupHealthCheck live = new GroupHealthCheck(view, config.lagCriticalMillis(), probe, false);
        GroupHealthCheck ready = new GroupHealthCheck(view, config.lagCriticalMillis(), probe, true);
        for (GroupHealthCheck c : List.of(live, ready)) {
            c.setCamelContext(context);
            if (health != null) health.register(c);
        }
        GroupMeters m = meters == null ? null : new GroupMeters(meters, view,
                () -> ready.call().getState() == org.apache.camel.health.HealthCheck.State.UP);
        if (m != null) m.refresh();
        ObjectName name = registerMBean(view, ready);
        groups.add(new Observed(view, m, List.of(live, ready), name));
        if (httpPort > 0) {
            try {
                HttpPortFile.write(rt.home(), rt.group(), httpPort);
            } catch (Exception e) {
                LOG.warn("{}: cannot write {}: {}", rt.group(), HttpPortFile.pathOf(rt.home(), rt.group()), e.toString());
            }
        }
    }

    /** A Replicat's database, a pump's remote host (RMTHOST, MGRPORT); null: nothing to probe. */
    private TargetProbe probe(GroupView view) {
        String kind = view.kind();
        if ("REPLICAT".equals(kind) && view.applier() != null) {
            return TargetProbe.jdbc(view.applier());
        }
        if ("PUMP".equals(kind) && view.group().equalsIgnoreCase(property("redotrail.pump.group"))) {
            String host = property("redotrail.pump.rmtHost");
            String port = property("redotrail.pump.mgrPort");
            if (!host.isBlank()) return TargetProbe.tcp(host, port.isBlank() ? 7809 : Integer.parseInt(port.trim()));
        }
        return null;
    }

    private String property(String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("");
    }

    private ObjectName registerMBean(GroupView view, GroupHealthCheck ready) {
        try {
            ObjectName name = new ObjectName("io.redotrail:type=Group,context=" + ObjectName.quote(context.getName())
                    + ",name=" + ObjectName.quote(view.group()));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) server.unregisterMBean(name); // left by a context of this name that did not stop
            server.registerMBean(new GroupControl(view, ready), name);
            return name;
        } catch (Exception e) {
            LOG.warn("{}: cannot register its MBean: {}", view.group(), e.toString());
            return null;
        }
    }

    private void refresh() {
        for (Observed o : groups) {
            try {
                if (o.meters() != null) o.meters().refresh();
            } catch (RuntimeException e) {
                LOG.debug("{}: meters not refreshed: {}", o.view().group(), e.toString());
            }
        }
    }

    @Override
    protected synchronized void doStop() {
        stopped = true;
        context.getExecutorServiceManager().shutdownNow(refresher);
        for (Observed o : groups) {
            String g = o.view().group();
            try {
                if (httpPort > 0) HttpPortFile.remove(o.view().runtime().home(), g);
                if (o.mbean() != null && ManagementFactory.getPlatformMBeanServer().isRegistered(o.mbean())) {
                    ManagementFactory.getPlatformMBeanServer().unregisterMBean(o.mbean());
                }
            } catch (Exception e) {
                LOG.warn("{}: cannot remove its HTTP port file or MBean: {}", g, e.toString());
            }
            if (health != null) o.checks().forEach(health::unregister);
        }
        if (meters != null) {
            for (Meter m : meters.getMeters()) {
                if (m.getId().getName().startsWith(GroupMeters.M)) meters.remove(m);
            }
        }
        groups.clear();
    }

    /** The port the management server listens on (its configured port may be 0: ephemeral). */
    private static int boundPort(CamelContext context) {
        for (VertxPlatformHttpServer s : context.hasServices(VertxPlatformHttpServer.class)) {
            if (s.getServer() != null) return s.getPort();
        }
        throw new IllegalStateException("the management HTTP server (camel.management.*) did not start");
    }
}
