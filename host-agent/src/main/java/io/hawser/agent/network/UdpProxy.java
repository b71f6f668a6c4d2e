package io.hawser.agent.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * UDP relay: datagrams to the host port go to the container from a socket per client address, and the
 * container's answers on that socket go back to that client (docker-proxy's model). Client sockets live until
 * the proxy closes; a client idle for {@link #IDLE_MS} is forgotten at its next datagram's lookup.
 */
final class UdpProxy implements PortProxy {

    private static final long IDLE_MS = 90_000;
    private static final int MAX_DATAGRAM = 65_507;

    private final DatagramChannel server;
    private final InetSocketAddress target;
    private final Map<SocketAddress, Client> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread loop;

    private record Client(DatagramChannel channel, long[] lastUsed) {}

    private UdpProxy(DatagramChannel server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    static UdpProxy open(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(listen);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        UdpProxy p = new UdpProxy(ch, target);
        p.loop = PortProxy.daemon("hawser-proxy-udp-" + p.port(), p::receiveLoop);
        return p;
    }

    @Override
    public int port() {
        return server.socket().getLocalPort();
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress from = server.receive(buf);
                buf.flip();
                Client c = clients.get(from);
                long now = System.currentTimeMillis();
                if (c != null && now - c.lastUsed()[0] > IDLE_MS) {
                    clients.remove(from);
                    c.channel().close();
                    c = null;
                }
                if (c == null) {
                    DatagramChannel up = DatagramChannel.open();
                    up.connect(target);
                    c = new Client(up, new long[] {now});
                    clients.put(from, c);
                    Client fc = c;
                    PortProxy.daemon("hawser-proxy-udp-reply", () -> replyLoop(fc, from));
                }
                c.lastUsed()[0] = now;
                c.channel().write(buf);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void replyLoop(Client c, SocketAddress client) {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closed && c.channel().isOpen()) {
            try {
                buf.clear();
                c.channel().read(buf);
                buf.flip();
                c.lastUsed()[0] = System.currentTimeMillis();
                server.send(buf, client);
            } catch (IOException e) {
                if (!c.channel().isOpen() || closed) {
                    return;
                }
                // ICMP port unreachable from the container (nothing listens yet): keep relaying
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
        for (Client c : clients.values()) {
            try {
                c.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        clients.clear();
    }
}
