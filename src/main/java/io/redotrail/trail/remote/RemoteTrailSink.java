package io.redotrail.trail.remote;

import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.net.FrameCodec;
import io.redotrail.net.Link;
import io.redotrail.net.LinkOptions;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A pump's remote trail (RMTHOST host, MGRPORT port; RMTTRAIL ./dirdat/ha in the target home): asks the target
 * Manager for a collector ({@link ManagerRequest}: the reply is only the collector's port, so a proxy may stand
 * for the host), connects to host:port and speaks {@link RemoteProtocol}. READY and each ACK say what the remote
 * trail holds; {@link #append} sends only what it does not hold, the ROW records of the batch packed by {@link RecordFrames}
 * (several transactions per message; a spilled transaction streamed, never held whole), then COMMIT, and returns
 * after the ACK: the producer's checkpoint then follows.
 * <p>
 * Nothing connects while the sink is made: {@link #connect} (the first {@link #append}) does, on the pump's reading
 * thread, so the group runs while its remote host is down. A refused, reset or stalled connection (TIMEOUT: no
 * reply within n seconds), or a well-formed frame the protocol does not expect there (EPROTO), is retried as {@link TcpErrors}
 * says — each attempt a new collector, which recovers its trail in append mode and says again what it holds — and
 * the status ({@link #status()}) tells the operator; past the retries the sink fails with the error's message id
 * (OGG-01224 connect, OGG-01223 send, OGG-01232 receive) and the group abends. STATS counts a batch's changes
 * after its ACK (a batch sent twice counts once). Thread-safety: {@link #append} from one thread; {@link #status}
 * from any.
 */
public final class RemoteTrailSink implements TrailSink {
    /** Where and what: RMTHOST host, MGRPORT port, the trail as the target home names it, TIMEOUT in seconds. */
    public record Target(String host, int mgrPort, String trail, String group, long maxFileBytes, int timeoutSeconds) {
        public String endpoint() {
            return host + ":" + mgrPort;
        }
    }

    /** Report lines and the status as they happen (the producer writes them to the report and ggserr.log). */
    public interface Listener {
        void event(String severity, String id, String text);

        /** The remote host state changed ({@link #status()}'s text). */
        void status(String text);

        /** True once the group is stopping: a wait to reconnect ends at once (the stop is not held up by TCPERRS). */
        default boolean stopping() {
            return false;
        }
    }

    private final Target target;
    private final LinkOptions options;
    private final TcpErrors errors;
    private final Listener listener;
    private TrailPosition durable;
    private Link link;
    private int collectorPort;
    private TrailPosition position;
    private Scn lastCsn = Scn.ZERO;
    private Set<Xid> lastXids = new HashSet<>();
    private TrailPosition recoveredAt;
    private boolean newTrail;
    private boolean opened;
    private boolean failed;
    private int attempts;
    private long retryingSince;
    /** Packs the records, encoded as the trail's encoder does (ENCRYPTTRAIL seals the images before they leave the host). */
    private final RecordFrames frames;
    private volatile String state = "not connected";
    private volatile long lastAckMillis;
    private volatile long rawSent;
    private volatile long wireSent;

    private RemoteTrailSink(Target target, TrailPosition durable, LinkOptions options, TcpErrors errors, Listener listener,
                            RowRecords.Encoder encoder) {
        this.target = target;
        this.frames = new RecordFrames(encoder, RecordFrames.BUDGET);
        this.durable = durable;
        this.options = options;
        this.errors = errors;
        this.listener = listener;
    }

    /**
     * The sink of {@code target}, not yet connected: the first {@link #connect} (or {@link #append}) asks the Manager
     * and connects, retrying as {@code errors} says, on the caller's thread — the pump's reading loop, so the group
     * runs (and answers STOP, STATUS, INFO) while its remote host is down. {@code durable}: the pump's write
     * checkpoint, which the collector's recovery must not cut below (null: none). {@code encoder}: the trail's
     * record encoder, as a local {@link io.redotrail.trail.TrailWriter} of the same trail would use.
     */
    public static RemoteTrailSink open(Target target, TrailPosition durable, LinkOptions options, TcpErrors errors, Listener listener,
                                       RowRecords.Encoder encoder) {
        RemoteTrailSink s = new RemoteTrailSink(target, durable, options, errors, listener, encoder);
        s.setStatus("connecting since " + java.time.LocalDateTime.now().withNano(0));
        return s;
    }

    /** Connects unless connected (retrying as TCPERRS says): what the remote trail holds is known afterwards. */
    @Override
    public void connect() {
        if (failed) throw new IllegalStateException("remote trail " + target.trail() + " on " + target.endpoint() + " failed earlier");
        if (link == null) connectNow();
    }

    @Override
    public boolean opened() {
        return opened;
    }

    private void connectNow() {
        while (true) {
            CollectorDial dial = new CollectorDial(target);
            try {
                Link l = dial.dial(options, durable, timeoutMillis());
                collectorPort = dial.port;
                RemoteProtocol.Ready r = dial.ready;
                link = l;
                state(r.state());
                if (!opened) {
                    recoveredAt = r.recoveredAt();
                    newTrail = r.newTrail();
                    opened = true;
                }
                String text = "Connected to " + target.endpoint() + " (collector port " + collectorPort + ") for remote trail "
                        + target.trail() + ", which holds up to " + position + ", last CSN " + lastCsn.display()
                        + (r.recoveredAt() != null ? " (recovered at " + r.recoveredAt() + ")" : "") + ".";
                listener.event("INFO", "OGG-01229", text);
                // attempts count on until an acknowledgement: a link that connects and then always fails still abends
                setStatus("connected to " + target.host() + ":" + collectorPort + " (Manager port " + target.mgrPort() + ") since "
                        + java.time.LocalDateTime.now().withNano(0) + lastAckText());
                return;
            } catch (ManagerRequest.Refused e) {
                // a request no retry can mend (a trail name the Manager refuses)
                fail("OGG-01224", "Manager at " + target.endpoint() + " refused the collector for " + target.trail() + ": " + e.getMessage());
            } catch (CollectorDial.Refusal e) {
                fail(e.id(), e.getMessage());
            } catch (IOException e) {
                collectorPort = dial.port; // a failure past the Manager's answer names the collector's endpoint
                retry(e, dial.phase);
            } catch (UncheckedIOException e) {
                collectorPort = dial.port;
                retry(e.getCause(), dial.phase);
            } catch (RemoteProtocol.ProtocolException e) {
                collectorPort = dial.port;
                retry(e, dial.phase);
            }
        }
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, target.timeoutSeconds() * 1000L);
    }

    private void state(RemoteProtocol.State s) {
        position = s.position();
        lastCsn = s.lastCsn();
        lastXids = new HashSet<>(s.lastXids());
        durable = position;
    }

    /** A CRC-valid frame that is not what the protocol expects here: TCPERRS EPROTO (errno 71) says what to do. */
    private void retry(RemoteProtocol.ProtocolException e, String phase) {
        retry("EPROTO", e.getMessage(), phase);
    }

    /** Counts the attempt and sleeps as TCPERRS says, or fails the sink when the retries are used up. */
    private void retry(IOException e, String phase) {
        retry(TcpErrors.errorOf(e), e.getMessage(), phase);
    }

    private void retry(String error, String message, String phase) {
        closeLink();
        TcpErrors.Rule rule = errors.rule(error);
        String id = switch (phase) {
            case "send" -> "OGG-01223";
            case "receive" -> "OGG-01232";
            default -> "OGG-01224";
        };
        String endpoint = collectorPort > 0 && !phase.equals("connect") ? target.host() + ":" + collectorPort : target.endpoint();
        String text = (phase.equals("receive") ? "Receive TCP params error: " : "") + "TCP/IP error " + TcpErrors.describe(error)
                + ", endpoint: " + endpoint + (message == null ? "" : " (" + message + ")");
        attempts++;
        if (!rule.retry() || attempts > rule.maxRetries()) {
            fail(id, text + (rule.retry() ? "; " + rule.maxRetries() + " retries used up (TCPERRS " + error + ")" : ""));
        }
        if (retryingSince == 0) retryingSince = System.currentTimeMillis();
        setStatus("retrying since " + java.time.Instant.ofEpochMilli(retryingSince).atZone(java.time.ZoneId.systemDefault())
                .toLocalDateTime().withNano(0) + " (attempt " + attempts + " of " + rule.maxRetries() + ", every "
                + rule.delayMillis() / 1000.0 + " s), last error: " + id + " " + text + lastAckText());
        listener.event("WARNING", id, text + "; retry " + attempts + " of " + rule.maxRetries() + " in " + rule.delayMillis() / 1000.0 + " s.");
        try {
            long until = System.nanoTime() + rule.delayMillis() * 1_000_000L;
            while (System.nanoTime() < until) {
                if (listener.stopping()) throw new InterruptedException("the group is stopping");
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000L)));
            }
        } catch (InterruptedException x) {
            failed = true;
            setStatus("stopped while retrying (" + id + " " + text + ")" + lastAckText());
            // a stop interrupts the wait: the thread stays interrupted, so the group ends as stopped, not abended
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped while waiting to reconnect to " + target.endpoint() + ": " + x.getMessage(), x);
        }
    }

    private void fail(String id, String text) {
        failed = true;
        closeLink();
        setStatus("failed: " + id + " " + text + lastAckText());
        throw new RemoteTrailException(id + " " + text);
    }

    private String lastAckText() {
        long t = lastAckMillis;
        return t == 0 ? "" : ", last acknowledgement " + java.time.Instant.ofEpochMilli(t).atZone(java.time.ZoneId.systemDefault())
                .toLocalDateTime().withNano(0) + " at " + position;
    }

    /** The sink gave up: retries used up, or the collector or Manager refused. The group abends with this message. */
    public static final class RemoteTrailException extends RuntimeException {
        RemoteTrailException(String message) {
            super(message);
        }
    }

    @Override
    public void append(List<Transaction> txs, Consumer<RowChange> written) {
        while (true) {
            connect();
            List<Transaction> left = new ArrayList<>(txs.size());
            Scn top = Scn.ZERO;
            for (Transaction tx : txs) {
                if (!tx.changes().isEmpty() && !alreadyWritten(tx)) left.add(tx);
                if (tx.csn().compareTo(top) > 0) top = tx.csn();
            }
            String phase = "send";
            try {
                frames.send(link, left);
                link.send(RemoteProtocol.COMMIT, RemoteProtocol.count(left.size()));
                link.flush();
                phase = "receive";
                FrameCodec.Frame f = link.receive();
                CollectorDial.refusedIfError(f, link, target);
                if (f.type() != RemoteProtocol.ACK) {
                    throw new RemoteProtocol.ProtocolException(link.peer() + " sent message type " + f.type() + " instead of ACK (5)");
                }
                state(RemoteProtocol.State.decode(f, link.peer()));
                if (!left.isEmpty() && lastCsn.compareTo(top) < 0) {
                    fail("OGG-01232", "collector acknowledged up to CSN " + lastCsn.display() + " after a batch up to CSN " + top.display());
                }
                lastAckMillis = System.currentTimeMillis();
                attempts = 0;
                retryingSince = 0;
                setStatus("connected to " + target.host() + ":" + collectorPort + " (Manager port " + target.mgrPort() + ")" + lastAckText());
                break;
            } catch (IOException e) {
                retry(e, phase);
            } catch (UncheckedIOException e) {
                retry(e.getCause(), phase);
            } catch (RemoteProtocol.ProtocolException e) {
                retry(e, phase);
            } catch (CollectorDial.Refusal e) {
                fail(e.id(), e.getMessage());
            }
        }
        // counted once the whole batch is durable, whichever attempt carried each transaction
        for (Transaction tx : txs) for (RowChange c : tx.changes()) written.accept(c);
    }

    private void setStatus(String s) {
        state = s;
        listener.status(status());
    }

    /** Remote host state for SEND ... STATUS, INFO and the report: connected, last ack, or retrying since when and why. */
    public String status() {
        return "Remote host " + target.endpoint() + ", trail " + target.trail() + ": " + state;
    }

    @Override
    public boolean alreadyWritten(Transaction tx) {
        int c = tx.csn().compareTo(lastCsn);
        return c < 0 || (c == 0 && lastXids.contains(tx.xid()));
    }

    @Override
    public Scn lastCsn() {
        return lastCsn;
    }

    @Override
    public TrailPosition position() {
        return position;
    }

    @Override
    public TrailPosition recoveredAt() {
        return recoveredAt;
    }

    @Override
    public boolean newTrail() {
        return newTrail;
    }

    @Override
    public boolean failed() {
        return failed;
    }

    @Override
    public String describe() {
        return "remote trail " + target.trail() + " on " + target.endpoint();
    }

    /**
     * Payload bytes handed to the link and sent on the wire since the sink opened, over every connection: with
     * COMPRESS their ratio is the compression ratio (STATS, the report).
     */
    public long[] bytesSent() {
        Link l = link;
        long raw = rawSent, wire = wireSent;
        if (l != null) {
            raw += l.codec().rawBytesWritten();
            wire += l.codec().wireBytesWritten();
        }
        return new long[]{raw, wire};
    }

    private void closeLink() {
        if (link != null) {
            rawSent += link.codec().rawBytesWritten();
            wireSent += link.codec().wireBytesWritten();
            link.close();
            link = null;
        }
    }

    @Override
    public void close() {
        closeLink();
        if (!failed) setStatus("disconnected" + lastAckText()); // a failure's state says more: it stays
    }
}
