package io.redotrail.net;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The frame layout of the pump–collector link (docs/operations.md, "Two hosts"). Every message is one frame,
 * all integers big-endian:
 * <pre>
 * i32 length L      bytes of type + flags + payload, 2 .. {@link #MAX_FRAME}
 * u8  type          the message (the protocol above this layer decides what it means)
 * u8  flags         bits 0-3: the payload's {@link FrameCompression} id (0 none); bits 4-7 reserved, 0
 * ... payload       L - 2 bytes, compressed as the flags say
 * i32 crc           CRC-32C over length, type, flags and payload (the 4 + L bytes before it)
 * </pre>
 * A frame is checked before anything of it is used: a length out of range, reserved bits, an unknown codec or a
 * CRC mismatch is a {@link FrameException} naming the peer and the byte offset of the frame in the stream; the
 * link is then dropped, never resynchronised (a skipped frame would be a lost transaction). One codec per
 * direction of one connection; not thread-safe.
 */
public final class FrameCodec {
    /** Largest frame (length field); the trail protocol sends chunks far below it. */
    public static final int MAX_FRAME = 64 << 20;
    private static final int HEAD = 6;

    private final String peer;
    private final FrameCompression compression;
    private long readOffset;
    private long writeOffset;
    private long rawBytes;
    private long wireBytes;

    /** {@code peer} names the other side in errors ("collector 127.0.0.2:7819"); {@code compression} for sending. */
    public FrameCodec(String peer, FrameCompression compression) {
        this.peer = peer;
        this.compression = compression;
    }

    /** One received frame: its type, its (decompressed) payload and the stream offset it started at. */
    public record Frame(int type, byte[] payload, long offset) {
    }

    /** Writes one frame (payload {@code [off, off + len)}), compressed when that makes it smaller. */
    public void write(OutputStream out, int type, byte[] payload, int off, int len) throws IOException {
        if (type < 0 || type > 255) throw new IllegalArgumentException("frame type " + type);
        byte[] body = payload;
        int bodyOff = off, bodyLen = len;
        int codec = 0;
        if (compression.id() != 0 && len > 0) {
            byte[] packed = compression.compress(payload, off, len);
            if (packed.length < len) {
                body = packed;
                bodyOff = 0;
                bodyLen = packed.length;
                codec = compression.id();
            }
        }
        if (bodyLen + 2 > MAX_FRAME) throw new IllegalArgumentException("frame of " + (bodyLen + 2) + " bytes exceeds " + MAX_FRAME);
        ByteBuffer head = ByteBuffer.allocate(HEAD).putInt(bodyLen + 2).put((byte) type).put((byte) codec);
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, HEAD);
        crc.update(body, bodyOff, bodyLen);
        out.write(head.array());
        out.write(body, bodyOff, bodyLen);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        writeOffset += HEAD + bodyLen + 4;
        rawBytes += len;
        wireBytes += bodyLen;
    }

    /**
     * Reads one frame. {@link EOFException} when the stream ends exactly between frames (the peer closed);
     * {@link FrameException} for a damaged frame or a stream ending inside one.
     */
    public Frame read(InputStream in) throws IOException {
        DataInputStream d = in instanceof DataInputStream x ? x : new DataInputStream(in);
        long at = readOffset;
        byte[] head = new byte[HEAD];
        int first = d.read();
        if (first < 0) throw new EOFException(peer + " closed the connection at byte " + at);
        head[0] = (byte) first;
        readFully(d, head, 1, HEAD - 1, at);
        ByteBuffer h = ByteBuffer.wrap(head);
        int length = h.getInt();
        int type = h.get() & 0xFF;
        int flags = h.get() & 0xFF;
        if (length < 2 || length > MAX_FRAME) throw new FrameException(peer, at, "invalid frame length " + length);
        if ((flags & 0xF0) != 0) throw new FrameException(peer, at, "reserved frame flag bits set: 0x" + Integer.toHexString(flags));
        byte[] body = new byte[length - 2];
        readFully(d, body, 0, body.length, at);
        byte[] tail = new byte[4];
        readFully(d, tail, 0, 4, at);
        CRC32C crc = new CRC32C();
        crc.update(head);
        crc.update(body);
        int expected = ByteBuffer.wrap(tail).getInt();
        if ((int) crc.getValue() != expected) {
            throw new FrameException(peer, at, "CRC-32C mismatch in a frame of type " + type + " and " + (length + 8)
                    + " bytes (computed 0x" + Integer.toHexString((int) crc.getValue()) + ", frame says 0x"
                    + Integer.toHexString(expected) + ")");
        }
        readOffset = at + HEAD + body.length + 4;
        int codec = flags & 0x0F;
        byte[] payload = body;
        if (codec != 0) {
            FrameCompression c = FrameCompression.of(codec);
            if (c == null) throw new FrameException(peer, at, "unknown frame compression id " + codec);
            try {
                payload = c.decompress(body);
            } catch (RuntimeException e) {
                throw new FrameException(peer, at, "cannot decompress a frame with " + c.name() + ": " + e.getMessage());
            }
        }
        return new Frame(type, payload, at);
    }

    private void readFully(DataInputStream d, byte[] b, int off, int len, long frameAt) throws IOException {
        try {
            d.readFully(b, off, len);
        } catch (EOFException e) {
            throw new FrameException(peer, frameAt, "connection ended inside a frame");
        }
    }

    /** Bytes of payload handed to {@link #write} so far, before compression. */
    public long rawBytesWritten() {
        return rawBytes;
    }

    /** Payload bytes sent on the wire so far (after compression): with {@link #rawBytesWritten()}, the ratio. */
    public long wireBytesWritten() {
        return wireBytes;
    }

    public long readOffset() {
        return readOffset;
    }

    public long writeOffset() {
        return writeOffset;
    }

    public String peer() {
        return peer;
    }
}
