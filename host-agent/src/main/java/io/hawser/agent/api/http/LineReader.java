package io.hawser.agent.api.http;

import io.hawser.agent.common.AgentException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the CRLF-terminated lines of HTTP heads and chunk framing (a bare LF is accepted, as Go does). */
final class LineReader {

    private LineReader() {}

    /**
     * Reads one line without its terminator, as ISO-8859-1 (header bytes are octets, RFC 9110 5.5).
     *
     * @return null when the stream ends before the first byte
     * @throws AgentException invalid argument when the line exceeds {@code maxBytes}
     * @throws EOFException when the stream ends inside the line
     */
    static String readLine(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a line");
            }
            if (line.size() >= maxBytes) {
                throw AgentException.invalidArgument("malformed HTTP request: line longer than " + maxBytes + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
}
