package io.hawser.console.link;

import io.hawser.link.TunnelChannel;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection the agent took over after {@code 101 UPGRADED} (attach, exec start with {@code Upgrade: tcp}): raw
 * bytes both ways, in Docker's stream framing when the container has no TTY. {@link #shutdownOutput()} closes the
 * container's stdin, as the docker CLI's half-close does.
 */
public final class HijackedStream implements Closeable {

    private final HttpHead head;
    private final InputStream input;
    private final TunnelChannel tunnel;

    HijackedStream(HttpHead head, InputStream input, TunnelChannel tunnel) {
        this.head = head;
        this.input = input;
        this.tunnel = tunnel;
    }

    public HttpHead head() {
        return head;
    }

    public InputStream input() {
        return input;
    }

    public OutputStream output() {
        return tunnel.output();
    }

    public void shutdownOutput() throws IOException {
        tunnel.shutdownOutput();
    }

    @Override
    public void close() {
        tunnel.close(null);
    }
}
