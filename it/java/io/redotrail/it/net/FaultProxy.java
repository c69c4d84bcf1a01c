package io.redotrail.it.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A real TCP proxy that injects network faults, for the tests of the pump-collector link. It listens on any number
 * of addresses at once, each forwarding to its own target (the "NAT trick": listen on 127.0.0.3:M and 127.0.0.3:D,
 * forward to the Manager on 127.0.0.2:M and its collector on 127.0.0.2:D, and give the pump RMTHOST 127.0.0.3, so
 * both the Manager request and the collector connection cross the proxy).
 *
 * <p>Faults ({@link Fault}), injected on command ({@link #inject}) or on a seeded random schedule ({@link #chaos}),
 * each applied to one live connection picked by the seeded generator: DROP closes both sides (FIN), RESET closes
 * both with SO_LINGER 0 (RST), STALL stops forwarding both ways for a while and keeps the connection, SPLIT
 * forwards in random-sized pieces at random byte boundaries with small delays for a while, HALF_OPEN stops one
 * direction only (the bytes of the other still flow) until the proxy closes the connection after a while, as a
 * peer that vanished would eventually be timed out, and STORM accepts and at once closes (FIN or RST) the next
 * connections. A fault is counted when it took effect: on a live connection, for SPLIT at its first cut write,
 * for STORM at its first refused connection; {@link #journal()} lists every one with time and connection.
 * Bytes are never altered or lost on a connection that stays up (TCP would not): only delayed, cut, or ended.
 *
 * <p>Thread-safety: every public method may be called from any thread. One acceptor thread per listen address,
 * two forwarding threads per connection, one scheduler thread for the timed ends of faults and the chaos loop.
 */
public final class FaultProxy implements AutoCloseable {
    /** The kinds of fault. */
    public enum Fault { DROP, RESET, STALL, SPLIT, HALF_OPEN, STORM }

    private final Random random;   // guarded by itself: the seeded kinds and parameters of faults
    private final Random linkPick; // guarded by itself: the seeded choice of the connection a fault hits
    private final long seed;
    private final List<ServerSocket> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, ProxyLink> live = new ConcurrentSkipListMap<>(); // by id: a seeded pick is reproducible
    private final Map<Fault, AtomicInteger> counts = new EnumMap<>(Fault.class);
    /** The seeded parameter's range: ms of STALL, SPLIT and HALF_OPEN (until the proxy closes), STORM's connections. */
    private final Map<Fault, long[]> ranges = new EnumMap<>(Map.of(Fault.STALL, new long[] {200, 3000},
            Fault.SPLIT, new long[] {1000, 4000}, Fault.HALF_OPEN, new long[] {1000, 5000}, Fault.STORM, new long[] {2, 6}));
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger stormLeft = new AtomicInteger();
    private final AtomicInteger stormVictims = new AtomicInteger();
    private final List<String> halfOpenUnnoticed = new CopyOnWriteArrayList<>(); // their routes
    private volatile boolean stormCounted = true;
    private final AtomicLong[] bytes = {new AtomicLong(), new AtomicLong()};
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fault-proxy-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean open = true;

    public FaultProxy(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.linkPick = new Random(~seed);
        for (Fault f : Fault.values()) counts.put(f, new AtomicInteger());
    }

    /**
     * Sets the range of a fault's seeded parameter (call before injecting): milliseconds of STALL, SPLIT and
     * HALF_OPEN (after which the proxy closes the half-open connection, unless an endpoint did first), connections
     * of STORM.
     */
    public FaultProxy range(Fault f, long low, long high) {
        if (!ranges.containsKey(f) || low < 0 || high < low) throw new IllegalArgumentException(f + " " + low + ".." + high);
        synchronized (random) {
            ranges.put(f, new long[] {low, high});
        }
        return this;
    }

    /** The NAT trick: for each port, {@code listenHost:port} forwards to {@code targetHost:port}. */
    public static FaultProxy nat(long seed, InetAddress listenHost, InetAddress targetHost, int... ports) throws IOException {
        FaultProxy p = new FaultProxy(seed);
        try {
            for (int port : ports) p.forward(new InetSocketAddress(listenHost, port), new InetSocketAddress(targetHost, port));
        } catch (IOException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** Listens on {@code listen} (bound when this returns) and forwards every connection to {@code target}. */
    public FaultProxy forward(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 50);
        listeners.add(server);
        String route = server.getLocalSocketAddress() + "->" + target;
        Thread t = new Thread(() -> accept(server, target, route), "fault-proxy-accept " + route);
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** The bound listen port of the i-th {@link #forward} (useful with port 0). */
    public int listenPort(int i) {
        return listeners.get(i).getLocalPort();
    }

    private void accept(ServerSocket server, InetSocketAddress target, String route) {
        while (open) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            int id = accepted.incrementAndGet();
            if (stormLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refuse(client, id, route);
                continue;
            }
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, 10_000);
            } catch (IOException e) {
                // the target is down (a killed Manager or collector): the kernel accepted the client already, so it
                // gets an RST where it would have got a refused connect without us
                journal("connection#" + id + " " + route + ": target refused (" + e.getMessage() + "), reset to the client");
                closeQuietly(upstream);
                resetQuietly(client);
                continue;
            }
            ProxyLink link = new ProxyLink(id, route, client, upstream, this, seed ^ ((long) id << 32));
            live.put(id, link);
            link.start();
        }
    }

    /** A storm's victim: accepted and closed at once, with an RST every other time. */
    private void refuse(Socket client, int id, String route) {
        int victim = stormVictims.incrementAndGet();
        if (!stormCounted) {
            stormCounted = true;
            count(Fault.STORM, "connection#" + id + " " + route + ": storm's first refused connection");
        } else {
            journal("connection#" + id + " " + route + ": refused by the storm");
        }
        if (victim % 2 == 0) resetQuietly(client);
        else closeQuietly(client);
    }

    /** One fault with its seeded parameters, drawn before it waits for a connection to hit. */
    private record Shot(Fault fault, long amount, ProxyLink.Direction direction, boolean rst) {}

    private Shot draw(Fault fault) {
        synchronized (random) {
            long[] range = ranges.get(fault);
            long amount = range == null ? 0 : range[0] + (long) (random.nextDouble() * (range[1] - range[0] + 1));
            return new Shot(fault, amount, random.nextBoolean() ? ProxyLink.Direction.TO_TARGET : ProxyLink.Direction.TO_CLIENT,
                    random.nextBoolean());
        }
    }

    /**
     * Injects one fault now with seeded parameters, on one live connection the seeded generator picks (STORM: on
     * the next few connections, and closes a live one so that the next connections come). Returns false when no
     * connection was live (nothing was injected); SPLIT and STORM are counted later, when they take effect.
     */
    public boolean inject(Fault fault) {
        return fire(draw(fault));
    }

    private boolean fire(Shot shot) {
        ProxyLink link;
        synchronized (linkPick) {
            List<ProxyLink> links = new ArrayList<>(live.values());
            links.removeIf(l -> !l.faultable()); // a half-open or ending connection takes no second fault
            link = links.isEmpty() ? null : links.get(linkPick.nextInt(links.size()));
        }
        if (shot.fault() == Fault.STORM) {
            storm((int) shot.amount());
            if (link != null) link.close(shot.rst());
            return true;
        }
        return link != null && apply(shot.fault(), link, shot.amount(), shot.direction());
    }

    private boolean apply(Fault fault, ProxyLink link, long millis, ProxyLink.Direction direction) {
        if (!link.faultable()) return false;
        switch (fault) {
            case DROP, RESET -> {
                if (!link.close(fault == Fault.RESET)) return false;
                count(fault, link + "");
            }
            case STALL -> {
                link.stall(millis);
                count(fault, link + " for " + millis + " ms");
            }
            case SPLIT -> {
                link.split(millis); // counted at its first cut write
                journal(link + ": split armed for " + millis + " ms");
            }
            case HALF_OPEN -> {
                if (!link.halfOpen(direction)) return false;
                count(fault, link + " " + direction + " held, closed in " + millis + " ms");
                timer.schedule(() -> {
                    String by = link.endedBy();
                    if (by != null) journal(link + ": half-open noticed: " + by + " closed its side within " + millis + " ms");
                    if (link.close(false) && by == null) {
                        halfOpenUnnoticed.add(link.route);
                        journal(link + ": half-open for " + millis + " ms and no endpoint closed it: closed by the proxy");
                    }
                }, millis, TimeUnit.MILLISECONDS);
            }
            default -> throw new IllegalArgumentException(fault.toString());
        }
        return true;
    }

    /** Stops forwarding both ways on every live connection for {@code d}, keeping them. */
    public int stallAll(Duration d) {
        return everyLink(Fault.STALL, d, null);
    }

    /** Cuts every write on every live connection into random pieces for {@code d}. */
    public int splitAll(Duration d) {
        return everyLink(Fault.SPLIT, d, null);
    }

    /** Stops one direction of every live connection; the proxy closes them after {@code d}. */
    public int halfOpenAll(boolean toTarget, Duration d) {
        return everyLink(Fault.HALF_OPEN, d, toTarget ? ProxyLink.Direction.TO_TARGET : ProxyLink.Direction.TO_CLIENT);
    }

    /** Closes every live connection, with RSTs when {@code reset}. */
    public int dropAll(boolean reset) {
        return everyLink(reset ? Fault.RESET : Fault.DROP, Duration.ZERO, null);
    }

    private int everyLink(Fault f, Duration d, ProxyLink.Direction direction) {
        int n = 0;
        for (ProxyLink l : live.values()) if (apply(f, l, d.toMillis(), direction)) n++;
        return n;
    }

    /** Accepts and at once closes the next {@code n} connections (counted at the first). */
    public void storm(int n) {
        stormCounted = false;
        stormLeft.set(n);
        journal("storm armed for the next " + n + " connections");
    }

    /**
     * Injects a fault of a seeded random kind (among {@code kinds}) after a seeded random gap of
     * {@code minGap..maxGap}, again and again until {@link #close} or until {@code until} says stop; a fault waits
     * for a live connection. The sequence of kinds and parameters depends on the seed only.
     */
    public void chaos(Duration minGap, Duration maxGap, List<Fault> kinds, BooleanSupplier until) {
        Thread t = new Thread(() -> {
            while (open && !until.getAsBoolean()) {
                Shot shot;
                long gap;
                synchronized (random) {
                    gap = minGap.toMillis() + random.nextInt((int) Math.max(1, maxGap.toMillis() - minGap.toMillis()));
                    shot = draw(kinds.get(random.nextInt(kinds.size())));
                }
                sleep(gap);
                while (open && !until.getAsBoolean() && !fire(shot)) sleep(20);
            }
        }, "fault-proxy-chaos");
        t.setDaemon(true);
        t.start();
    }

    void applied(Fault f, ProxyLink link, String detail) {
        count(f, link + " " + detail);
    }

    private void count(Fault f, String detail) {
        int n = counts.get(f).incrementAndGet();
        journal(f + " #" + n + " " + detail);
    }

    private void journal(String line) {
        journal.add(LocalTime.now() + " " + line);
    }

    void forwarded(ProxyLink.Direction d, int n) {
        bytes[d.ordinal()].addAndGet(n);
    }

    void closed(ProxyLink link) {
        live.remove(link.id);
    }

    /** How many faults of this kind took effect. */
    public int count(Fault f) {
        return counts.get(f).get();
    }

    /** How many faults of every kind took effect. */
    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public Map<Fault, Integer> counts() {
        Map<Fault, Integer> m = new EnumMap<>(Fault.class);
        counts.forEach((f, n) -> m.put(f, n.get()));
        return m;
    }

    /** Connections accepted on all listen addresses (storm victims included). */
    public int accepted() {
        return accepted.get();
    }

    /**
     * The routes ({@code listen->target}) of the half-open connections the proxy had to close itself because
     * neither endpoint closed or reset its side in time, one entry each.
     */
    public List<String> halfOpenUnnoticed() {
        return List.copyOf(halfOpenUnnoticed);
    }

    public int stormVictims() {
        return stormVictims.get();
    }

    /** Connections forwarding now (half-open ones included). */
    public int live() {
        return (int) live.values().stream().filter(ProxyLink::isOpen).count();
    }

    /** Bytes forwarded from clients to targets ({@code toTarget}) or back. */
    public long bytes(boolean toTarget) {
        return bytes[toTarget ? 0 : 1].get();
    }

    /** Every fault and notable event, one line each with its time. */
    public String journal() {
        synchronized (journal) {
            return String.join("\n", journal) + "\n" + counts() + ", " + accepted() + " connections";
        }
    }

    @Override
    public void close() {
        open = false;
        for (ServerSocket s : listeners) closeQuietly(s);
        for (ProxyLink l : live.values()) l.close(false);
        timer.shutdownNow();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closed already
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing more to release
        }
    }
}
