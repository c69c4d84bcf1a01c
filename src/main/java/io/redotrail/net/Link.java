package io.redotrail.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One connection of the pump–collector link: frames ({@link FrameCodec}) over a socket made by
 * {@link LinkSockets}. Sending buffers until {@link #flush}; receiving blocks up to the socket's read timeout
 * ({@link java.net.SocketTimeoutException}). A socket write has no timeout of its own, so with
 * {@link LinkOptions#timeoutMillis()} a watchdog thread closes the socket when a send or flush makes no progress
 * that long (a peer or proxy that stopped reading), and the sender gets a SocketTimeoutException. Not
 * thread-safe: one thread sends and receives (the watchdog only closes).
 */
public final class Link implements AutoCloseable {
    private final Socket socket;
    private final String peer;
    private final FrameCodec codec;
    private final DataInputStream in;
    private final OutputStream out;
    private final int timeoutMillis;
    private final java.util.concurrent.ScheduledExecutorService watchdog;
    /** System.nanoTime() when the send in progress started its last socket write; 0 when none is in progress. */
    private volatile long writing;
    private volatile boolean stalled;

    public Link(Socket socket, String peer, LinkOptions options) throws IOException {
        this.socket = socket;
        this.peer = peer;
        this.codec = new FrameCodec(peer, options.compression());
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.timeoutMillis = options.timeoutMillis();
        OutputStream raw = socket.getOutputStream();
        // each chunk handed to the socket restarts the clock: a slow peer is fine, a stopped one is not
        OutputStream timed = new java.io.FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writing = System.nanoTime();
                raw.write(b, off, len);
            }
        };
        this.out = new BufferedOutputStream(timed, 1 << 16);
        if (timeoutMillis > 0) {
            watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "link-watchdog " + peer);
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(50, Math.min(1000, timeoutMillis / 4));
            watchdog.scheduleWithFixedDelay(this::check, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
            watchdog = null;
        }
    }

    private void check() {
        long w = writing;
        if (w != 0 && System.nanoTime() - w > timeoutMillis * 1_000_000L) {
            stalled = true;
            close();
        }
    }

    public void send(int type, byte[] payload) throws IOException {
        send(type, payload, 0, payload.length);
    }

    public void send(int type, byte[] payload, int off, int len) throws IOException {
        try {
            codec.write(out, type, payload, off, len);
        } catch (IOException e) {
            throw stalledOr(e);
        } finally {
            writing = 0;
        }
    }

    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw stalledOr(e);
        } finally {
            writing = 0;
        }
    }

    private IOException stalledOr(IOException e) {
        if (!stalled) return e;
        java.net.SocketTimeoutException t = new java.net.SocketTimeoutException("no progress sending to " + peer + " for "
                + timeoutMillis / 1000.0 + " s: the peer stopped reading (timed out)");
        t.initCause(e);
        return t;
    }

    public FrameCodec.Frame receive() throws IOException {
        return codec.read(in);
    }

    /** Changes the read timeout (0 = wait forever). */
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public String peer() {
        return peer;
    }

    public FrameCodec codec() {
        return codec;
    }

    @Override
    public void close() {
        if (watchdog != null) watchdog.shutdown();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a failed connection: nothing left to tell
        }
    }
}
