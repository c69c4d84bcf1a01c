package io.redotrail.trail.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The pump's request to the target Manager (its control protocol: one line, the reply text, the connection
 * closes): {@code COLLECTOR ./dirdat/ha PUMHA} → the port of a collector started for that trail, alone on the
 * reply line; {@code ERROR: ...} when the Manager refuses. Plain TCP, as GGSCI talks to a Manager.
 * <p>
 * Bounded by RMTHOST's TIMEOUT: the connect, and each read of the reply, wait at most TIMEOUT. The Manager sends a
 * blank every second while it stops the trail's previous collector and starts the new one's JVM (at most 30 s +
 * 90 s), so a slow JVM start is waited for however short TIMEOUT is, while a Manager link that died half-open
 * ends after TIMEOUT (ETIMEDOUT, retried as TCPERRS says). The whole reply is waited for at most TIMEOUT plus
 * those 120 s. Stateless.
 */
public final class ManagerRequest {
    /** The Manager's own bounds for stopping a trail's previous collector and starting a new one (CollectorLauncher). */
    static final long MANAGER_START_MILLIS = 120_000;

    private ManagerRequest() {
    }

    /** The Manager answered with an error (not a TCP failure): the text after {@code ERROR:}. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** The Manager's answer: the collector's port, and whether it speaks TLS (mgr.prm's COLLECTORTLS). */
    record Collector(int port, boolean tls) {
    }

    /**
     * Asks for a collector of {@code t.trail()}. A collector that could not start is an IOException, retried as
     * TCPERRS says (NODYNPORTS: no free DYNAMICPORTLIST port; else ECONNABORTED); a request the Manager refuses for
     * good (a trail name it does not accept) is {@link Refused}.
     */
    static Collector collector(RemoteTrailSink.Target t) throws IOException {
        String reply;
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, t.timeoutSeconds()) * 1000L);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(t.host(), t.mgrPort()), timeout);
            s.setSoTimeout(timeout); // each read: the Manager's blanks keep a slow start alive, a dead link ends here
            OutputStream out = s.getOutputStream();
            out.write(("COLLECTOR " + t.trail() + " " + t.group() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            reply = read(s.getInputStream(), System.currentTimeMillis() + timeout + MANAGER_START_MILLIS, t);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no reply from the Manager at " + t.endpoint() + " within TIMEOUT " + t.timeoutSeconds() + " s");
        }
        if (reply.startsWith("ERROR:")) {
            String why = reply.substring("ERROR:".length()).strip();
            if (why.startsWith("NODYNPORTS")) throw new java.net.BindException(why);
            // no retry mends these: a trail name the Manager does not accept, a trail another pump owns (RTR-01205)
            if (why.contains("must be ./dirdat/") || why.startsWith("COLLECTOR takes") || why.startsWith("RTR-01205")) throw new Refused(why);
            // the collector did not start or listen this time (its JVM, the previous one still dying): retried
            throw new java.net.SocketException("Manager at " + t.endpoint() + " could not start a collector: " + why);
        }
        if (reply.isEmpty()) throw new java.io.EOFException("Manager at " + t.endpoint() + " closed the connection without a reply");
        boolean tls = reply.endsWith(" TLS");
        try {
            int port = Integer.parseInt(tls ? reply.substring(0, reply.length() - 4) : reply);
            if (port < 1 || port > 65535) throw new NumberFormatException();
            return new Collector(port, tls);
        } catch (NumberFormatException e) {
            throw new Refused("unexpected reply to COLLECTOR: " + reply);
        }
    }

    /** The reply up to the end of the stream, each read bounded by the socket's timeout, the whole by {@code deadline}. */
    private static String read(InputStream in, long deadline, RemoteTrailSink.Target t) throws IOException {
        java.io.ByteArrayOutputStream reply = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[512];
        for (int n; (n = in.read(buf)) >= 0; ) {
            reply.write(buf, 0, n);
            if (System.currentTimeMillis() > deadline) {
                throw new SocketTimeoutException("the Manager at " + t.endpoint() + " has not replied within TIMEOUT "
                        + t.timeoutSeconds() + " s + " + MANAGER_START_MILLIS / 1000 + " s for a collector's start");
            }
        }
        return reply.toString(StandardCharsets.UTF_8).strip();
    }
}
