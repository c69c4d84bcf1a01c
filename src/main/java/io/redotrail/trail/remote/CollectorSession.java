package io.redotrail.trail.remote;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.net.FrameCodec;
import io.redotrail.net.Link;
import io.redotrail.trail.EncodedTransaction;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailWriter;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The collector's side of one pump connection ({@link RemoteProtocol}): HELLO names the trail and the pump's
 * write checkpoint; the trail is opened with append-mode recovery ({@link TrailWriter#open}, OGG-01052 /
 * OGG-01056) and READY tells the pump what it holds; then each batch of RECORDS (several transactions per message,
 * or a piece of a large one) up to a COMMIT is written with
 * {@link TrailWriter#appendEncoded} — the records byte for byte, as the pump's encoder made them — forced once and
 * acknowledged with the durable state. Every record is checked first (frame, CRC-32C, ROW type, TransInd order,
 * one XID per transaction, commit order, not twice in the batch, not already in the trail, each message's FIRST and
 * LAST flags true to where it cuts): a bad one fails the session and the writer,
 * whose next open cuts whatever part of the batch reached the file. Runs on the caller's thread until the
 * connection ends. Not thread-safe.
 */
public final class CollectorSession {
    /** What the session did, for the collector's log line. */
    public record Result(long batches, long transactions, String trail) {
    }

    private final Path home;
    private final String expectedTrail;
    private final Link link;
    private TrailWriter writer;
    private long batches;
    private long transactions;
    private String trailName = "";

    /** {@code expectedTrail}: the trail the Manager started this collector for (./dirdat/ha). */
    public CollectorSession(Path home, String expectedTrail, Link link) {
        this.home = home;
        this.expectedTrail = expectedTrail;
        this.link = link;
    }

    /**
     * Serves the connection until the pump closes it (normal end) or something fails (exception; an ERROR message
     * is sent first when the connection still works).
     */
    public Result run(int helloTimeoutMillis) throws IOException {
        return run(helloTimeoutMillis, (id, text) -> { });
    }

    /**
     * As {@link #run(int)}; {@code opened} hears how the trail was opened for the pump: {@code OGG-01056} with the
     * RBA where recovery cut a torn tail, else {@code OGG-01052} (the collector writes it to ggserr.log).
     */
    public Result run(int helloTimeoutMillis, java.util.function.BiConsumer<String, String> opened) throws IOException {
        try {
            link.readTimeout(helloTimeoutMillis);
            FrameCodec.Frame f = link.receive();
            if (f.type() != RemoteProtocol.HELLO) throw protocol(f, "expected HELLO, got message type " + f.type());
            RemoteProtocol.Hello hello = RemoteProtocol.Hello.decode(f, link.peer());
            open(hello);
            TrailPosition cut = writer.recoveredAt();
            String file = TrailFormat.fileName(hello.trail(), cut != null ? cut.seqno() : writer.seqno());
            if (cut != null) {
                opened.accept("OGG-01056", "Recovery initialization completed for target file " + file + ", at RBA " + cut.rba()
                        + " (for " + hello.group() + "; writing goes on in seqno " + writer.seqno() + ").");
            } else {
                opened.accept("OGG-01052", "No recovery is required for target file " + file + ", at RBA " + writer.position().rba()
                        + " (for " + hello.group() + ").");
            }
            link.readTimeout(0); // a pump may idle for hours; a half-open link is ended by the Manager's next request
            while (true) {
                FrameCodec.Frame first;
                try {
                    first = link.receive();
                } catch (EOFException e) {
                    return new Result(batches, transactions, trailName);
                }
                if (first.type() == RemoteProtocol.COMMIT && RemoteProtocol.count(first, link.peer()) == 0) {
                    // an idle pump's heartbeat (its reader hands on an empty batch about once a second): nothing to force
                    link.send(RemoteProtocol.ACK, state().encode());
                    link.flush();
                    continue;
                }
                Incoming batch = new Incoming(first);
                writer.appendEncoded(batch);
                batch.finish();
                batches++;
                link.send(RemoteProtocol.ACK, state().encode());
                link.flush();
            }
        } catch (RemoteProtocol.ProtocolException | CorruptFileException | IllegalStateException | IllegalArgumentException e) {
            refuse(e.getMessage());
            throw e;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (writer != null) {
                try {
                    if (!writer.failed()) writer.close();
                } catch (UncheckedIOException e) {
                    // the trail stays as forced; recovery checks it at the next open
                }
            }
        }
    }

    private void open(RemoteProtocol.Hello hello) {
        if (hello.version() != RemoteProtocol.VERSION) {
            throw new IllegalArgumentException("pump " + hello.group() + " speaks trail protocol version " + hello.version()
                    + ", this collector version " + RemoteProtocol.VERSION + " (version 2 packs several transactions per"
                    + " RECORDS message; pump and collector must run the same release: docs/architecture.md)");
        }
        Path trail = RemoteTrails.resolve(home, hello.trail());
        if (!trail.equals(RemoteTrails.resolve(home, expectedTrail))) {
            throw new IllegalArgumentException("pump " + hello.group() + " sends trail " + hello.trail() + " to the collector of "
                    + expectedTrail);
        }
        trailName = hello.trail();
        writer = TrailWriter.open(trail, hello.group(), hello.maxFileBytes(), hello.durable());
        if (writer.lastWriter() != null && !writer.lastWriter().equalsIgnoreCase(hello.group())) {
            // two pumps on one remote trail would skip each other's transactions by CSN: one writer per trail
            throw new IllegalArgumentException("trail " + hello.trail() + " is written by " + writer.lastWriter() + ", not by "
                    + hello.group() + ": one pump per remote trail (give " + hello.group() + " an RMTTRAIL of its own)");
        }
        RemoteProtocol.Ready ready = new RemoteProtocol.Ready(state(), writer.recoveredAt(), writer.newTrail());
        try {
            link.send(RemoteProtocol.READY, ready.encode());
            link.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RemoteProtocol.State state() {
        return new RemoteProtocol.State(writer.position(), writer.lastCsn(), new ArrayList<>(writer.lastXids()));
    }

    private void refuse(String why) {
        try {
            link.send(RemoteProtocol.ERROR, RemoteProtocol.text(why));
            link.flush();
        } catch (IOException ignored) {
            // the connection is gone too; the collector's log has the reason
        }
    }

    private RemoteProtocol.ProtocolException protocol(FrameCodec.Frame f, String why) {
        return new RemoteProtocol.ProtocolException("from " + link.peer() + " at byte " + f.offset() + ": " + why);
    }

    private FrameCodec.Frame receive() {
        try {
            return link.receive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The transactions of one batch, read from the connection as the writer asks for them, up to COMMIT: a cursor
     * over RECORDS messages, each holding one or more transactions or a piece of one.
     */
    private final class Incoming implements Iterator<EncodedTransaction> {
        private FrameCodec.Frame pending;
        /** The RECORDS message being read and its next unread payload byte. */
        private FrameCodec.Frame frame;
        private int at;
        private boolean done;
        private int count;
        private Scn previousCsn = Scn.ZERO;
        /** XIDs of this batch at {@link #previousCsn}: one sent twice is refused. */
        private final Set<Xid> previousXids = new HashSet<>();

        Incoming(FrameCodec.Frame first) {
            this.pending = first;
        }

        @Override
        public boolean hasNext() {
            if (done) return false;
            if (frame != null && at < frame.payload().length) return true; // the next transaction begins inside this message
            FrameCodec.Frame f = pending != null ? pending : receive();
            pending = null;
            if (f.type() == RemoteProtocol.COMMIT) {
                int said = RemoteProtocol.count(f, link.peer());
                if (said != count) throw protocol(f, "COMMIT announces " + said + " transactions, " + count + " were sent");
                done = true;
                return false;
            }
            if (f.type() == RemoteProtocol.ERROR) {
                throw protocol(f, "the pump gave up: " + RemoteProtocol.text(f, link.peer()));
            }
            if (f.type() != RemoteProtocol.RECORDS || f.payload().length == 0 || (f.payload()[0] & RemoteProtocol.FIRST) == 0) {
                throw protocol(f, "expected the first RECORDS of a transaction or COMMIT, got message type " + f.type());
            }
            if (f.payload().length == 1) throw protocol(f, "RECORDS without a record");
            frame = f;
            at = 1;
            return true;
        }

        @Override
        public EncodedTransaction next() {
            if (!hasNext()) throw new NoSuchElementException();
            count++;
            return new Received(this, at == 1 && (frame.payload()[0] & RemoteProtocol.STREAMED) != 0);
        }

        void finish() {
            if (!done) throw new IllegalStateException("batch not read up to its COMMIT");
        }
    }

    /** One transaction's records, checked record by record as they are copied into the writer's buffer. */
    private final class Received implements EncodedTransaction {
        private final Incoming batch;
        private final boolean streamed;
        private Scn csn;
        private Xid xid;

        Received(Incoming batch, boolean streamed) {
            this.batch = batch;
            this.streamed = streamed;
        }

        @Override
        public boolean streamed() {
            return streamed;
        }

        @Override
        public void writeRecords(BinaryWriter w, Runnable afterRecord) {
            FrameCodec.Frame f = batch.frame;
            int at = batch.at;
            boolean ended = false;
            while (true) {
                byte[] p = f.payload();
                while (at < p.length && !ended) {
                    int len = record(f, p, at);
                    ended = check(f, p, at, len);
                    w.bytes(p, at, len);
                    afterRecord.run();
                    at += len;
                }
                boolean last = (p[0] & RemoteProtocol.LAST) != 0;
                if (ended) {
                    if (at == p.length && !last) {
                        throw protocol(f, "transaction " + xid + " ends at the end of RECORDS not flagged LAST (payload byte " + at + ")");
                    }
                    break;
                }
                if (last) {
                    throw protocol(f, "RECORDS flagged LAST ends inside transaction " + xid + " (cut at payload byte " + at
                            + ", no end record)");
                }
                f = receive();
                if (f.type() != RemoteProtocol.RECORDS || f.payload().length <= 1 || (f.payload()[0] & RemoteProtocol.FIRST) != 0) {
                    throw protocol(f, "expected more RECORDS of transaction " + xid + ", got message type " + f.type()
                            + (f.type() == RemoteProtocol.RECORDS ? " flagged FIRST or without a record" : ""));
                }
                at = 1;
            }
            batch.frame = f;
            batch.at = at;
            transactions++;
        }

        /** Length of the trail record at {@code at}, after checking its frame and CRC-32C. */
        private int record(FrameCodec.Frame f, byte[] p, int at) {
            if (p.length - at < TrailFormat.FRAME) throw protocol(f, "record frame cut short at payload byte " + at);
            int l = ByteBuffer.wrap(p, at, 4).getInt();
            if (l < 2 || l > p.length - at - 8) throw protocol(f, "record length " + l + " at payload byte " + at + " runs past the message");
            int total = 4 + l + 4;
            CRC32C crc = new CRC32C();
            crc.update(p, at, 4 + l);
            if ((int) crc.getValue() != ByteBuffer.wrap(p, at + 4 + l, 4).getInt()) {
                throw protocol(f, "CRC-32C mismatch in the record at payload byte " + at);
            }
            if (p[at + 4] != TrailFormat.TYPE_ROW) throw protocol(f, "record type " + p[at + 4] + " at payload byte " + at + " is not ROW");
            return total;
        }

        /** Checks TransInd order and the transaction's identity; true at its end record. */
        private boolean check(FrameCodec.Frame f, byte[] p, int at, int len) {
            RowRecords.Head h;
            try {
                h = RowRecords.head(new BinaryReader(p, at + 5, len - 9, Path.of(link.peer()), f.offset()));
            } catch (CorruptFileException e) {
                throw protocol(f, "ROW record at payload byte " + at + ": " + e.getMessage());
            }
            boolean begins = h.transInd() == TrailFormat.TRANS_BEGIN || h.transInd() == TrailFormat.TRANS_WHOLE;
            if (xid == null) {
                if (!begins) throw protocol(f, "transaction starts with TransInd " + h.transInd());
                csn = Scn.of(h.csn());
                xid = h.xid();
                if (writer.alreadyWritten(csn, xid)) {
                    throw protocol(f, "transaction " + xid + " at CSN " + csn.display() + " (payload byte " + at
                            + ") is already in the trail (last CSN " + writer.lastCsn().display() + "): the pump must skip it");
                }
                int order = csn.compareTo(batch.previousCsn);
                if (order < 0) {
                    throw protocol(f, "transaction " + xid + " at CSN " + csn.display() + " (payload byte " + at + ") comes after CSN "
                            + batch.previousCsn.display() + ": not in commit order");
                }
                if (order > 0) batch.previousXids.clear();
                if (!batch.previousXids.add(xid)) {
                    throw protocol(f, "transaction " + xid + " at CSN " + csn.display() + " (payload byte " + at
                            + ") was sent twice in one batch");
                }
                batch.previousCsn = csn;
            } else if (begins || !h.xid().equals(xid) || h.csn() != csn.value()) {
                throw protocol(f, "record of XID " + h.xid() + " TransInd " + h.transInd() + " inside transaction " + xid);
            }
            return h.transInd() == TrailFormat.TRANS_END || h.transInd() == TrailFormat.TRANS_WHOLE;
        }

        @Override
        public Scn csn() {
            return csn;
        }

        @Override
        public Xid xid() {
            return xid;
        }
    }
}
