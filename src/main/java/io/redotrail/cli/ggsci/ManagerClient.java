package io.redotrail.cli.ggsci;

import io.redotrail.control.params.Param;
import io.redotrail.control.params.ParamException;
import io.redotrail.control.params.ParamFile;
import io.redotrail.report.GroupLock;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * GGSCI's side of the Manager (contracts 3 and 4 of issue #11): the Manager holds the OS lock on
 * {@code dirchk/MGR.pid} while it runs ({@link GroupLock}, group name MGR) and writes its {@code pid=} and
 * {@code port=} there. The port is taken from that file, else from {@code PORT} in {@code dirprm/mgr.prm}, else
 * 7809. One request line per connection ({@code START EXT1}, {@code STOP EXT1}, {@code KILL EXT1}, {@code INFO}),
 * the reply printed as the Manager words it; a reply whose first line starts with {@code ERROR:} is a failure.
 * Stateless.
 */
final class ManagerClient {
    static final String GROUP = "MGR";
    static final int DEFAULT_PORT = 7809;

    /** Where the Manager listens and which file said so. */
    record Endpoint(int port, String source) {
    }

    private ManagerClient() {
    }

    /** True while a Manager process holds the lock on {@code dirchk/MGR.pid}. */
    static boolean running(Path home) {
        return GroupLock.held(home, GROUP);
    }

    /** The Manager's pid as its pid file says, or -1. */
    static long pid(Path home) {
        return pidFile(home).map(p -> p.getProperty("pid", "-1").trim()).map(ManagerClient::parseLong).orElse(-1L);
    }

    static Endpoint endpoint(Path home) {
        Optional<Long> port = pidFile(home).map(p -> p.getProperty("port")).map(String::trim).map(ManagerClient::parseLong)
                .filter(p -> p > 0);
        if (port.isPresent()) return new Endpoint(port.get().intValue(), "dirchk/MGR.pid");
        Path prm = home.resolve("dirprm").resolve("mgr.prm");
        if (Files.exists(prm)) {
            Param p = ParamFile.read(prm).last("PORT");
            if (p != null) {
                try {
                    return new Endpoint(Integer.parseInt(p.value().trim()), "dirprm/mgr.prm");
                } catch (NumberFormatException e) {
                    throw p.error("PORT must be a number, got '" + p.value() + "'");
                }
            }
        }
        return new Endpoint(DEFAULT_PORT, "default port");
    }

    /**
     * Sends one request; the reply. A Manager that is not running (its lock free, or nothing listening) is
     * contract 4's error.
     */
    static String send(GgsciContext ctx, String request) throws IOException {
        Endpoint e = endpointOrDefault(ctx);
        Optional<String> reply = running(ctx.home()) ? ControlClient.request(e.port(), request, 180_000) : Optional.empty();
        return reply.orElseThrow(() -> notRunning(ctx, e));
    }

    /** Contract 4's error unless the Manager holds its lock (checked before anything is printed for a request). */
    static void requireRunning(GgsciContext ctx) {
        if (!running(ctx.home())) throw notRunning(ctx, endpointOrDefault(ctx));
    }

    private static Endpoint endpointOrDefault(GgsciContext ctx) {
        try {
            return endpoint(ctx.home());
        } catch (ParamException pe) {
            throw new GgsciException(pe.getMessage());
        }
    }

    static GgsciException notRunning(GgsciContext ctx, Endpoint e) {
        return new GgsciException("Manager is not running on port " + e.port() + " (" + e.source() + "): start it with"
                + " bin/redotrail mgr --home " + ctx.home() + ".");
    }

    /** True when the reply reports a failure (its first line starts with ERROR:). */
    static boolean failed(String reply) {
        return reply.stripLeading().startsWith("ERROR:");
    }

    private static Optional<Properties> pidFile(Path home) {
        return GroupLock.read(home, GROUP).map(text -> {
            Properties p = new Properties();
            try {
                p.load(new StringReader(text));
            } catch (IOException e) {
                return null;
            }
            return p;
        });
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
