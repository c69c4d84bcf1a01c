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
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * The collector's side of one pump connection ({@link RemoteProtocol}): HELLO names the trail and the pump's
 * write checkpoint; the trail is opened with append-mode recovery ({@link TrailWriter#open}, OGG-01052 /
 * OGG-01056) and READY tells the pump what it holds; then each batch of RECORDS up to a COMMIT is written with
 * {@link TrailWriter#appendEncoded} — the records byte for byte, as the pump's encoder made them — forced once and
 * acknowledged with the durable state. Every record is checked first (frame, CRC-32C, ROW type, TransInd order,
 * one XID per transaction, commit order, not already in the trail): a bad one fails the session and the writer,
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
            String file = hello.trail() + String.format("%09d", cut != null ? cut.seqno() : writer.seqno());
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
            throw new IllegalArgumentException("pump " + hello.group() + " speaks protocol version " + hello.version()
                    + ", this collector " + RemoteProtocol.VERSION);
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

    /** The transactions of one batch, read from the connection as the writer asks for them, up to COMMIT. */
    private final class Incoming implements Iterator<EncodedTransaction> {
        private FrameCodec.Frame pending;
        private boolean done;
        private int count;
        private Scn previousCsn = Scn.ZERO;

        Incoming(FrameCodec.Frame first) {
            this.pending = first;
        }

        @Override
        public boolean hasNext() {
            if (done) return false;
            if (pending == null) pending = receive();
            if (pending.type() == RemoteProtocol.COMMIT) {
                int said = RemoteProtocol.count(pending, link.peer());
                if (said != count) throw protocol(pending, "COMMIT announces " + said + " transactions, " + count + " were sent");
                done = true;
                return false;
            }
            if (pending.type() == RemoteProtocol.ERROR) {
                throw protocol(pending, "the pump gave up: " + RemoteProtocol.text(pending, link.peer()));
            }
            if (pending.type() != RemoteProtocol.RECORDS || pending.payload().length == 0
                    || (pending.payload()[0] & RemoteProtocol.FIRST) == 0) {
                throw protocol(pending, "expected the first RECORDS of a transaction or COMMIT, got message type " + pending.type());
            }
            return true;
        }

        @Override
        public EncodedTransaction next() {
            if (!hasNext()) throw new NoSuchElementException();
            FrameCodec.Frame f = pending;
            pending = null;
            count++;
            return new Received(f, this);
        }

        void finish() {
            if (!done) throw new IllegalStateException("batch not read up to its COMMIT");
        }
    }

    /** One transaction's records, checked record by record as they are copied into the writer's buffer. */
    private final class Received implements EncodedTransaction {
        private final FrameCodec.Frame first;
        private final Incoming batch;
        private Scn csn;
        private Xid xid;

        Received(FrameCodec.Frame first, Incoming batch) {
            this.first = first;
            this.batch = batch;
        }

        @Override
        public boolean streamed() {
            return (first.payload()[0] & RemoteProtocol.STREAMED) != 0;
        }

        @Override
        public void writeRecords(BinaryWriter w, Runnable afterRecord) {
            FrameCodec.Frame f = first;
            boolean ended = false;
            while (true) {
                byte[] p = f.payload();
                int at = 1;
                while (at < p.length) {
                    if (ended) throw protocol(f, "ROW record after the end of transaction " + xid);
                    int len = record(f, p, at);
                    ended = check(f, p, at, len);
                    w.bytes(p, at, len);
                    afterRecord.run();
                    at += len;
                }
                if ((p[0] & RemoteProtocol.LAST) != 0) break;
                f = receive();
                if (f.type() != RemoteProtocol.RECORDS || f.payload().length == 0
                        || (f.payload()[0] & RemoteProtocol.FIRST) != 0) {
                    throw protocol(f, "expected more RECORDS of transaction " + xid + ", got message type " + f.type());
                }
            }
            if (!ended) throw protocol(f, "transaction " + xid + " ends without its end record");
            if (csn.compareTo(batch.previousCsn) < 0) {
                throw protocol(first, "transaction " + xid + " at CSN " + csn.display() + " comes after CSN "
                        + batch.previousCsn.display() + ": not in commit order");
            }
            batch.previousCsn = csn;
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
                    throw protocol(f, "transaction " + xid + " at CSN " + csn.display() + " is already in the trail (last CSN "
                            + writer.lastCsn().display() + "): the pump must skip it");
                }
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
