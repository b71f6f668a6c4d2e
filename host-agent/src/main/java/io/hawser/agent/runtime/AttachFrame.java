package io.hawser.agent.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * One frame from a shim's attach socket, in Docker's multiplexed stream format (Engine API, "Attach to
 * a container"): an 8-byte header {@code [stream, 0, 0, 0, size (uint32, big-endian)]} then the bytes.
 * The agent can forward frames to a non-tty client unchanged; for a tty it sends the payload raw.
 */
public record AttachFrame(int stream, byte[] payload) {

    public static final int STDOUT = 1;
    public static final int STDERR = 2;

    /** The next frame, or null at a clean end of stream (EOF between frames). */
    public static AttachFrame read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(8);
        if (header.length == 0) {
            return null;
        }
        if (header.length < 8) {
            throw new EOFException("attach stream ended inside a frame header");
        }
        int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
        if (size < 0) {
            throw new IOException("attach frame too large: " + Integer.toUnsignedString(size));
        }
        byte[] payload = in.readNBytes(size);
        if (payload.length < size) {
            throw new EOFException("attach stream ended inside a frame");
        }
        return new AttachFrame(header[0], payload);
    }
}
