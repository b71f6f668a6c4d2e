package io.hawser.agent.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Blocking streams over a connected {@link SocketChannel}.
 *
 * <p>Not {@code Channels.newInputStream/newOutputStream}: on Java 17 those synchronize on the
 * channel's blocking lock, so a thread blocked reading (attach's stdin) would stall another thread
 * writing (the container's output) on the same hijacked connection. The channel itself has separate
 * read and write locks, which these streams use directly. Closing a stream does not close the channel:
 * the connection (or whoever hijacked it) owns that.
 */
final class ChannelStreams {

    private ChannelStreams() {}

    static InputStream input(SocketChannel channel) {
        return new InputStream() {
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
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    static OutputStream output(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        };
    }
}
