package io.hawser.console.link;

import io.hawser.link.TunnelChannel;
import java.io.Closeable;
import java.io.InputStream;

/**
 * A streaming Engine API response (logs follow, stats stream, events): the body is read as it arrives. Closing ends
 * the request (the tunnel closes, and the agent sees its client gone).
 */
public final class ApiStream implements Closeable {

    private final HttpHead head;
    private final InputStream body;
    private final TunnelChannel tunnel;

    private final Runnable afterClose;

    ApiStream(HttpHead head, InputStream body, TunnelChannel tunnel) {
        this(head, body, tunnel, () -> { });
    }

    ApiStream(HttpHead head, InputStream body, TunnelChannel tunnel, Runnable afterClose) {
        this.head = head;
        this.body = body;
        this.tunnel = tunnel;
        this.afterClose = afterClose;
    }

    public int status() {
        return head.status();
    }

    public HttpHead head() {
        return head;
    }

    /** The body without its transfer framing (chunked is decoded). */
    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        tunnel.close(null);
        afterClose.run();
    }
}
