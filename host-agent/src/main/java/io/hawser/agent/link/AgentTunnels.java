package io.hawser.agent.link;

import io.hawser.link.Frame;
import io.hawser.link.TunnelChannel;
import io.hawser.link.FrameSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The agent's end of the link's tunnels: each channel the console opens becomes a connection to this agent's own
 * Engine API socket, bytes pumped both ways (two threads per tunnel: a blocking connection per stream, as the API
 * server itself does). Half-closes pass through as {@code shutdownOutput}, so exec and attach see stdin end. The
 * pumps call the channel's read and write directly: streams from {@code Channels.newInputStream/newOutputStream} on one
 * blocking channel share a lock, so a blocked read would hold up every write.
 */
final class AgentTunnels {

    private static final Logger LOG = Logger.getLogger(AgentTunnels.class.getName());

    private final Path socket;
    private final FrameSink sink;
    private final Map<Integer, Tunnel> tunnels = new ConcurrentHashMap<>();

    private final class Tunnel {
        final TunnelChannel channel;
        volatile SocketChannel connection;

        Tunnel(int id) {
            channel = new TunnelChannel(id, sink, () -> closed(id));
        }
    }

    AgentTunnels(Path socket, FrameSink sink) {
        this.socket = socket;
        this.sink = sink;
    }

    /** A tunnel frame from the console; never blocks (OPEN connects on the tunnel's own thread). */
    void onFrame(Frame frame) {
        if (frame.type() == Frame.Type.OPEN) {
            Tunnel tunnel = new Tunnel(frame.channel());
            if (tunnels.putIfAbsent(frame.channel(), tunnel) != null) {
                LOG.warning("link: OPEN for channel " + frame.channel() + " which is open already");
                return;
            }
            thread("link-tunnel-" + frame.channel() + "-up", () -> serve(tunnel));
            return;
        }
        Tunnel tunnel = tunnels.get(frame.channel());
        if (tunnel != null) {
            tunnel.channel.onFrame(frame);
        }
    }

    int open() {
        return tunnels.size();
    }

    /** The link is down: every tunnel ends. */
    void closeAll() {
        for (Tunnel t : List.copyOf(tunnels.values())) {
            t.channel.onFrame(new Frame(Frame.Type.CLOSE, t.channel.id(), "link closed".getBytes()));
        }
    }

    private void serve(Tunnel tunnel) {
        SocketChannel connection;
        try {
            connection = SocketChannel.open(StandardProtocolFamily.UNIX);
            tunnel.connection = connection;
            connection.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            tunnel.channel.close("cannot connect to the agent's API socket " + socket + ": " + e.getMessage());
            return;
        }
        if (tunnel.channel.isClosed()) {
            closeQuietly(connection);
            return;
        }
        Thread down = thread("link-tunnel-" + tunnel.channel.id() + "-down", () -> pumpDown(tunnel, connection));
        // Console → API: what the console writes, until its EOF.
        try (InputStream from = tunnel.channel.input()) {
            byte[] buf = new byte[Frame.MAX_DATA];
            int n;
            while ((n = from.read(buf)) >= 0) {
                ByteBuffer out = ByteBuffer.wrap(buf, 0, n);
                while (out.hasRemaining()) {
                    connection.write(out);
                }
            }
            connection.shutdownOutput();
            down.join();
        } catch (IOException e) {
            // closed from either end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tunnel.channel.close(null);
            closeQuietly(connection);
        }
    }

    /** API → console, until the API closes its side. */
    private void pumpDown(Tunnel tunnel, SocketChannel connection) {
        OutputStream to = tunnel.channel.output();
        byte[] buf = new byte[Frame.MAX_DATA];
        try {
            int n;
            while ((n = connection.read(ByteBuffer.wrap(buf))) >= 0) {
                to.write(buf, 0, n);
            }
            tunnel.channel.shutdownOutput();
        } catch (IOException e) {
            tunnel.channel.close(null);
        }
    }

    private void closed(int id) {
        Tunnel tunnel = tunnels.remove(id);
        if (tunnel != null && tunnel.connection != null) {
            closeQuietly(tunnel.connection); // unblocks both pumps
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
