package io.hawser.agent.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One request and the means to answer it: a complete response, a streamed (chunked) one, or taking
 * over the raw connection. Every response carries the server's default headers (for the Docker API:
 * Api-Version, Docker-Experimental, Ostype, Server) and a Date, as dockerd's do.
 */
public final class HttpExchange {

    /** IMF-fixdate (RFC 9110 5.6.7) with a two-digit day, as Go writes it. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private enum State { NEW, STREAMING, DONE, HIJACKED }

    private final HttpRequest request;
    private final Headers defaultHeaders;
    private final Headers responseHeaders = new Headers();
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private State state = State.NEW;
    private boolean closeAfter;
    private ChunkedOutputStream chunked;

    HttpExchange(HttpRequest request, Headers defaultHeaders, SocketChannel channel, InputStream in, OutputStream out) {
        this.request = request;
        this.defaultHeaders = defaultHeaders;
        this.channel = channel;
        this.in = in;
        this.out = out;
        this.closeAfter = !request.keepAlive();
    }

    public HttpRequest request() {
        return request;
    }

    /** Headers for the response not yet sent; set them before calling a send method. */
    public Headers responseHeaders() {
        return responseHeaders;
    }

    /** Sends a complete response. For HEAD the headers (with the body's length) go out, the body does not. */
    public void send(int status, String contentType, byte[] body) throws IOException {
        Headers h = new Headers();
        if (contentType != null) {
            h.set("Content-Type", contentType);
        }
        if (status >= 200 && status != 204 && status != 304) {
            h.set("Content-Length", Integer.toString(body.length));
        }
        writeHead(status, h);
        if (!request.isHead() && body.length > 0) {
            out.write(body);
        }
        out.flush();
        state = State.DONE;
    }

    public void sendJson(int status, Object value) throws IOException {
        send(status, "application/json", Json.bytes(value));
    }

    public void sendText(int status, String text) throws IOException {
        send(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** 204 No Content. */
    public void sendNoContent() throws IOException {
        send(204, null, new byte[0]);
    }

    /**
     * Starts a response of unknown length: chunked for HTTP/1.1; for an HTTP/1.0 client the body runs
     * until the connection closes. Flush the returned stream to push data to the client; close it to end.
     */
    public OutputStream sendChunked(int status, String contentType) throws IOException {
        Headers h = new Headers().set("Content-Type", contentType);
        boolean http11 = "HTTP/1.1".equals(request.version());
        if (http11) {
            h.set("Transfer-Encoding", "chunked");
        } else {
            closeAfter = true;
        }
        writeHead(status, h);
        out.flush();
        state = State.STREAMING;
        if (request.isHead()) {
            return OutputStream.nullOutputStream();
        }
        if (http11) {
            chunked = new ChunkedOutputStream(out);
            return chunked;
        }
        return out;
    }

    /**
     * Takes over the connection; nothing has been written for this request, the handler writes its own
     * status line (e.g. {@code 101 UPGRADED} for attach). The HTTP layer forgets the connection.
     */
    public HijackedConnection hijack() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("cannot hijack after a response was started");
        }
        out.flush();
        state = State.HIJACKED;
        return new HijackedConnection(channel, in, ChannelStreams.output(channel));
    }

    /**
     * For a stream that ends only when the client goes away ({@code docker events}, {@code logs -f}): a
     * daemon thread reads the connection until the client closes it, then runs {@code onGone}, so the
     * handler stops even while it has nothing to write. Such a client sends nothing more on the connection,
     * which therefore closes after this response.
     */
    public void onClientGone(Runnable onGone) {
        closeAfter = true;
        Thread t = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // a streaming client has nothing more to say; discard until it closes
                }
            } catch (IOException e) {
                // closed under us: the client is gone or the response ended
            }
            onGone.run();
        }, "hawser-api-client-watch");
        t.setDaemon(true);
        t.start();
    }

    public boolean responseStarted() {
        return state != State.NEW;
    }

    boolean hijacked() {
        return state == State.HIJACKED;
    }

    /** Whether the connection must close after this exchange (client asked, or body framing requires it). */
    boolean closeAfter() {
        return closeAfter;
    }

    /** Closes the connection after this response even if the client wanted to keep it. */
    public void closeConnectionAfterResponse() {
        closeAfter = true;
    }

    /** Ends a streamed body the handler left open, so the connection stays usable. */
    void finish() throws IOException {
        if (state == State.STREAMING && chunked != null && !chunked.isClosed()) {
            chunked.close();
        }
        out.flush();
    }

    private void writeHead(int status, Headers framing) throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("response already sent for " + request.method() + " " + request.target());
        }
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        Headers all = new Headers().setAll(defaultHeaders).setAll(responseHeaders)
                .set("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .setAll(framing);
        if (closeAfter) {
            all.set("Connection", "close");
        }
        all.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }
}
