package io.redotrail.net;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames round-trip; every kind of damage is refused naming the peer and the frame's byte offset, never skipped. */
class FrameCodecTest {
    private static final String PEER = "pump 127.0.0.3:40000";

    private static byte[] frames(byte[]... payloads) throws Exception {
        FrameCodec c = new FrameCodec(PEER, FrameCompression.NONE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < payloads.length; i++) c.write(out, i + 1, payloads[i], 0, payloads[i].length);
        return out.toByteArray();
    }

    private static final byte[] A = "first frame".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "second frame, a little longer".getBytes(StandardCharsets.UTF_8);
    /** Where the second frame starts: header 6 + payload + CRC 4. */
    private static final int SECOND = 6 + A.length + 4;

    @Test
    void framesRoundTripWithTheirOffsets() throws Exception {
        FrameCodec r = new FrameCodec(PEER, FrameCompression.NONE);
        ByteArrayInputStream in = new ByteArrayInputStream(frames(A, B, new byte[0]));
        FrameCodec.Frame f1 = r.read(in), f2 = r.read(in), f3 = r.read(in);
        assertEquals(1, f1.type());
        assertArrayEquals(A, f1.payload());
        assertEquals(0, f1.offset());
        assertEquals(2, f2.type());
        assertArrayEquals(B, f2.payload());
        assertEquals(SECOND, f2.offset());
        assertEquals(0, f3.payload().length);
        EOFException end = assertThrows(EOFException.class, () -> r.read(in));
        assertTrue(end.getMessage().contains(PEER), end.getMessage());
    }

    @Test
    void aFlippedByteAnywhereInAFrameIsACrcErrorAtThatFrame() throws Exception {
        byte[] good = frames(A, B);
        for (int i = SECOND + 4; i < good.length; i++) { // type, flags, payload, CRC of the second frame
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            FrameCodec r = new FrameCodec(PEER, FrameCompression.NONE);
            ByteArrayInputStream in = new ByteArrayInputStream(bad);
            assertArrayEquals(A, r.read(in).payload(), "the frame before the damage is intact");
            FrameException e = assertThrows(FrameException.class, () -> r.read(in), "byte " + i);
            assertEquals(SECOND, e.offset());
            assertEquals(PEER, e.peer());
            assertTrue(e.getMessage().startsWith("bad frame from " + PEER + " at byte " + SECOND + ": "), e.getMessage());
        }
    }

    @Test
    void aBadLengthOrATruncatedFrameIsRefusedNamingTheOffset() throws Exception {
        byte[] good = frames(A, B);
        byte[] huge = good.clone();
        huge[SECOND] = 0x7F; // length far past MAX_FRAME
        assertRefused(huge, "invalid frame length");
        byte[] zero = good.clone();
        Arrays.fill(zero, SECOND, SECOND + 4, (byte) 0);
        assertRefused(zero, "invalid frame length 0");
        assertRefused(Arrays.copyOf(good, good.length - 3), "connection ended inside a frame");
        byte[] flags = good.clone();
        flags[SECOND + 5] = (byte) 0x80;
        assertRefused(flags, "reserved frame flag bits");
        byte[] codec = frames(A, B);
        codec[SECOND + 5] = 9; // a damaged flags byte: the CRC covers it
        assertRefused(codec, "CRC-32C mismatch");
    }

    private static void assertRefused(byte[] bytes, String why) throws Exception {
        FrameCodec r = new FrameCodec(PEER, FrameCompression.NONE);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        r.read(in);
        FrameException e = assertThrows(FrameException.class, () -> r.read(in));
        assertEquals(SECOND, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(why) && e.getMessage().contains(PEER), e.getMessage());
    }

    @Test
    void anUnknownCodecWithAValidCrcIsRefused() throws Exception {
        // a sender with a codec this build lacks: the frame is intact but cannot be read
        FrameCompression nine = new FrameCompression() {
            public int id() { return 9; }
            public String name() { return "nine"; }
            public byte[] compress(byte[] d, int off, int len) { return new byte[]{1}; }
            public byte[] decompress(byte[] d) { return d; }
        };
        FrameCodec w = new FrameCodec(PEER, nine);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, 3, B, 0, B.length);
        assertEquals(B.length, w.rawBytesWritten());
        assertEquals(1, w.wireBytesWritten());
        FrameException e = assertThrows(FrameException.class,
                () -> new FrameCodec(PEER, FrameCompression.NONE).read(new ByteArrayInputStream(out.toByteArray())));
        assertTrue(e.getMessage().contains("unknown frame compression id 9") && e.getMessage().contains("at byte 0"), e.getMessage());
    }

    @Test
    void payloadsBelowTheThresholdGoAsTheyAreAndMessagesPackedPastItAreCompressedAndCutShortNamingTheirOffset() throws Exception {
        // what the pump's packing is for: one small message stays under COMPRESSTHRESHOLD, many in one frame do not
        byte[] one = "one transaction's records, a few hundred bytes: INSERT HR.EMP ID 1 NAME row 0 of 1 ".repeat(8)
                .getBytes(StandardCharsets.UTF_8);
        byte[] many = new byte[one.length * 600];
        for (int i = 0; i < 600; i++) System.arraycopy(one, 0, many, i * one.length, one.length);
        FrameCodec w = new FrameCodec(PEER, FrameCompression.LZ4, 1000, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, 3, one, 0, one.length);
        w.write(out, 3, many, 0, many.length);
        byte[] wire = out.toByteArray();
        assertEquals(0, wire[5], "below the threshold: no codec");
        int second = 6 + one.length + 4;
        assertEquals(FrameCompression.LZ4.id(), wire[second + 5], "the packed frame is compressed");
        assertTrue(w.wireBytesWritten() * 10 < w.rawBytesWritten(), w.rawBytesWritten() + " -> " + w.wireBytesWritten());
        FrameCodec r = new FrameCodec(PEER, FrameCompression.NONE);
        ByteArrayInputStream in = new ByteArrayInputStream(wire);
        assertArrayEquals(one, r.read(in).payload());
        FrameCodec.Frame f = r.read(in);
        assertArrayEquals(many, f.payload());
        assertEquals(second, f.offset());
        // the connection ends inside the compressed frame: refused at that frame's offset, nothing of it handed on
        FrameCodec cut = new FrameCodec(PEER, FrameCompression.NONE);
        ByteArrayInputStream shortIn = new ByteArrayInputStream(Arrays.copyOf(wire, wire.length - 7));
        cut.read(shortIn);
        FrameException e = assertThrows(FrameException.class, () -> cut.read(shortIn));
        assertTrue(e.getMessage().contains(PEER) && e.getMessage().contains("byte " + second)
                && e.getMessage().contains("connection ended inside a frame"), e.getMessage());
    }
}
