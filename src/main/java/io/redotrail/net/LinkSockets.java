package io.redotrail.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * The one place the link's sockets are made, client and server side (TLS wraps them here). Stateless.
 */
public final class LinkSockets {
    private LinkSockets() {
    }

    /** A connected client socket to {@code host:port}, with TCP_NODELAY (one ack per batch waits on it) and keep-alive. */
    public static Socket connect(String host, int port, LinkOptions options) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), options.connectTimeoutMillis());
            s.setSoTimeout(options.timeoutMillis());
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * A listening socket on {@code address}, on the first port of {@code ports} that is free (an empty list: an
     * ephemeral port). {@link java.net.BindException} when none is free, naming the ports tried.
     */
    public static ServerSocket listen(InetAddress address, List<Integer> ports, LinkOptions options) throws IOException {
        if (ports.isEmpty()) return bind(address, 0);
        IOException last = null;
        for (int p : ports) {
            try {
                return bind(address, p);
            } catch (IOException e) {
                last = e;
            }
        }
        java.net.BindException b = new java.net.BindException("no free port on " + address.getHostAddress() + " among " + ports
                + " (DYNAMICPORTLIST): " + (last == null ? "" : last.getMessage()));
        if (last != null) b.initCause(last);
        throw b;
    }

    private static ServerSocket bind(InetAddress address, int port) throws IOException {
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(address, port), 4);
            return ss;
        } catch (IOException e) {
            ss.close();
            throw e;
        }
    }

    /** Accepts one connection with TCP_NODELAY and the options' read timeout. */
    public static Socket accept(ServerSocket server, LinkOptions options) throws IOException {
        Socket s = server.accept();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSoTimeout(options.timeoutMillis());
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
