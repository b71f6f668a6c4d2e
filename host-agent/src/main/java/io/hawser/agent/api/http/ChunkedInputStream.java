package io.hawser.agent.api.http;

import io.hawser.agent.common.AgentException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A {@code Transfer-Encoding: chunked} request body (RFC 9112 section 7.1): yields the chunk data,
 * skips chunk extensions and trailer fields, and stops after the last chunk so the connection can
 * carry the next request.
 */
final class ChunkedInputStream extends InputStream {

    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private long chunkRemaining; // bytes left in the current chunk
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (chunkRemaining == 0 && !nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk of the request body");
        }
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            expectEmptyLine("after chunk data");
        }
        return n;
    }

    /** Reads the next chunk-size line; false after the last chunk and its trailers. */
    private boolean nextChunk() throws IOException {
        if (done) {
            return false;
        }
        String line = LineReader.readLine(in, MAX_LINE);
        if (line == null) {
            throw new EOFException("connection closed before the last chunk of the request body");
        }
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw AgentException.invalidArgument("malformed chunked request body: bad chunk size '" + line + "'");
        }
        chunkRemaining = Long.parseLong(hex, 16);
        if (chunkRemaining == 0) {
            skipTrailers();
            done = true;
            return false;
        }
        return true;
    }

    private void skipTrailers() throws IOException {
        String line;
        do {
            line = LineReader.readLine(in, MAX_LINE);
            if (line == null) {
                throw new EOFException("connection closed inside the trailers of a chunked request body");
            }
        } while (!line.isEmpty());
    }

    private void expectEmptyLine(String where) throws IOException {
        String line = LineReader.readLine(in, MAX_LINE);
        if (line == null || !line.isEmpty()) {
            throw AgentException.invalidArgument("malformed chunked request body: missing CRLF " + where);
        }
    }

    /** Closing leaves the connection open; the connection drains what the handler did not read. */
    @Override
    public void close() {}
}
