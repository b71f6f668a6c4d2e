package io.hawser.agent.api.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * A connection taken over by a handler, as attach and exec do after {@code Upgrade: tcp}. The HTTP
 * layer no longer touches it; the new owner must close it.
 *
 * @param in reads the raw connection, starting with any bytes the HTTP layer had already buffered
 * @param out writes the raw connection, unbuffered
 */
public record HijackedConnection(SocketChannel channel, InputStream in, OutputStream out) implements Closeable {

    /** Half-close: tells the peer no more output comes while still reading its input. */
    public void closeWrite() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
