package io.redotrail.observe.web;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Manager's HTTP side (mgr.prm HTTPPORT): a CamelContext of its own holding Camel's embedded HTTP server
 * ({@link MainHttpServer}, the one {@code camel-platform-http-main} gives Camel Main) on {@code host:port}, with
 * the page installed as in {@code run} ({@link LivePage#install}, {@code /metrics} included) and the Manager's
 * {@code /health} ({@link ManagerHealth}). Its own context,
 * not shared with anything else the Manager does: the Manager runs no routes, and a page that fails leaves
 * starting, stopping and watching groups untouched. Thread-safe.
 */
public final class LiveServer implements AutoCloseable {
    private final CamelContext context;
    private final MainHttpServer server;

    private LiveServer(CamelContext context, MainHttpServer server) {
        this.context = context;
        this.server = server;
    }

    /**
     * Binds {@code host:port} (0: any free port) and starts sampling. {@code lagCriticalMillis}: mgr.prm's
     * LAGCRITICAL* for {@code /health/ready}, -1 when not set.
     *
     * @throws IllegalStateException when the server cannot start (the port is taken), with the reason
     */
    public static LiveServer start(Path home, String host, int port, Supplier<List<GroupRef>> groups,
                                   long lagCriticalMillis) {
        if (port != 0) checkFree(host, port);
        CamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName("redotrail-live-page");
        MainHttpServer server = new MainHttpServer();
        server.setCamelContext(ctx);
        server.setHost(host);
        server.setPort(port);
        server.setPath("/");
        try {
            ctx.addService(server, true, true);
            LivePage.install(ctx, home, groups, true);
            ctx.addRoutes(new ManagerHealth(home, groups, lagCriticalMillis));
            ctx.start();
        } catch (Exception e) {
            ctx.stop();
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new IllegalStateException(root.getMessage() == null ? root.toString() : root.getMessage(), e);
        }
        return new LiveServer(ctx, server);
    }

    /**
     * Camel's server logs a failed bind and starts without listening, so a port in use would go unnoticed: it is
     * tried here first, the way the server binds it (the moment between the two is no guarantee, only a clear
     * refusal for the common mistake of a port something else holds).
     */
    private static void checkFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as the server binds: a port left in TIME_WAIT by a stopped Manager is free
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The port the server is bound to (HTTPPORT, or the one the system chose for HTTPPORT 0). */
    public int port() {
        return server.getRouter().getServer().getPort();
    }

    @Override
    public void close() {
        context.stop();
    }
}
