package io.redotrail.net;

import io.redotrail.net.compress.CompressionCounters;
import io.redotrail.net.compress.CompressionTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COMPRESS through the frame layout: codec flag, COMPRESSTHRESHOLD, raw/wire counters, corrupt blocks. */
class FrameCompressionTest {
    private static final String PEER = "collector 127.0.0.1:7840";

    private static int flags(byte[] stream, int frameAt) {
        return stream[frameAt + 5] & 0xff;
    }

    @Test
    void lz4AndZstdFramesRoundTripWithTheirFlagAndCountedBytes() throws Exception {
        byte[] raw = CompressionTest.trailRecords(300, 17);
        for (FrameCompression c : new FrameCompression[]{FrameCompression.LZ4, FrameCompression.ZSTD}) {
            CompressionCounters counters = new CompressionCounters();
            FrameCodec w = new FrameCodec(PEER, c, 1000, counters);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            w.write(out, 4, raw, 0, raw.length);
            byte[] stream = out.toByteArray();
            assertEquals(c.id(), flags(stream, 0));
            assertTrue(stream.length * 2 < raw.length, c.name() + ": " + stream.length + " of " + raw.length);
            FrameCodec.Frame f = new FrameCodec(PEER, FrameCompression.NONE).read(new ByteArrayInputStream(stream));
            assertArrayEquals(raw, f.payload());
            assertEquals(raw.length, counters.rawBytes());
            assertEquals(stream.length - 10, counters.wireBytes(), "payload bytes on the wire, frame header and CRC excluded");
            assertEquals((double) raw.length / (stream.length - 10), counters.ratio(), 1e-9);
            assertEquals(1, counters.compressedFrames());
        }
    }

    @Test
    void thresholdAndIncompressibleFramesTravelRaw() throws Exception {
        byte[] records = CompressionTest.trailRecords(50, 3);
        byte[] random = new byte[20_000];
        new Random(1).nextBytes(random);
        CompressionCounters counters = new CompressionCounters();
        FrameCodec w = new FrameCodec(PEER, FrameCompression.LZ4, 2000, counters);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, 4, records, 0, 1999);   // below COMPRESSTHRESHOLD 2000
        int second = out.size();
        w.write(out, 4, records, 0, 2000);   // at the threshold
        int third = out.size();
        w.write(out, 4, random, 0, random.length); // does not shrink
        byte[] stream = out.toByteArray();
        assertEquals(0, flags(stream, 0));
        assertEquals(1999 + 10, second);
        assertEquals(FrameCompression.LZ4.id(), flags(stream, second));
        assertTrue(third - second < 2000 + 10);
        assertEquals(0, flags(stream, third));

        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        FrameCodec r = new FrameCodec(PEER, FrameCompression.NONE);
        assertArrayEquals(Arrays.copyOf(records, 1999), r.read(in).payload());
        assertArrayEquals(Arrays.copyOf(records, 2000), r.read(in).payload());
        assertArrayEquals(random, r.read(in).payload());
        assertEquals(3, counters.frames());
        assertEquals(1, counters.compressedFrames());
        assertEquals(1999 + 2000 + random.length, counters.rawBytes());
    }

    @Test
    void aCorruptBlockWithAValidCrcIsRefusedNamingPeerAndOffset() throws Exception {
        byte[] raw = CompressionTest.trailRecords(100, 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec w = new FrameCodec(PEER, FrameCompression.ZSTD, 0, null);
        w.write(out, 4, new byte[]{1, 2, 3}, 0, 3);
        int second = out.size();
        w.write(out, 4, raw, 0, raw.length);
        byte[] stream = out.toByteArray();
        // a sender bug, not line noise: the block claims one byte more, and the CRC is made to match
        int len = ByteBuffer.wrap(stream, second + 6, 4).getInt();
        ByteBuffer.wrap(stream, second + 6, 4).putInt(len + 1);
        CRC32C crc = new CRC32C();
        crc.update(stream, second, stream.length - 4 - second);
        ByteBuffer.wrap(stream, stream.length - 4, 4).putInt((int) crc.getValue());

        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        FrameCodec r = new FrameCodec(PEER, FrameCompression.NONE);
        r.read(in);
        FrameException e = assertThrows(FrameException.class, () -> r.read(in));
        assertEquals(second, e.offset());
        assertTrue(e.getMessage().contains(PEER) && e.getMessage().contains("cannot decompress a frame with zstd: RTR-01601 corrupt zstd block"),
                e.getMessage());
    }

    @Test
    void codecsByIdAndName() {
        assertEquals(FrameCompression.LZ4, FrameCompression.of(1));
        assertEquals(FrameCompression.ZSTD, FrameCompression.named("ZSTD"));
        assertEquals(FrameCompression.LZ4, FrameCompression.forCompress());
    }
}
