package io.hawser.agent.api.http;

import io.hawser.agent.common.AgentException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves the requests of one client connection in turn (HTTP/1.1 keep-alive), on its own thread.
 * Ends when the client closes, asks to close, sends something unparseable, or a handler hijacks it.
 */
final class HttpConnection implements Runnable {

    private static final Logger LOG = Logger.getLogger(HttpConnection.class.getName());
    /** Unread request body left by a handler is skipped up to this much; beyond it we close instead. */
    static final long MAX_DRAIN_BYTES = 256 * 1024;

    private final SocketChannel channel;
    private final HttpHandler handler;
    private final Headers defaultHeaders;
    private final Runnable onClose;

    HttpConnection(SocketChannel channel, HttpHandler handler, Headers defaultHeaders, Runnable onClose) {
        this.channel = channel;
        this.handler = handler;
        this.defaultHeaders = defaultHeaders;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        boolean hijacked = false;
        try {
            InputStream in = new BufferedInputStream(ChannelStreams.input(channel), 8192);
            OutputStream out = new BufferedOutputStream(ChannelStreams.output(channel), 8192);
            hijacked = serve(in, out);
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection ended: " + e);
        } finally {
            if (!hijacked) {
                closeQuietly();
            }
            onClose.run();
        }
    }

    /** @return true when a handler took the connection over */
    private boolean serve(InputStream in, OutputStream out) throws IOException {
        while (true) {
            HttpRequest request;
            try {
                request = RequestParser.parse(in);
            } catch (AgentException malformed) {
                answerMalformed(malformed, in, out);
                return false;
            }
            if (request == null) {
                return false;
            }
            HttpExchange exchange = new HttpExchange(request, defaultHeaders, channel, in, out);
            if (request.headers().hasToken("Expect", "100-continue")) {
                // curl waits for this before sending a large body; the docker CLI never asks.
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            dispatch(exchange);
            if (exchange.hijacked()) {
                return true;
            }
            exchange.finish();
            if (exchange.closeAfter() || !drain(request.body())) {
                return false;
            }
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try {
            handler.handle(exchange);
            if (!exchange.responseStarted()) {
                throw new IllegalStateException("handler sent no response");
            }
        } catch (IOException | RuntimeException e) {
            if (exchange.responseStarted()) {
                // Too late for an error response: the status line is out. Cut the connection so the
                // client sees a truncated body rather than a clean end.
                LOG.log(Level.FINE, "failed after the response started: " + e);
                throw e instanceof IOException io ? io : new IOException(e);
            }
            // The connection stays open: drain() afterwards skips a half-read body, or closes when it cannot.
            ErrorResponses.send(exchange, e);
        }
    }

    private void answerMalformed(AgentException malformed, InputStream in, OutputStream out) throws IOException {
        HttpRequest placeholder = new HttpRequest("-", "-", "-", Map.of(), "HTTP/1.1",
                new Headers().set("Connection", "close"), InputStream.nullInputStream());
        ErrorResponses.send(new HttpExchange(placeholder, defaultHeaders, channel, in, out), malformed);
    }

    /** Skips what the handler left of the body so the next request starts at its first byte. */
    private static boolean drain(InputStream body) {
        try {
            long skipped = 0;
            byte[] scratch = new byte[8192];
            int n;
            while ((n = body.read(scratch)) >= 0) {
                skipped += n;
                if (skipped > MAX_DRAIN_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException | AgentException e) {
            return false;
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close connection: " + e);
        }
    }
}
