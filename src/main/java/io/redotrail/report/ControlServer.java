package io.redotrail.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A control channel: a TCP listener (a group's: 127.0.0.1, ephemeral port; the Manager's: its PORT and address).
 * Protocol: the client sends one line ({@code SHOWTRANS}, {@code SKIPTRANS 10.16.1533 FORCE}, {@code START EXT1}
 * ...), the server writes the reply text and closes the connection; a reply whose first line starts with
 * {@code ERROR:} is a failure; a slow handler ({@link ControlHandler.Slow}) may send blanks ahead of it. Words are split at blanks and commas, the first (the verb) upper-cased. One daemon
 * thread accepts connections and answers them one at a time, or each on a daemon thread of its own
 * ({@code concurrent}; the handlers must then be thread-safe). Thread-safe.
 */
public final class ControlServer implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicReference<Runnable> afterReply = new java.util.concurrent.atomic.AtomicReference<>();
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final ServerSocket socket;
    private final Function<String, ControlHandler> handlers;
    private final String name;
    private final Thread thread;
    private final boolean concurrent;

    ControlServer(String name, Function<String, ControlHandler> handlers) throws IOException {
        this(name, InetAddress.getLoopbackAddress(), 0, handlers, false);
    }

    /**
     * Listens on {@code address}:{@code port} (0: ephemeral) and answers with the handler of each verb (null: the
     * verb is refused). {@code concurrent}: each request is answered on a thread of its own (a Manager's STOP waits
     * for the group to exit; INFO must not wait behind it); otherwise one at a time on the accepting thread.
     *
     * @throws IOException when the port cannot be bound (in use, no such address)
     */
    public ControlServer(String name, InetAddress address, int port, Function<String, ControlHandler> handlers,
                         boolean concurrent) throws IOException {
        this.name = name;
        this.concurrent = concurrent;
        this.handlers = handlers;
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(new java.net.InetSocketAddress(address, port), 10);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        this.socket = ss;
        this.thread = new Thread(this::loop, "control-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code action} once, after the reply being written now has been sent (FORCESTOP: exit after replying). */
    public void afterReply(Runnable action) {
        afterReply.set(action);
    }

    /** Takes the action {@link #afterReply} left for the current reply (null: none), for a reply not sent here. */
    Runnable takeAfterReply() {
        return afterReply.getAndSet(null);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public InetAddress address() {
        return socket.getInetAddress();
    }

    private void loop() {
        while (!socket.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) LOG.warn("{}: control connection failed: {}", name, e.toString());
                continue;
            }
            if (concurrent) {
                Thread t = new Thread(() -> serve(s), "control-" + name + "-request");
                t.setDaemon(true);
                t.start();
            } else {
                serve(s);
            }
        }
    }

    private void serve(Socket connection) {
        try (Socket s = connection) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            OutputStream out = s.getOutputStream();
            String reply = line == null ? "" : answer(line.trim(), () -> {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException e) {
                    // the client is gone: the handler may give up the work it would answer (CollectorLauncher does)
                    throw new java.io.UncheckedIOException(e);
                }
            });
            out.write(reply.getBytes(StandardCharsets.UTF_8));
            out.flush();
            s.shutdownOutput(); // the client has the whole reply before any after-reply action
            Runnable then = afterReply.getAndSet(null);
            if (then != null) then.run();
        } catch (SocketException e) {
            if (!socket.isClosed()) LOG.warn("{}: control connection failed: {}", name, e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: control connection failed: {}", name, e.toString());
        }
    }

    private String answer(String line, Runnable alive) {
        return answer(name, handlers, line, alive);
    }

    /** The reply of {@code handlers} to one command line, as the channel sends it (also for JMX: one code path). */
    static String answer(String name, Function<String, ControlHandler> handlers, String line) {
        return answer(name, handlers, line, () -> {
        });
    }

    /** As {@link #answer(String, Function, String)}; {@code alive} is what a slow handler calls while it works. */
    private static String answer(String name, Function<String, ControlHandler> handlers, String line, Runnable alive) {
        List<String> words = new ArrayList<>(Arrays.asList(line.split("[\\s,]+")));
        words.removeIf(String::isEmpty);
        if (words.isEmpty()) return "ERROR: empty command.\n";
        String verb = words.remove(0).toUpperCase(Locale.ROOT);
        ControlHandler h = handlers.apply(verb);
        if (h == null) return "ERROR: " + name + " does not support command " + verb + ".\n";
        try {
            String r = h instanceof ControlHandler.Slow slow ? slow.handle(verb, words, alive) : h.handle(verb, words);
            return r.endsWith("\n") ? r : r + "\n";
        } catch (Exception e) {
            return "ERROR: " + (e.getMessage() == null ? e.toString() : e.getMessage()) + "\n";
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a listener cannot fail in a way that matters
        }
    }
}
