package io.redotrail.it.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP echo server for the self-tests of {@link FaultProxy} and {@link Netns}: every connection gets back every
 * byte it sends, in order. It counts the bytes it received and its reads (a split stream arrives in more reads).
 * As a program ({@code main}), run inside a namespace: {@code server ADDRESS PORT} echoes until killed and prints
 * "listening" once bound; {@code client ADDRESS PORT BYTES} sends seeded bytes, checks the echo and prints
 * "echo ok BYTES"; the server prints "connection from ADDRESS:PORT" for each connection. Thread-safety: one thread per connection; the counters are atomic.
 */
public final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean logConnections;

    public EchoServer(InetSocketAddress address) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 50);
        Thread t = new Thread(this::acceptLoop, "echo-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public long received() {
        return received.get();
    }

    public int reads() {
        return reads.get();
    }

    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                if (logConnections) {
                    System.out.println("connection from " + s.getRemoteSocketAddress());
                    System.out.flush();
                }
                Thread t = new Thread(() -> echo(s), "echo-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                reads.incrementAndGet();
                received.addAndGet(n);
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the peer dropped or reset: that is what the faults do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** {@code n} bytes from a seeded generator. */
    public static byte[] payload(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Sends {@code data} on {@code s} and reads the same number of bytes back (while sending: no deadlock). */
    public static byte[] roundTrip(Socket s, byte[] data) throws IOException {
        IOException[] failed = new IOException[1];
        Thread writer = new Thread(() -> {
            try {
                s.getOutputStream().write(data);
                s.getOutputStream().flush();
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        writer.start();
        byte[] back = s.getInputStream().readNBytes(data.length);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failed[0] != null) throw failed[0];
        return back;
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        if (args[0].equals("server")) {
            try (EchoServer e = new EchoServer(address)) {
                e.logConnections = true;
                System.out.println("listening " + e.server.getLocalSocketAddress());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        } else {
            byte[] data = payload(42, Integer.parseInt(args[3]));
            try (Socket s = new Socket()) {
                s.connect(address, 10_000);
                s.setSoTimeout(30_000);
                byte[] back = roundTrip(s, data);
                System.out.println(Arrays.equals(data, back) ? "echo ok " + back.length
                        : "echo differs: sent " + data.length + " bytes, got " + back.length);
            }
        }
    }
}
