package io.redotrail.report;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Client side of {@link ControlServer}'s protocol (one request line, the whole reply, close): a group's
 * control channel on 127.0.0.1 (port in {@code dirchk/<GROUP>.ctl}) and the Manager's on its LISTENADDRESS
 * (GGSCI's ManagerClient); GGSCI and the Manager's live page (observe.web) ask groups through it. Empty
 * when the group's lock is free or nothing listens (the process is not running). Stateless.
 */
public final class ControlClient {
    private ControlClient() {
    }

    public static Optional<String> send(Path home, String group, String line, int timeoutMillis) throws IOException {
        // a port left behind by a killed process may since belong to another: only a running group is asked
        if (!GroupLock.held(home, group)) return Optional.empty();
        Optional<Integer> port = PidFile.controlPort(home, group);
        if (port.isEmpty()) return Optional.empty();
        return request(InetAddress.getLoopbackAddress(), port.get(), line, timeoutMillis);
    }

    /** Sends {@code line} to {@code address:port}; empty when nothing listens there. */
    public static Optional<String> request(InetAddress address, int port, String line, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            return Optional.empty();
        }
    }
}
