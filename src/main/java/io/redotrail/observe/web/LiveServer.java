package io.redotrail.observe.web;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.impl.DefaultCamelContext;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Manager's HTTP side (mgr.prm HTTPPORT): a CamelContext of its own holding Camel's embedded HTTP server
 * ({@link MainHttpServer}, the one {@code camel-platform-http-main} gives Camel Main) on {@code host:port} and the
 * {@link LivePage} routes, plus one daemon thread that samples the groups into the {@link History} every
 * {@link LivePage#SAMPLE_MILLIS}. Its own context, not the Manager's: the Manager runs no routes, and a page that
 * fails leaves starting, stopping and watching groups untouched. Thread-safe.
 */
public final class LiveServer implements AutoCloseable {
    private final CamelContext context;
    private final MainHttpServer server;
    private final ScheduledExecutorService sampler;

    private LiveServer(CamelContext context, MainHttpServer server, ScheduledExecutorService sampler) {
        this.context = context;
        this.server = server;
        this.sampler = sampler;
    }

    /**
     * Binds {@code host:port} (0: any free port) and starts sampling.
     *
     * @throws IllegalStateException when the server cannot start (the port is taken), with the reason
     */
    public static LiveServer start(Path home, String host, int port, Supplier<List<GroupRef>> groups) {
        History history = new History(home);
        CamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName("redotrail-live-page");
        MainHttpServer server = new MainHttpServer();
        server.setCamelContext(ctx);
        server.setHost(host);
        server.setPort(port);
        server.setPath("/");
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-page-sampler");
            t.setDaemon(true);
            return t;
        });
        try {
            ctx.addService(server, true, true);
            ctx.addRoutes(new LivePage(home, groups, history, true));
            ctx.start();
        } catch (Exception e) {
            sampler.shutdownNow();
            ctx.stop();
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new IllegalStateException(root.getMessage() == null ? root.toString() : root.getMessage(), e);
        }
        sampler.scheduleWithFixedDelay(() -> {
            try {
                long now = System.currentTimeMillis();
                history.sample(StatusRow.all(home, groups.get(), now), now);
            } catch (RuntimeException e) {
                // a checkpoint file being replaced, a group being deleted: the next sample sees it settled
            }
        }, 0, LivePage.SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        return new LiveServer(ctx, server, sampler);
    }

    /** The port the server is bound to (HTTPPORT, or the one the system chose for HTTPPORT 0). */
    public int port() {
        return server.getRouter().getServer().getPort();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        context.stop();
    }
}
