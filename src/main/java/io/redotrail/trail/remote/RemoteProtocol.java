package io.redotrail.trail.remote;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.net.FrameCodec;
import io.redotrail.trail.TrailFormat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The trail protocol between a pump and a collector, over the frames of {@code io.redotrail.net} (one message
 * per frame; layouts big-endian, strings u16 + UTF-8, XID = i32 usn, i32 slot, i64 sqn):
 * <pre>
 * pump → collector
 *   1 HELLO    u16 version (2), group, trail (./dirdat/ha, in the collector's home), i64 max file bytes,
 *              u8 1 + i64 seqno + i64 RBA: the pump's write checkpoint (recovery never cuts below it) | u8 0
 *   3 RECORDS  u8 flags, then whole ROW records exactly as the trail holds them (trail-format.md), in commit
 *              order: one or more transactions, the first of which may continue from the previous RECORDS and the
 *              last of which may go on in the next. Flags: 1 FIRST, the records begin with a transaction's first
 *              record; 2 STREAMED, that transaction is larger than the heap; 4 LAST, they end with a
 *              transaction's end record (version 1: one transaction per RECORDS, FIRST on its first chunk, LAST
 *              on its last)
 *   4 COMMIT   i32 transactions sent since the last COMMIT: write them, fsync, acknowledge (0: a heartbeat,
 *              acknowledged without an fsync)
 * collector → pump
 *   2 READY    state: what the recovered trail holds (below), u8 recovered + i64 seqno + i64 RBA where recovery
 *              cut a torn tail | u8 0, u8 1 when the trail had no file before
 *   5 ACK      state after the fsync of everything up to the COMMIT
 *   6 ERROR    string: why the collector (or pump) refuses; the connection closes after it
 * state = i64 seqno, i64 RBA (end of the last complete transaction), i64 last CSN, u16 n, n × XID (those
 * committed at the last CSN)
 * </pre>
 * The pump skips every transaction READY or ACK says the trail holds, so a reconnect after a lost ACK, a killed
 * collector or a killed pump writes each transaction once. A collector refuses a HELLO of another version with an
 * ERROR naming both versions (version 1 collectors too), before anything is written. Stateless.
 */
public final class RemoteProtocol {
    /** 2: several transactions per RECORDS message (1: one). */
    public static final int VERSION = 2;
    public static final int HELLO = 1, READY = 2, RECORDS = 3, COMMIT = 4, ACK = 5, ERROR = 6;
    public static final int FIRST = 1, STREAMED = 2, LAST = 4;

    private RemoteProtocol() {
    }

    public record Hello(int version, String group, String trail, long maxFileBytes, TrailPosition durable) {
        public byte[] encode() {
            BinaryWriter w = new BinaryWriter(256);
            w.i16(version).shortString(group).shortString(trail).i64(maxFileBytes);
            if (durable == null) w.u8(0);
            else w.u8(1).i64(durable.seqno()).i64(durable.rba());
            return w.toByteArray();
        }

        static Hello decode(FrameCodec.Frame f, String peer) {
            return decoded(f, peer, r -> {
                int v = r.u16("version");
                String g = r.shortString("group");
                String t = r.shortString("trail");
                long max = r.i64("max file bytes");
                TrailPosition d = r.u8("durable flag") == 1 ? new TrailPosition(r.i64("seqno"), r.i64("RBA")) : null;
                return new Hello(v, g, t, max, d);
            });
        }
    }

    /** What the trail holds: the write position after its last complete transaction, its CSN and XIDs. */
    public record State(TrailPosition position, Scn lastCsn, List<Xid> lastXids) {
        public State {
            lastXids = List.copyOf(lastXids);
        }

        void write(BinaryWriter w) {
            w.i64(position.seqno()).i64(position.rba()).i64(lastCsn.value()).i16(lastXids.size());
            for (Xid x : lastXids) TrailFormat.writeXid(w, x);
        }

        static State read(BinaryReader r) {
            TrailPosition p = new TrailPosition(r.i64("seqno"), r.i64("RBA"));
            Scn csn = Scn.of(r.i64("last CSN"));
            int n = r.u16("XID count");
            List<Xid> xids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) xids.add(TrailFormat.readXid(r));
            return new State(p, csn, xids);
        }

        public byte[] encode() {
            BinaryWriter w = new BinaryWriter(64 + 16 * lastXids.size());
            write(w);
            return w.toByteArray();
        }

        static State decode(FrameCodec.Frame f, String peer) {
            return decoded(f, peer, State::read);
        }
    }

    public record Ready(State state, TrailPosition recoveredAt, boolean newTrail) {
        public byte[] encode() {
            BinaryWriter w = new BinaryWriter(128);
            state.write(w);
            if (recoveredAt == null) w.u8(0);
            else w.u8(1).i64(recoveredAt.seqno()).i64(recoveredAt.rba());
            w.u8(newTrail ? 1 : 0);
            return w.toByteArray();
        }

        static Ready decode(FrameCodec.Frame f, String peer) {
            return decoded(f, peer, r -> {
                State s = State.read(r);
                TrailPosition rec = r.u8("recovered flag") == 1 ? new TrailPosition(r.i64("seqno"), r.i64("RBA")) : null;
                return new Ready(s, rec, r.u8("new trail flag") == 1);
            });
        }
    }

    public static byte[] text(String s) {
        return new BinaryWriter(s.length() * 3 + 8).string(s).toByteArray();
    }

    static String text(FrameCodec.Frame f, String peer) {
        return decoded(f, peer, r -> r.string("text"));
    }

    static byte[] count(int n) {
        return new BinaryWriter(4).i32(n).toByteArray();
    }

    static int count(FrameCodec.Frame f, String peer) {
        return decoded(f, peer, r -> r.i32("count"));
    }

    /** A message that does not parse: the peer, the frame's offset and what was wrong. */
    public static final class ProtocolException extends RuntimeException {
        public ProtocolException(String message) {
            super(message);
        }
    }

    private static <T> T decoded(FrameCodec.Frame f, String peer, java.util.function.Function<BinaryReader, T> read) {
        BinaryReader r = new BinaryReader(f.payload(), 0, f.payload().length, Path.of(peer), 0);
        try {
            T t = read.apply(r);
            if (r.remaining() != 0) throw r.corrupt(r.remaining() + " unexpected bytes at the end");
            return t;
        } catch (CorruptFileException e) {
            throw new ProtocolException("message of type " + f.type() + " from " + peer + " at byte " + f.offset()
                    + " does not parse: " + e.getMessage());
        }
    }
}
