package io.hawser.console.fleet;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A byte relay: every connection accepted on one address is joined to a new connection to another, both ways, with
 * half-close passed on. JDK only, because its {@link #main} half runs as its own JVM inside the test's hub network
 * namespace ({@code nsenter --net=/run/netns/HUB java -cp target/test-classes ...}): there it listens on the hub's
 * address and forwards to a unix socket, whose path both namespaces see; the test JVM, in the root namespace, relays
 * that unix socket to the console on loopback ({@link #unixToTcp}). So agents in their own namespaces reach the
 * console without the root namespace getting any test address.
 */
public final class Relay implements Closeable {

    /** What {@link #main} prints once it listens. */
    static final String READY = "relay listening";

    private final ServerSocketChannel server;
    private final SocketAddress target;
    private final Thread acceptor;

    private Relay(ServerSocketChannel server, SocketAddress target) {
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::accept, "relay-accept " + target);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on the unix socket {@code socket} (replacing a stale file) and forwards to {@code target}. */
    static Relay unixToTcp(Path socket, InetSocketAddress target) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new Relay(server, target);
    }

    /** Listens on TCP {@code listen} and forwards to the unix socket {@code socket}. */
    static Relay tcpToUnix(InetSocketAddress listen, Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(listen);
        return new Relay(server, UnixDomainSocketAddress.of(socket));
    }

    /** {@code Relay LISTEN_ADDRESS PORT UNIX_SOCKET}: TCP to unix socket until killed. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Relay LISTEN_ADDRESS PORT UNIX_SOCKET");
            System.exit(2);
        }
        try (Relay relay = tcpToUnix(new InetSocketAddress(args[0], Integer.parseInt(args[1])), Path.of(args[2]))) {
            System.out.println(READY);
            System.out.flush();
            relay.acceptor.join();
        }
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                SocketChannel out = SocketChannel.open(target);
                AtomicInteger ended = new AtomicInteger();
                pump(in, out, ended);
                pump(out, in, ended);
            } catch (IOException e) {
                closeQuietly(in);
            }
        }
    }

    /**
     * Copies {@code from} to {@code to} on its own thread; at end of input half-closes {@code to}. The second direction
     * to end closes both channels; an error in either closes both at once.
     */
    private static void pump(SocketChannel from, SocketChannel to, AtomicInteger ended) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
                if (ended.incrementAndGet() < 2) {
                    return;
                }
            } catch (IOException e) {
                // a reset or a closed end: drop the whole connection
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        SocketAddress local = server.getLocalAddress();
        server.close();
        if (local instanceof UnixDomainSocketAddress unix) {
            Files.deleteIfExists(unix.getPath());
        }
    }
}
