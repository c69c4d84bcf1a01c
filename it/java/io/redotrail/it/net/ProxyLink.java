package io.redotrail.it.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One proxied TCP connection of {@link FaultProxy}: the accepted client socket, the socket to the target and one
 * forwarding thread per direction. Bytes are forwarded in order and unchanged; a fault only delays them (stall,
 * half-open), cuts them into pieces (split) or ends the connection (drop, reset) — never alters or loses a byte of
 * a connection that stays up, as TCP itself would not. An end of stream is passed on as a half-close; an error on
 * either side closes both. Thread-safety: fault methods may be called from any thread; the fault state is volatile
 * and the holding threads wait on this object's monitor.
 */
final class ProxyLink {
    /** Which way bytes travel: from the connecting client to the target, or back. */
    enum Direction { TO_TARGET, TO_CLIENT }

    final int id;
    final String route;
    private final Socket client;
    private final Socket server;
    private final FaultProxy proxy;
    private final long seed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int directionsDone; // guarded by this

    private volatile long stallUntil;      // nanoTime; both directions hold until then
    private volatile long splitUntil;      // nanoTime; writes are cut into random pieces until then
    private final AtomicBoolean splitPending = new AtomicBoolean(); // the split fault is counted at its first cut
    private volatile Direction halfOpen;   // this direction holds until the link is closed
    private volatile String ended;         // which endpoint closed or reset its side first, if one did

    ProxyLink(int id, String route, Socket client, Socket server, FaultProxy proxy, long seed) {
        this.id = id;
        this.route = route;
        this.client = client;
        this.server = server;
        this.proxy = proxy;
        this.seed = seed;
    }

    void start() {
        thread(Direction.TO_TARGET, client, server).start();
        thread(Direction.TO_CLIENT, server, client).start();
    }

    private Thread thread(Direction d, Socket from, Socket to) {
        Thread t = new Thread(() -> forward(d, from, to), "fault-proxy-link" + id + "-" + d);
        t.setDaemon(true);
        return t;
    }

    /** Which endpoint closed or reset its side before the proxy closed the link; null when none did. */
    String endedBy() {
        return ended;
    }

    /** Open, not half-open and no endpoint has ended it: a new fault here would be a fault of its own. */
    boolean faultable() {
        return !closed.get() && halfOpen == null && ended == null;
    }

    boolean isOpen() {
        return !closed.get();
    }

    private void forward(Direction d, Socket from, Socket to) {
        // each direction its own generator: the cut points depend on the seed and the bytes, not on thread timing
        Random random = new Random(seed * 31 + d.ordinal());
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    if (ended == null) ended = d == Direction.TO_TARGET ? "the client (FIN)" : "the target (FIN)";
                    to.shutdownOutput(); // the client's FIN reaches the target (and back)
                    break;
                }
                hold(d);
                if (System.nanoTime() - splitUntil < 0 && n > 1) {
                    int pieces = writeSplit(out, buf, n, random);
                    if (pieces > 1 && splitPending.compareAndSet(true, false)) proxy.applied(FaultProxy.Fault.SPLIT, this, "first cut write in " + pieces + " pieces");
                } else {
                    out.write(buf, 0, n);
                }
                proxy.forwarded(d, n);
            }
        } catch (IOException | InterruptedException e) {
            if (!closed.get() && ended == null) ended = "an endpoint (" + e.getMessage() + ")"; // before the proxy closed anything
            close(false);
        } finally {
            directionDone();
        }
    }

    /** The bytes in random pieces (1..97 bytes, now and then one byte) with 0..2 ms between them. */
    private static int writeSplit(OutputStream out, byte[] buf, int n, Random random) throws IOException {
        int pieces = 0;
        for (int off = 0; off < n; pieces++) {
            int len = Math.min(n - off, random.nextInt(8) == 0 ? 1 : 1 + random.nextInt(97));
            out.write(buf, off, len);
            out.flush();
            off += len;
            if (off < n) LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(2000)));
        }
        return pieces;
    }

    /** Holds the bytes just read while the link is stalled, or for good when this direction is half-open. */
    private synchronized void hold(Direction d) throws InterruptedException, IOException {
        while (true) {
            if (closed.get()) throw new IOException("link " + id + " closed");
            long wait = halfOpen == d ? Long.MAX_VALUE : stallUntil - System.nanoTime();
            if (wait <= 0) return;
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    private synchronized void directionDone() {
        if (++directionsDone == 2) close(false);
    }

    /** Closes both sockets; {@code reset}: with SO_LINGER 0, so both peers get an RST instead of a FIN. */
    boolean close(boolean reset) {
        if (!closed.compareAndSet(false, true)) return false;
        for (Socket s : new Socket[] {client, server}) {
            try {
                if (reset) s.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // already closed by the peer: close() below is all that is left
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
        synchronized (this) {
            notifyAll();
        }
        proxy.closed(this);
        return true;
    }

    void stall(long millis) {
        stallUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    void split(long millis) {
        splitPending.set(true);
        splitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** False when the link is half-open already (a second one would not be a second fault). */
    synchronized boolean halfOpen(Direction d) {
        if (halfOpen != null) return false;
        halfOpen = d;
        return true;
    }

    @Override
    public String toString() {
        return "link#" + id + " " + route;
    }
}
