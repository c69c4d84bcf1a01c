package io.redotrail.cli.ggsci;

import io.redotrail.report.ControlClient;
import io.redotrail.control.manager.Manager;
import io.redotrail.control.manager.MgrParams;
import io.redotrail.control.params.ParamException;
import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * GGSCI's side of the Manager (contracts 3 and 4 of issue #11): the Manager holds the OS lock on
 * {@code dirchk/MGR.pid} while it runs ({@link GroupLock}, group name MGR) and writes its {@code pid=} and
 * {@code port=}, {@code address=} (LISTENADDRESS) and {@code stopTimeoutSeconds=} there. GGSCI connects to that
 * address and port, else to where {@code dirprm/mgr.prm} says a Manager would listen (PORT, default 7809). One request line per connection ({@code START EXT1}, {@code STOP EXT1}, {@code KILL EXT1}, {@code INFO}),
 * the reply printed as the Manager words it; a reply whose first line starts with {@code ERROR:} is a failure.
 * Stateless.
 */
final class ManagerClient {
    static final String GROUP = Manager.PID_GROUP;
    /** GGSCI's wait for a reply when the Manager does not record its stop timeout (one from before it did). */
    static final int DEFAULT_REPLY_MILLIS = 180_000;
    /** Beyond the Manager's stop timeout: its KILL-free refusal and the exit event still reach GGSCI. */
    static final int REPLY_MARGIN_MILLIS = 60_000;

    /**
     * Where the Manager listens ({@code address} null = loopback), which file said so, and how long to wait for its
     * reply: more than the Manager waits for a group to stop, so STOP's answer is not cut off.
     */
    record Endpoint(String address, int port, String source, int replyMillis) {
        /** The address to connect to: the Manager's LISTENADDRESS; loopback when it listens on every interface. */
        InetAddress connectTo() throws IOException {
            if (address == null || address.isBlank()) return InetAddress.getLoopbackAddress();
            InetAddress a = InetAddress.getByName(address.trim());
            return a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
        }
    }

    private ManagerClient() {
    }

    /** True while a Manager process holds the lock on {@code dirchk/MGR.pid}. */
    static boolean running(Path home) {
        return GroupLock.held(home, GROUP);
    }

    /** The Manager's pid as its pid file says, or -1. */
    static long pid(Path home) {
        return PidFile.fields(home, GROUP).map(p -> parseLong(p.getProperty("pid", "-1").trim())).orElse(-1L);
    }

    static Endpoint endpoint(Path home) {
        Optional<Properties> pid = PidFile.fields(home, GROUP);
        long port = pid.map(p -> parseLong(p.getProperty("port", "-1").trim())).orElse(-1L);
        if (port > 0) {
            long stopSeconds = parseLong(pid.get().getProperty("stopTimeoutSeconds", "-1").trim());
            int reply = stopSeconds < 0 ? DEFAULT_REPLY_MILLIS
                    : (int) Math.min(Integer.MAX_VALUE, stopSeconds * 1000 + REPLY_MARGIN_MILLIS);
            return new Endpoint(pid.get().getProperty("address"), (int) port, "dirchk/MGR.pid", reply);
        }
        // no Manager has written its port: where one would listen, by the same reading of mgr.prm the Manager does
        boolean prm = Files.exists(MgrParams.fileOf(home));
        MgrParams params = MgrParams.read(home);
        return new Endpoint(params.listenAddress(), params.port(), prm ? "dirprm/mgr.prm" : "default port", DEFAULT_REPLY_MILLIS);
    }

    /**
     * Sends one request; the reply. A Manager that is not running (its lock free, or nothing listening) is
     * contract 4's error.
     */
    static String send(GgsciContext ctx, String request) throws IOException {
        Endpoint e = endpointOrDefault(ctx);
        Optional<String> reply = running(ctx.home()) ? ControlClient.request(e.connectTo(), e.port(), request, e.replyMillis())
                : Optional.empty();
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

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
