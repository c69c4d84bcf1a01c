package io.redotrail.control.collector;

import io.redotrail.checkpoint.AtomicFiles;
import io.redotrail.net.Link;
import io.redotrail.net.LinkOptions;
import io.redotrail.net.LinkSockets;
import io.redotrail.net.tls.TlsException;
import io.redotrail.net.tls.TlsLink;
import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.control.credentials.LinkTlsStores;
import io.redotrail.report.EventLog;
import io.redotrail.report.GroupLock;
import io.redotrail.trail.remote.CollectorSession;
import io.redotrail.trail.remote.RemoteTrails;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The collector (GoldenGate's Server process) of one remote trail, a JVM the target Manager starts for a pump's
 * request ({@code bin/redotrail collector}, hidden from the help): takes the trail's lock
 * ({@code dirchk/COLLECTOR_<xx>.pid}: one collector per trail), listens on the first free port of
 * DYNAMICPORTLIST (none: an ephemeral port) on the Manager's LISTENADDRESS, writes that port to the port file the
 * Manager waits for, accepts one connection and serves it ({@link CollectorSession}) until it ends; then exits.
 * With COLLECTORTLS the connection is TLS 1.3 ({@link TlsLink}), its stores checked before the port is published.
 * Its start, stop and errors go to the home's ggserr.log. Exit status: 0 the pump closed the connection, 1 an
 * error (the connection failed, the trail refused), 2 refused to start (lock held), 3 no free port. Not thread-safe.
 */
public final class CollectorMain {
    public static final int DONE = 0, FAILED = 1, REFUSED = 2, NO_PORT = 3;

    private final Path home;
    private final String trail;
    private final InetAddress listen;
    private final List<Integer> ports;
    private final Path portFile;
    private final int acceptTimeoutMillis;
    private final LinkTlsStores.Aliases tls;
    private final String group;

    public CollectorMain(Path home, String trail, InetAddress listen, List<Integer> ports, Path portFile, int acceptTimeoutMillis) {
        this(home, trail, listen, ports, portFile, acceptTimeoutMillis, null, null);
    }

    /**
     * {@code tls}: COLLECTORTLS of mgr.prm (null: plain TCP); {@code group}: the pump the Manager starts it for (in
     * its lock record, where the Manager reads who owns a trail that has no file yet; null: not recorded).
     */
    public CollectorMain(Path home, String trail, InetAddress listen, List<Integer> ports, Path portFile, int acceptTimeoutMillis,
                         LinkTlsStores.Aliases tls, String group) {
        this.tls = tls;
        this.group = group;
        this.home = home.toAbsolutePath().normalize();
        this.trail = trail;
        this.listen = listen;
        this.ports = List.copyOf(ports);
        this.portFile = portFile;
        this.acceptTimeoutMillis = acceptTimeoutMillis;
    }

    public int run() {
        Path t = RemoteTrails.resolve(home, trail);
        String name = RemoteTrails.collectorName(t);
        EventLog log = new EventLog(home, "redotrail Collector, " + trail);
        long pid = ProcessHandle.current().pid();
        try {
            GroupLock.acquire(home, name);
        } catch (GroupLock.AlreadyRunningException e) {
            log.error("RTR-01203", "Collector for " + trail + " not started (pid " + pid + "): another collector (pid " + e.pid()
                    + ") writes this trail.");
            return REFUSED;
        }
        LinkOptions options = LinkOptions.DEFAULT;
        if (tls != null) {
            // the stores are checked before the port is published: a bad store fails the pump's request, not its handshake
            try {
                options = options.withTls(TlsLink.create(tls.settings(home)));
            } catch (TlsException | CredentialStore.CredentialException e) {
                log.error("RTR-01203", "Collector for trail " + trail + " (pid " + pid + ") not started: COLLECTORTLS: " + e.getMessage());
                GroupLock.release(home, name);
                return REFUSED;
            }
        }
        try (ServerSocket server = listen(log, pid)) {
            if (server == null) return NO_PORT;
            int port = server.getLocalPort();
            GroupLock.write(home, name, "pid=" + pid + "\nprogram=COLLECTOR\nport=" + port + "\ntrail=" + trail
                    + (group == null ? "" : "\ngroup=" + group) + "\nstarted=" + System.currentTimeMillis() + "\n");
            AtomicFiles.write(portFile, (port + "\n").getBytes(StandardCharsets.UTF_8));
            log.info("RTR-01201", "Collector for trail " + trail + " started (pid " + pid + "), listening on "
                    + listen.getHostAddress() + ":" + port + ".");
            server.setSoTimeout(acceptTimeoutMillis);
            Socket s;
            try {
                s = LinkSockets.accept(server, options);
            } catch (SocketTimeoutException e) {
                log.warning("RTR-01203", "Collector for " + trail + " (pid " + pid + ") stopped: no pump connected to port " + port
                        + " within " + acceptTimeoutMillis / 1000 + " s.");
                return FAILED;
            }
            server.close(); // one pump per collector
            String peer = s.getInetAddress().getHostAddress() + ":" + s.getPort();
            try (Link link = new Link(s, "pump " + peer, options)) {
                log.info("RTR-01201", "Collector for trail " + trail + " (pid " + pid + ") connected to pump at " + peer
                        + (tls == null ? "" : " over " + options.tls().describe()) + ".");
                CollectorSession.Result r = new CollectorSession(home, trail, link).run(acceptTimeoutMillis, log::info);
                log.info("RTR-01202", "Collector for trail " + trail + " (pid " + pid + ") stopped: the pump at " + peer
                        + " closed the connection (" + r.transactions() + " transactions in " + r.batches() + " batches written).");
                return DONE;
            }
        } catch (IOException | RuntimeException e) {
            log.error("RTR-01203", "Collector for trail " + trail + " (pid " + pid + ") stopped: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILED;
        } finally {
            GroupLock.release(home, name);
        }
    }

    private ServerSocket listen(EventLog log, long pid) throws IOException {
        try {
            return LinkSockets.listen(listen, ports, LinkOptions.DEFAULT);
        } catch (BindException e) {
            // NODYNPORTS: the word the Manager's reply starts with, which the pump retries as TCPERRS says
            log.error("RTR-01203", "NODYNPORTS Collector for " + trail + " (pid " + pid + ") cannot listen: " + e.getMessage());
            return null;
        }
    }

    /** {@code 7840-7850,7860} (the form the Manager passes DYNAMICPORTLIST in) as ports. */
    public static List<Integer> ports(String text) {
        List<Integer> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        for (String item : text.split(",")) {
            String[] r = item.strip().split("-");
            int lo = Integer.parseInt(r[0]);
            int hi = r.length > 1 ? Integer.parseInt(r[1]) : lo;
            for (int p = lo; p <= hi; p++) out.add(p);
        }
        return out;
    }

    /** The ranges form of {@link #ports(String)}. */
    public static String ranges(List<Integer> ports) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ports.size(); ) {
            int j = i;
            while (j + 1 < ports.size() && ports.get(j + 1) == ports.get(j) + 1) j++;
            if (sb.length() > 0) sb.append(',');
            sb.append(ports.get(i));
            if (j > i) sb.append('-').append(ports.get(j));
            i = j + 1;
        }
        return sb.toString();
    }
}
