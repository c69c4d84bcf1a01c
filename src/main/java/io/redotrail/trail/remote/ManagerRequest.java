package io.redotrail.trail.remote;

import io.redotrail.net.LinkOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The pump's request to the target Manager (its control protocol: one line, the reply text, the connection
 * closes): {@code COLLECTOR ./dirdat/ha PUMHA} → the port of a collector started for that trail, alone on the
 * reply line; {@code ERROR: ...} when the Manager refuses. Plain TCP, as GGSCI talks to a Manager. Stateless.
 */
public final class ManagerRequest {
    /** The Manager must start a JVM before it replies: give it this long at least. */
    private static final int MIN_REPLY_MILLIS = 120_000;

    private ManagerRequest() {
    }

    /** The Manager answered with an error (not a TCP failure): the text after {@code ERROR:}. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Asks for a collector of {@code t.trail()}; its port. A collector that could not start is an IOException,
     * retried as TCPERRS says (NODYNPORTS: no free DYNAMICPORTLIST port; else ECONNABORTED); a request the Manager
     * refuses for good (a trail name it does not accept) is {@link Refused}.
     */
    static int collector(RemoteTrailSink.Target t, LinkOptions options) throws IOException {
        String reply;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(t.host(), t.mgrPort()), options.connectTimeoutMillis());
            s.setSoTimeout(Math.max(MIN_REPLY_MILLIS, (int) Math.min(Integer.MAX_VALUE, t.timeoutSeconds() * 1000L)));
            OutputStream out = s.getOutputStream();
            out.write(("COLLECTOR " + t.trail() + " " + t.group() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            reply = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (reply.startsWith("ERROR:")) {
            String why = reply.substring("ERROR:".length()).strip();
            if (why.startsWith("NODYNPORTS")) throw new java.net.BindException(why);
            if (why.contains("must be ./dirdat/") || why.startsWith("COLLECTOR takes")) throw new Refused(why);
            // the collector did not start or listen this time (its JVM, the previous one still dying): retried
            throw new java.net.SocketException("Manager at " + t.endpoint() + " could not start a collector: " + why);
        }
        if (reply.isEmpty()) throw new java.io.EOFException("Manager at " + t.endpoint() + " closed the connection without a reply");
        try {
            int port = Integer.parseInt(reply);
            if (port < 1 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new Refused("unexpected reply to COLLECTOR: " + reply);
        }
    }
}
