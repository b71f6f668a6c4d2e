package io.hawser.agent.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A chunked response body for streams of unknown length (logs follow, events, stats). Writes are
 * buffered; {@link #flush()} sends what is buffered as one chunk, so a streaming handler controls
 * when the client sees data. {@link #close()} sends the last chunk but leaves the connection open.
 */
final class ChunkedOutputStream extends OutputStream {

    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int count;
    private boolean closed;

    ChunkedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        if (len >= buffer.length) {
            writeBuffered();
            writeChunk(b, off, len);
            return;
        }
        if (count + len > buffer.length) {
            writeBuffered();
        }
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        writeBuffered();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        writeBuffered();
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    private void writeBuffered() throws IOException {
        writeChunk(buffer, 0, count);
        count = 0;
    }

    private void writeChunk(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return; // a zero-length chunk would end the body
        }
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b, off, len);
        out.write('\r');
        out.write('\n');
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("chunked response body already closed");
        }
    }
}
