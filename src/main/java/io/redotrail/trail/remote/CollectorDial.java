package io.redotrail.trail.remote;

import io.redotrail.core.TrailPosition;
import io.redotrail.net.FrameCodec;
import io.redotrail.net.Link;
import io.redotrail.net.LinkOptions;
import io.redotrail.net.LinkSockets;

import java.io.IOException;
import java.net.Socket;

/**
 * One attempt of a pump to reach its collector: ask the target's Manager for one ({@link ManagerRequest}), connect
 * to the port it names, send HELLO, receive READY. {@link #phase} says how far the attempt got — connect, send,
 * receive: the message id of a failure — and {@link #port} the collector's port once known. What no retry can mend
 * (a TLS setting on one side only, the collector's ERROR) is a {@link Refusal}; a failure the next attempt may
 * not meet is an {@link IOException} or {@link RemoteProtocol.ProtocolException}, for TCPERRS. Not thread-safe.
 */
final class CollectorDial {
    /** The other side refused, for a reason the next attempt meets again: the group abends with {@link #id()}. */
    static final class Refusal extends RuntimeException {
        private final String id;

        Refusal(String id, String text) {
            super(text);
            this.id = id;
        }

        String id() {
            return id;
        }
    }

    private final RemoteTrailSink.Target target;
    String phase = "connect";
    int port;
    RemoteProtocol.Ready ready;

    CollectorDial(RemoteTrailSink.Target target) {
        this.target = target;
    }

    /** The connected link after READY ({@link #ready}); on a failure, nothing stays open. */
    Link dial(LinkOptions options, TrailPosition durable, int timeoutMillis) throws IOException {
        Link l = null;
        try {
            ManagerRequest.Collector c = ManagerRequest.collector(target);
            port = c.port(); // a failure from here on names the collector's endpoint
            if (c.tls() != (options.tls() != null)) throw tlsMismatch(c.tls());
            LinkOptions timed = options.withTimeout(timeoutMillis);
            Socket socket = LinkSockets.connect(target.host(), port, timed);
            l = new Link(socket, "collector " + target.host() + ":" + port, timed);
            phase = "send";
            l.send(RemoteProtocol.HELLO, new RemoteProtocol.Hello(RemoteProtocol.VERSION, target.group(), target.trail(),
                    target.maxFileBytes(), durable).encode());
            l.flush();
            phase = "receive";
            FrameCodec.Frame f = l.receive();
            refusedIfError(f, l, target);
            if (f.type() != RemoteProtocol.READY) {
                throw new RemoteProtocol.ProtocolException(l.peer() + " sent message type " + f.type() + " instead of READY (2)");
            }
            ready = RemoteProtocol.Ready.decode(f, l.peer());
            Link connected = l;
            l = null;
            return connected;
        } finally {
            if (l != null) l.close();
        }
    }

    /** One side speaks TLS, the other not: no retry can fix that, the operator must change one side. */
    private Refusal tlsMismatch(boolean collectorTls) {
        return new Refusal("OGG-01224", collectorTls
                ? "RTR-01621 the collector for " + target.trail() + " at " + target.host() + " speaks TLS (COLLECTORTLS in its mgr.prm)"
                  + " and this pump does not: add TLS, TLSTRUSTALIAS alias to RMTHOST (docs/security.md)"
                : "RTR-01621 this pump speaks TLS (RMTHOST ..., TLS) and the collector for " + target.trail() + " at " + target.host()
                  + " does not: set COLLECTORTLS in the target's mgr.prm (docs/security.md), or remove TLS here");
    }

    /**
     * An ERROR frame is the collector's refusal of this pump, decided from the HELLO and the trail itself: another
     * pump's trail, another protocol version, a trail name the Manager did not start it for, a transaction the
     * trail already holds. The next connection sends the same HELLO to the same trail and gets the same answer, so
     * it abends at once (unlike an unexpected frame, {@link RemoteProtocol.ProtocolException}, which TCPERRS EPROTO
     * retries: a stray program on the port, a collector that died mid-message). The link is closed.
     */
    static void refusedIfError(FrameCodec.Frame f, Link l, RemoteTrailSink.Target target) {
        if (f.type() == RemoteProtocol.ERROR) {
            String why = RemoteProtocol.text(f, l.peer());
            l.close();
            throw new Refusal("OGG-01232", "Receive TCP params error: the collector for " + target.trail() + " at " + l.peer()
                    + " refused: " + why);
        }
    }
}
