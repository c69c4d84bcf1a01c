package io.redotrail.trail.remote;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.net.FrameCodec;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailTestData;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redotrail.trail.remote.RemoteProtocol.FIRST;
import static io.redotrail.trail.remote.RemoteProtocol.LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RECORDS messages of protocol version 2 against a real {@link CollectorSession} over loopback TCP: several whole
 * transactions in one message and one transaction cut across two are written once each; a message that cuts a
 * transaction yet says it ends with one, a transaction sent twice in a message, or one out of commit order is
 * refused naming the peer, the message's byte offset and the record's payload byte, and nothing of the batch
 * stays; a pump of version 1 is refused naming both versions. The pump's packer ({@link RecordFrames}), cutting at a
 * small budget, is read back whole.
 */
class RemoteRecordsTest {
    @TempDir
    Path home;

    private List<Transaction> readAll() {
        List<Transaction> out = new ArrayList<>();
        try (TrailReader r = new TrailReader(home.resolve("dirdat/ha"), TrailPosition.START)) {
            for (List<Transaction> b = r.poll(1 << 20); !b.isEmpty(); b = r.poll(1 << 20)) out.addAll(b);
        }
        return out;
    }

    private RemoteProtocol.State commit(RawPump p, int n) throws Exception {
        p.link().send(RemoteProtocol.COMMIT, RemoteProtocol.count(n));
        p.link().flush();
        FrameCodec.Frame f = p.link().receive();
        assertEquals(RemoteProtocol.ACK, f.type(), () -> f.type() == RemoteProtocol.ERROR ? RemoteProtocol.text(f, "collector") : "");
        return RemoteProtocol.State.decode(f, "collector");
    }

