package io.redotrail.net.compress;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.trail.RowRecords;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadCompressionTest {
    private static final int LIMIT = 4 << 20;

    /** Real trail records (the trail's own encoder) of an order-entry workload: what a pump frame carries. */
    static byte[] trailRecords(int transactions, long seed) {
        Random r = new Random(seed);
        String[] cities = {"Lyon", "Osaka", "Porto", "Dalian", "Quito", "Tartu"};
        BinaryWriter w = new BinaryWriter();
        for (int t = 0; t < transactions; t++) {
            List<RowChange> changes = new ArrayList<>();
            for (int i = 0; i < 1 + r.nextInt(8); i++) {
                long id = t * 100L + i;
                RowImage after = new RowImage(new String[]{"ORDER_ID", "CUSTOMER", "CITY", "STATUS", "AMOUNT_CENTS", "NOTE"},
                        new Object[]{id, "customer-" + r.nextInt(5000), cities[r.nextInt(cities.length)],
                                r.nextBoolean() ? "OPEN" : "SHIPPED", (long) r.nextInt(1_000_000), "order " + id + " via web"});
                boolean update = r.nextInt(4) == 0;
                RowImage before = update ? new RowImage(after.columns(), after.values().clone()) : null;
                changes.add(new RowChange("SALES.ORDERS", update ? ChangeOp.UPDATE : ChangeOp.INSERT, before, after));
            }
            RowRecords.writeTransaction(w, new Transaction(new Xid(1, t % 50, t), Scn.of(900_000 + t),
                    1_760_000_000_000L + t * 37L, 1, changes, new RedoPosition(1, 3, 512L * t)));
        }
        return w.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void trailRecordsRoundTripSmallerOnTheWire(Compression algorithm) throws Exception {
        byte[] raw = trailRecords(400, 7);
        CompressionCounters sent = new CompressionCounters();
        CompressionCounters received = new CompressionCounters();
        PayloadCompression sender = new PayloadCompression(new CompressionOptions(algorithm, 1000), LIMIT, sent);
        PayloadCompression receiver = new PayloadCompression(CompressionOptions.OFF, LIMIT, received);

        PayloadCompression.Encoded e = sender.encode(raw, 0, raw.length);
        assertEquals(algorithm, e.flag());
        assertTrue(e.length() * 2 < raw.length, algorithm + " should at least halve trail records: " + e.length() + " of " + raw.length);
        byte[] back = receiver.decode(e.flagByte(), e.bytes(), e.offset(), e.length());
        assertArrayEquals(raw, back);

        assertEquals(raw.length, sent.rawBytes());
        assertEquals(e.length(), sent.wireBytes());
        assertEquals(sent.rawBytes(), received.rawBytes());
        assertEquals(sent.wireBytes(), received.wireBytes());
        assertEquals((double) raw.length / e.length(), sent.ratio(), 1e-9);
        assertTrue(sent.ratio() > 2.0, sent.summary());
        assertEquals(1, sent.compressedFrames());
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void incompressibleDataTravelsRawAndRoundTrips(Compression algorithm) throws Exception {
        byte[] raw = new byte[64 * 1024];
        new Random(3).nextBytes(raw);
        CompressionCounters c = new CompressionCounters();
        PayloadCompression f = new PayloadCompression(new CompressionOptions(algorithm, 0), LIMIT, c);
        PayloadCompression.Encoded e = f.encode(raw, 0, raw.length);
        assertEquals(Compression.NONE, e.flag(), "a block that does not shrink must go raw");
        assertEquals(raw.length, e.length());
        assertArrayEquals(raw, f.decode(e.flagByte(), e.bytes(), e.offset(), e.length()));
        assertEquals(0, c.compressedFrames());
        assertEquals(1.0, c.ratio(), 1e-9);
    }

    @Test
    void thresholdHonoured() throws Exception {
        byte[] big = trailRecords(50, 11);
        CompressionCounters c = new CompressionCounters();
        PayloadCompression f = new PayloadCompression(new CompressionOptions(Compression.LZ4, 2000), LIMIT, c);
        assertTrue(big.length > 4000);

        PayloadCompression.Encoded below = f.encode(big, 0, 1999);
        assertEquals(Compression.NONE, below.flag(), "1999 bytes are below COMPRESSTHRESHOLD 2000");
        assertEquals(1999, below.length());
        assertArrayEquals(Arrays.copyOf(big, 1999), f.decode(below.flagByte(), below.bytes(), below.offset(), below.length()));

        PayloadCompression.Encoded at = f.encode(big, 0, 2000);
        assertEquals(Compression.LZ4, at.flag(), "2000 bytes reach COMPRESSTHRESHOLD 2000");
        assertTrue(at.length() < 2000);
        assertArrayEquals(Arrays.copyOf(big, 2000), f.decode(at.flagByte(), at.bytes(), at.offset(), at.length()));

        assertEquals(2, c.compressedFrames(), "1 compressed sent + 1 received");
        assertEquals(4, c.frames());
    }

    @Test
    void compressOffSendsEverythingRaw() {
        byte[] raw = trailRecords(50, 1);
        CompressionCounters c = new CompressionCounters();
        PayloadCompression.Encoded e = new PayloadCompression(CompressionOptions.OFF, LIMIT, c).encode(raw, 0, raw.length);
        assertEquals(Compression.NONE, e.flag());
        assertEquals(raw.length, c.wireBytes());
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void corruptBlocksAreRefused(Compression algorithm) {
        byte[] raw = trailRecords(100, 5);
        PayloadCompression f = new PayloadCompression(new CompressionOptions(algorithm, 0), LIMIT, new CompressionCounters());
        PayloadCompression.Encoded e = f.encode(raw, 0, raw.length);
        byte[] good = Arrays.copyOfRange(e.bytes(), e.offset(), e.offset() + e.length());

        // declared length one more / one less than the block holds
        for (int delta : new int[]{1, -1}) {
            byte[] b = good.clone();
            int declared = raw.length + delta;
            b[0] = (byte) (declared >>> 24); b[1] = (byte) (declared >>> 16); b[2] = (byte) (declared >>> 8); b[3] = (byte) declared;
            CorruptBlockException x = assertThrows(CorruptBlockException.class, () -> f.decode(e.flagByte(), b, 0, b.length));
            assertTrue(x.getMessage().startsWith("RTR-01601 corrupt " + (algorithm == Compression.LZ4 ? "LZ4" : "zstd")), x.getMessage());
        }
        // truncated block
        CorruptBlockException t = assertThrows(CorruptBlockException.class, () -> f.decode(e.flagByte(), good, 0, good.length - 7));
        assertTrue(t.getMessage().contains("RTR-01601"), t.getMessage());
        // garbage in the body: refused, or (if the codec cannot tell) never a silent wrong length
        Random r = new Random(9);
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            byte[] b = good.clone();
            b[4 + r.nextInt(b.length - 4)] ^= (byte) (1 + r.nextInt(255));
            try {
                byte[] out = f.decode(e.flagByte(), b, 0, b.length);
                assertEquals(raw.length, out.length);
            } catch (CorruptBlockException x) {
                refused++;
                assertTrue(x.getMessage().contains("RTR-01601"), x.getMessage());
            }
        }
        // the link's CRC-32C catches the rest; the codec must refuse a good share on its own
        assertTrue(refused > 0, "no flipped byte was refused by " + algorithm);
    }

    @Test
    void oversizedAndUnknownAreRefusedBeforeDecoding() {
        PayloadCompression f = new PayloadCompression(CompressionOptions.OFF, 1 << 20, new CompressionCounters());
        byte[] block = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3};
        CorruptBlockException big = assertThrows(CorruptBlockException.class, () -> f.decode(Compression.ZSTD.wireId(), block, 0, block.length));
        assertEquals("RTR-01602 ZSTD block declares 2147483647 raw bytes, over the link's frame limit of 1048576: refused before decoding",
                big.getMessage());
        byte[] neg = {(byte) 0xff, 0, 0, 0, 1};
        assertTrue(assertThrows(CorruptBlockException.class, () -> f.decode(Compression.LZ4.wireId(), neg, 0, neg.length))
                .getMessage().startsWith("RTR-01602 LZ4 block declares 4278190080 raw bytes"));
        CorruptBlockException unknown = assertThrows(CorruptBlockException.class, () -> f.decode((byte) 9, block, 0, block.length));
        assertTrue(unknown.getMessage().startsWith("RTR-01603 unknown compression flag 9"), unknown.getMessage());
        byte[] raw = new byte[(1 << 20) + 1];
        assertThrows(CorruptBlockException.class, () -> f.decode(Compression.NONE.wireId(), raw, 0, raw.length));
    }

    @Test
    void optionsValidated() {
        assertEquals(Compression.ZSTD, Compression.ofAlgorithm("zstd"));
        assertEquals("RTR-01604 COMPRESSALGORITHM GZIP is not known: use LZ4 (default) or ZSTD",
                assertThrows(IllegalArgumentException.class, () -> Compression.ofAlgorithm("GZIP")).getMessage());
        assertEquals("RTR-01604 COMPRESSTHRESHOLD 28001 is out of range 0 to 28000",
                assertThrows(IllegalArgumentException.class, () -> new CompressionOptions(Compression.LZ4, 28001)).getMessage());
        assertEquals("COMPRESS LZ4 COMPRESSTHRESHOLD 1000", CompressionOptions.lz4().toString());
        assertNotEquals(Compression.LZ4.wireId(), Compression.ZSTD.wireId());
    }
}
