package io.redotrail.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One connection of the pump–collector link: frames ({@link FrameCodec}) over a socket made by
 * {@link LinkSockets}. Sending buffers until {@link #flush}; receiving blocks up to the socket's read timeout
 * ({@link java.net.SocketTimeoutException}). Not thread-safe: one thread sends and receives.
 */
public final class Link implements AutoCloseable {
    private final Socket socket;
    private final String peer;
    private final FrameCodec codec;
    private final DataInputStream in;
    private final OutputStream out;

    public Link(Socket socket, String peer, LinkOptions options) throws IOException {
        this.socket = socket;
        this.peer = peer;
        this.codec = new FrameCodec(peer, options.compression());
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    public void send(int type, byte[] payload) throws IOException {
        codec.write(out, type, payload, 0, payload.length);
    }

    public void send(int type, byte[] payload, int off, int len) throws IOException {
        codec.write(out, type, payload, off, len);
    }

    public void flush() throws IOException {
        out.flush();
    }

    public FrameCodec.Frame receive() throws IOException {
        return codec.read(in);
    }

    /** Changes the read timeout (0 = wait forever). */
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public String peer() {
        return peer;
    }

    public FrameCodec codec() {
        return codec;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a failed connection: nothing left to tell
        }
    }
}