    private void assertTrailEmpty() {
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ha"), "PUMP1", 1 << 20)) {
            assertEquals(Scn.ZERO, w.lastCsn(), "the batch was never acknowledged: recovery cut all of it");
        }
    }

    /** Payload byte where the record of {@code txs[k]} begins in {@link RawPump#records}(flags, txs...). */
    private static int payloadByte(int k, Transaction... txs) {
        return RawPump.records(0, Arrays.copyOf(txs, k)).length;
    }

    @Test
    void severalTransactionsInOneMessageAndOneCutAcrossTwoAreWrittenOnce() throws Exception {
        List<Transaction> txs = TrailTestData.txs(1, 6, 4);
        // transaction 4 is cut after its second record: the first message ends inside it, the second goes on
        BinaryWriter w = new BinaryWriter();
        w.u8(FIRST);
        for (int i = 0; i < 3; i++) RowRecords.writeTransaction(w, txs.get(i));
        int[] cut = {0, 0};
        RowRecords.writeTransaction(w, txs.get(3), c -> {
            if (++cut[0] == 2) cut[1] = w.position();
        });
        byte[] all = w.toByteArray();
        RawPump p = RawPump.connect(home);
        p.link().send(RemoteProtocol.RECORDS, Arrays.copyOf(all, cut[1]));
        BinaryWriter rest = new BinaryWriter();
        rest.u8(LAST).bytes(all, cut[1], all.length - cut[1]);
        RowRecords.writeTransaction(rest, txs.get(4));
        p.link().send(RemoteProtocol.RECORDS, rest.toByteArray());
        RemoteProtocol.State s = commit(p, 5);
        assertEquals(Scn.of(1005), s.lastCsn());
        p.link().close();
        CollectorSession.Result r = p.session().get(30, TimeUnit.SECONDS);
        assertEquals(1, r.batches());
        assertEquals(5, r.transactions());
        List<Transaction> got = readAll();
        assertEquals(5, got.size());
        for (int i = 0; i < 5; i++) TrailTestData.assertSameTx(txs.get(i), got.get(i));
    }

    @Test
    void aMessageFlaggedLastThatCutsATransactionIsRefused() throws Exception {
        Transaction a = TrailTestData.tx(1, 2), b = TrailTestData.tx(2, 3);
        BinaryWriter w = new BinaryWriter();
        w.u8(FIRST | LAST);
        RowRecords.writeTransaction(w, a);
        int[] n = {0, 0};
        RowRecords.writeTransaction(w, b, c -> {
            if (++n[0] == 2) n[1] = w.position();
        });
        RawPump p = RawPump.connect(home);
        long at = p.nextFrameAt();
        p.link().send(RemoteProtocol.RECORDS, Arrays.copyOf(w.toByteArray(), n[1])); // a whole, b without its end record
        p.link().send(RemoteProtocol.COMMIT, RemoteProtocol.count(2));
        p.link().flush();
        String why = p.refusal();
        assertTrue(why.startsWith("from " + RawPump.PEER + " at byte " + at + ": RECORDS flagged LAST ends inside transaction "
                + b.xid() + " (cut at payload byte " + n[1] + ", no end record)"), why);
        assertTrailEmpty();
    }

    @Test
    void aTransactionSentTwiceInOneMessageIsRefused() throws Exception {
        Transaction a = TrailTestData.tx(1, 2), b = TrailTestData.tx(2, 3);
        RawPump p = RawPump.connect(home);
        long at = p.nextFrameAt();
        p.link().send(RemoteProtocol.RECORDS, RawPump.records(FIRST | LAST, a, b, b));
        p.link().send(RemoteProtocol.COMMIT, RemoteProtocol.count(3));
        p.link().flush();
        String why = p.refusal();
        assertTrue(why.equals("from " + RawPump.PEER + " at byte " + at + ": transaction " + b.xid() + " at CSN " + b.csn().display()
                + " (payload byte " + payloadByte(2, a, b, b) + ") was sent twice in one batch"), why);
        assertTrailEmpty();
    }

    @Test
    void aTransactionOutOfCommitOrderInsideAMessageIsRefused() throws Exception {
        Transaction a = TrailTestData.tx(1, 2), b = TrailTestData.tx(2, 3), c = TrailTestData.tx(3, 1);
        RawPump p = RawPump.connect(home);
        p.link().send(RemoteProtocol.RECORDS, RawPump.records(FIRST | LAST, a));
        long at = p.nextFrameAt();
        p.link().send(RemoteProtocol.RECORDS, RawPump.records(FIRST | LAST, c, b));
        p.link().send(RemoteProtocol.COMMIT, RemoteProtocol.count(3));
        p.link().flush();
        String why = p.refusal();
        assertTrue(why.equals("from " + RawPump.PEER + " at byte " + at + ": transaction " + b.xid() + " at CSN " + b.csn().display()
                + " (payload byte " + payloadByte(1, c, b) + ") comes after CSN " + c.csn().display() + ": not in commit order"), why);
        assertTrailEmpty();
    }

    @Test
    void aMessageNotFlaggedLastBeforeCommitIsRefused() throws Exception {
        Transaction a = TrailTestData.tx(1, 2);
        RawPump p = RawPump.connect(home);
        long at = p.nextFrameAt();
        p.link().send(RemoteProtocol.RECORDS, RawPump.records(FIRST, a));
        p.link().send(RemoteProtocol.COMMIT, RemoteProtocol.count(1));
        p.link().flush();
        String why = p.refusal();
        assertTrue(why.startsWith("from " + RawPump.PEER + " at byte " + at + ": transaction " + a.xid()
                + " ends at the end of RECORDS not flagged LAST (payload byte " + payloadByte(1, a) + ")"), why);
        assertTrailEmpty();
    }

    @Test
    void aPumpOfProtocolVersion1IsRefusedNamingBothVersions() throws Exception {
        RawPump p = RawPump.open(home);
        p.hello(1);
        String why = p.refusal();
        assertTrue(why.startsWith("pump PUMP1 speaks trail protocol version 1, this collector version 2"), why);
    }

    @Test
    void thePumpsPackerCutsAtItsBudgetAndTheCollectorJoinsThePieces() throws Exception {
        List<Transaction> txs = new ArrayList<>(TrailTestData.txs(1, 40, 3));
        txs.add(TrailTestData.tx(40, 200)); // about ten times the budget: cut inside, at record boundaries
        txs.addAll(TrailTestData.txs(41, 60, 1));
        RawPump p = RawPump.connect(home);
        long before = p.nextFrameAt();
        new RecordFrames(new RowRecords.Encoder(null), 2048).send(p.link(), txs);
        long sent = p.nextFrameAt() - before;
        assertEquals(Scn.of(1059), commit(p, txs.size()).lastCsn());
        p.link().close();
        assertEquals(59, p.session().get(30, TimeUnit.SECONDS).transactions());
        List<Transaction> got = readAll();
        assertEquals(txs.size(), got.size());
        for (int i = 0; i < txs.size(); i++) TrailTestData.assertSameTx(txs.get(i), got.get(i));
        byte[] plain = RawPump.records(0, txs.toArray(Transaction[]::new));
        long messages = (sent - (plain.length - 1)) / 11; // each RECORDS adds 6 bytes of head, 1 of flags, 4 of CRC
        // every message but the last holds at least the budget, and at most one small record more
        assertTrue(messages >= plain.length / 2200 && messages <= plain.length / 2047 + 1, messages + " messages for " + plain.length + " bytes");
    }
}
