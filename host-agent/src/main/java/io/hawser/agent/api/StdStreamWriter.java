package io.hawser.agent.api;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's stdout/stderr stream framing (logs, attach, exec). Multiplexed, each write is one frame: an
 * 8-byte header {@code [STREAM, 0, 0, 0, SIZE (uint32 big-endian)]} with STREAM 0 stdin, 1 stdout,
 * 2 stderr, then SIZE bytes. Raw (TTY containers), the bytes go as they are: a TTY has one stream.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerAttach">ContainerAttach, "Stream format"</a>
 */
public final class StdStreamWriter {

    public enum StdStream {
        STDIN(0), STDOUT(1), STDERR(2);

        final int code;

        StdStream(int code) {
            this.code = code;
        }
    }

    private final OutputStream out;
    private final boolean multiplexed;
    private final byte[] header = new byte[8];

    public StdStreamWriter(OutputStream out, boolean multiplexed) {
        this.out = out;
        this.multiplexed = multiplexed;
    }

    public void write(StdStream stream, byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return; // an empty frame means nothing to the client
        }
        if (multiplexed) {
            header[0] = (byte) stream.code;
            header[4] = (byte) (len >>> 24);
            header[5] = (byte) (len >>> 16);
            header[6] = (byte) (len >>> 8);
            header[7] = (byte) len;
            out.write(header);
        }
        out.write(b, off, len);
    }

    public void flush() throws IOException {
        out.flush();
    }
}
