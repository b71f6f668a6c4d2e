package io.hawser.agent.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * TCP relay: a thread accepting on the host port, two threads per connection copying each way; a half-close
 * is passed on (shutdownOutput), so request-then-EOF protocols work. Few connections are expected (a
 * management plane, tests, a developer's browser): threads are the simplest correct model here.
 */
final class TcpProxy implements PortProxy {

    private static final Logger LOG = Logger.getLogger(TcpProxy.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private Thread loop;

    private TcpProxy(ServerSocketChannel server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    static TcpProxy open(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        try {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true); // TIME_WAIT of a previous container's port
            s.bind(listen, 128);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        TcpProxy p = new TcpProxy(s, target);
        p.loop = PortProxy.daemon("hawser-proxy-tcp-" + p.port(), p::acceptLoop);
        return p;
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warning("proxy on port " + port() + " stopped accepting: " + e.getMessage());
                }
                return;
            }
            open.add(client);
            PortProxy.daemon("hawser-proxy-conn", () -> relay(client));
        }
    }

    private void relay(SocketChannel client) {
        SocketChannel backend = null;
        try {
            backend = SocketChannel.open();
            open.add(backend);
            backend.socket().connect(target, CONNECT_TIMEOUT_MS);
            SocketChannel b = backend;
            Thread back = PortProxy.daemon("hawser-proxy-conn", () -> copy(b, client));
            copy(client, backend);
            back.join();
        } catch (IOException e) {
            // the container does not listen (yet): the client sees the connection close, as with docker-proxy
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(backend);
        }
    }

    private void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            open.remove(ch);
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        // the JDK closes the socket for real only once the thread blocked in it has returned: wait, so the
        // port is free when close returns (a container's stop frees its ports before it answers)
        PortProxy.join(loop);
        for (SocketChannel ch : Set.copyOf(open)) {
            closeQuietly(ch);
        }
    }
}
