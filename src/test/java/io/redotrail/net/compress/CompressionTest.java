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

public class CompressionTest {
    private static final int LIMIT = 4 << 20;

    /** Real trail records (the trail's own encoder) of an order-entry workload: what a pump frame carries. */
    public static byte[] trailRecords(int transactions, long seed) {
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
    void trailRecordsRoundTripAtLeastHalved(Compression algorithm) throws Exception {
        byte[] raw = trailRecords(400, 7);
        byte[] block = algorithm.compress(raw, 0, raw.length);
        assertTrue(block.length * 2 < raw.length, algorithm + " should at least halve trail records: " + block.length + " of " + raw.length);
        assertArrayEquals(raw, algorithm.decompress(block, 0, block.length, LIMIT));
        // a slice in the middle of a larger array
        byte[] slice = algorithm.compress(raw, 1000, 5000);
        assertArrayEquals(Arrays.copyOfRange(raw, 1000, 6000), algorithm.decompress(slice, 0, slice.length, LIMIT));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void incompressibleDataRoundTripsSlightlyLarger(Compression algorithm) throws Exception {
        byte[] raw = new byte[64 * 1024];
        new Random(3).nextBytes(raw);
        byte[] block = algorithm.compress(raw, 0, raw.length);
        assertTrue(block.length >= raw.length, "random bytes do not shrink: the link sends them raw (FrameCodec)");
        assertArrayEquals(raw, algorithm.decompress(block, 0, block.length, LIMIT));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void corruptBlocksAreRefused(Compression algorithm) {
        byte[] raw = trailRecords(100, 5);
        byte[] good = algorithm.compress(raw, 0, raw.length);

        // declared length one more / one less than the block holds
        for (int delta : new int[]{1, -1}) {
            byte[] b = good.clone();
            int declared = raw.length + delta;
            b[0] = (byte) (declared >>> 24); b[1] = (byte) (declared >>> 16); b[2] = (byte) (declared >>> 8); b[3] = (byte) declared;
            CorruptBlockException x = assertThrows(CorruptBlockException.class, () -> algorithm.decompress(b, 0, b.length, LIMIT));
            assertTrue(x.getMessage().startsWith("RTR-01601 corrupt " + (algorithm == Compression.LZ4 ? "LZ4" : "zstd")), x.getMessage());
        }
        // truncated block
        CorruptBlockException t = assertThrows(CorruptBlockException.class, () -> algorithm.decompress(good, 0, good.length - 7, LIMIT));
        assertTrue(t.getMessage().contains("RTR-01601"), t.getMessage());
        // garbage in the body: refused, or (when the codec cannot tell) never a wrong length
        Random r = new Random(9);
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            byte[] b = good.clone();
            b[4 + r.nextInt(b.length - 4)] ^= (byte) (1 + r.nextInt(255));
            try {
                assertEquals(raw.length, algorithm.decompress(b, 0, b.length, LIMIT).length);
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
        byte[] block = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3};
        CorruptBlockException big = assertThrows(CorruptBlockException.class, () -> Compression.ZSTD.decompress(block, 0, block.length, 1 << 20));
        assertEquals("RTR-01602 ZSTD block declares 2147483647 raw bytes, over the link's frame limit of 1048576: refused before decoding",
                big.getMessage());
        byte[] neg = {(byte) 0xff, 0, 0, 0, 1};
        assertTrue(assertThrows(CorruptBlockException.class, () -> Compression.LZ4.decompress(neg, 0, neg.length, 1 << 20))
                .getMessage().startsWith("RTR-01602 LZ4 block declares 4278190080 raw bytes"));
        CorruptBlockException unknown = assertThrows(CorruptBlockException.class, () -> Compression.ofWireId((byte) 9));
        assertTrue(unknown.getMessage().startsWith("RTR-01603 unknown compression flag 9"), unknown.getMessage());
        byte[] raw = new byte[(1 << 20) + 1];
        assertThrows(CorruptBlockException.class, () -> Compression.NONE.decompress(raw, 0, raw.length, 1 << 20));
    }

    @Test
    void optionsValidated() {
        assertEquals(Compression.ZSTD, Compression.ofAlgorithm("zstd"));
        assertEquals("RTR-01604 COMPRESSALGORITHM GZIP is not known: use LZ4 (default) or ZSTD",
                assertThrows(IllegalArgumentException.class, () -> Compression.ofAlgorithm("GZIP")).getMessage());
        assertEquals("RTR-01604 COMPRESSTHRESHOLD 28001 is out of range 0 to 28000",
                assertThrows(IllegalArgumentException.class, () -> new CompressionOptions(Compression.LZ4, 28001)).getMessage());
        assertEquals("COMPRESS LZ4 COMPRESSTHRESHOLD 1000", CompressionOptions.lz4().toString());
        assertEquals("NOCOMPRESS", CompressionOptions.OFF.toString());
        assertNotEquals(Compression.LZ4.wireId(), Compression.ZSTD.wireId());
    }
}
