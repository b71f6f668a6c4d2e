package io.hawser.agent.api.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A deliberately dumb HTTP/1.1 client over a unix socket for tests: sends bytes exactly as given and
 * reads responses one at a time, so tests see framing, headers and connection reuse as they are.
 */
public final class RawHttpClient implements Closeable {

    public record Response(int status, Headers headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.first(name);
        }
    }

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(ChannelStreams.input(channel));
        this.out = ChannelStreams.output(channel);
    }

    public static RawHttpClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new RawHttpClient(ch);
    }

    public RawHttpClient send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    /** Sends {@code METHOD path HTTP/1.1} with a Host header and no body. */
    public Response request(String method, String path) throws IOException {
        send(method + " " + path + " HTTP/1.1\r\nHost: docker\r\n\r\n");
        return read("HEAD".equals(method));
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code forHead} because a HEAD response has a Content-Length but no body. */
    public Response read(boolean forHead) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Headers headers = new Headers();
        String line;
        while (!(line = line()).isEmpty()) {
            int colon = line.indexOf(':');
            headers.add(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        byte[] body;
        if (forHead || status == 204 || status == 304 || status < 200) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.first("Transfer-Encoding"))) {
            body = new ChunkedInputStream(in).readAllBytes();
        } else if (headers.contains("Content-Length")) {
            body = in.readNBytes(Integer.parseInt(headers.first("Content-Length")));
        } else {
            body = in.readAllBytes(); // body until close
        }
        return new Response(status, headers, body);
    }

    /** True when the server closed the connection (the next read sees end of stream). */
    public boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                buf.write(b);
            }
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
