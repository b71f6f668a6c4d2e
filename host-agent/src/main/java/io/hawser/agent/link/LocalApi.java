package io.hawser.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The agent's own Engine API, read through its own unix socket as any client would: the link reports exactly what
 * the docker CLI would see, and needs no access to the agent's internals. One request per connection.
 */
final class LocalApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and, for streams, the body still to be read. */
    static final class Response implements Closeable {
        final int status;
        final InputStream body;
        private final SocketChannel channel;

        Response(int status, InputStream body, SocketChannel channel) {
            this.status = status;
            this.body = body;
            this.channel = channel;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private final Path socket;

    LocalApi(Path socket) {
        this.socket = socket;
    }

    /** GET returning JSON; null for 404 (an endpoint this agent build does not have yet, or a gone object). */
    JsonNode getJson(String path) throws IOException {
        try (Response r = get(path)) {
            if (r.status == 404) {
                return null;
            }
            if (r.status != 200) {
                throw new IOException("GET " + path + " answered " + r.status + ": "
                        + new String(r.body.readNBytes(512), StandardCharsets.UTF_8));
            }
            return r.json();
        }
    }

    /** Sends a GET; the caller reads the body and closes the response. */
    Response get(String path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String request = "GET " + path + " HTTP/1.1\r\nHost: hawser\r\nUser-Agent: hawser-link\r\nConnection: close\r\n\r\n";
            Channels.newOutputStream(channel).write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
            String status = readLine(in);
            if (status == null || !status.startsWith("HTTP/1.") || status.length() < 12) {
                throw new IOException("GET " + path + ": bad status line " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            InputStream body = chunked ? new Chunked(in) : length >= 0 ? limited(in, length) : in;
            return new Response(code, body, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static InputStream limited(InputStream in, long length) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(length, Integer.MAX_VALUE));
        if (bytes.length < length) {
            throw new EOFException("response body ended after " + bytes.length + " of " + length + " bytes");
        }
        return new java.io.ByteArrayInputStream(bytes);
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (line.size() > 64 * 1024) {
                throw new IOException("response line too long");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A chunked body (RFC 9112 section 7.1), chunk extensions and trailers skipped. */
    static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left == 0) {
                if (done) {
                    return -1;
                }
                String size = readLine(in);
                if (size == null) {
                    throw new EOFException("connection closed before the last chunk");
                }
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                readLine(in); // the CRLF after the chunk data
            }
            return n;
        }
    }
}
