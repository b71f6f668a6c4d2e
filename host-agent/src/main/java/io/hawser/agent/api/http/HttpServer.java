package io.hawser.agent.api.http;

import io.hawser.agent.common.AgentException;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTP/1.1 on a unix domain socket, one daemon thread per connection.
 *
 * <p>Why not Netty or the JDK's com.sun.net.httpserver: the JDK server cannot listen on a unix socket,
 * and attach/exec need to take over the raw connection after {@code Upgrade: tcp}, which is one method
 * here ({@link HttpExchange#hijack()}) and a pipeline rework in Netty. A Docker API server sees a few
 * dozen concurrent connections, mostly long-lived streams, for which blocking threads are the simplest
 * correct model; the whole server is a few hundred lines with no dependency to keep patched.
 */
public final class HttpServer implements Closeable {

    private static final Logger LOG = Logger.getLogger(HttpServer.class.getName());

    private final UnixSocketFile socketFile;
    private final ServerSocketChannel server;
    private final HttpHandler handler;
    private final Headers defaultHeaders;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionCount = new AtomicLong();
    /**
     * One thread per connection, reused: {@code docker run} opens three connections, and creating and
     * ending their threads was measurable CPU on a loaded two-CPU host (bench/README.md, "Agent latency").
     * Idle threads end after 60 s; daemon threads, so a connection never keeps the JVM alive at shutdown.
     */
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hawser-api");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    private HttpServer(UnixSocketFile socketFile, ServerSocketChannel server, HttpHandler handler, Headers defaultHeaders) {
        this.socketFile = socketFile;
        this.server = server;
        this.handler = handler;
        this.defaultHeaders = defaultHeaders;
    }

    /**
     * Binds {@code socket} (removing a stale socket file first) and sets its mode to 0660.
     *
     * @param defaultHeaders sent with every response, errors included
     * @throws AgentException conflict when another process serves on the socket, system when bind fails
     */
    public static HttpServer bind(Path socket, HttpHandler handler, Headers defaultHeaders) {
        UnixSocketFile file = new UnixSocketFile(socket);
        file.prepare();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(file.path()));
            file.restrict();
            return new HttpServer(file, channel, handler, new Headers().setAll(defaultHeaders));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            file.removeIfOurs();
            throw e instanceof AgentException a ? a : AgentException.system("bind unix socket " + file.path(), e);
        }
    }

    public Path socketPath() {
        return socketFile.path();
    }

    /** Accepts connections on the calling thread until {@link #close()}. */
    public void serve() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return; // close() was called
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.WARNING, "accept on unix socket " + socketPath() + " failed: " + e);
                continue;
            }
            connections.add(client);
            HttpConnection connection = new HttpConnection(client, handler, defaultHeaders, () -> connections.remove(client));
            String name = "hawser-api-" + connectionCount.incrementAndGet();
            threads.execute(() -> {
                Thread.currentThread().setName(name);
                connection.run();
            });
        }
    }

    /** Accepts on a new daemon thread; for tests and for callers that do other work on their thread. */
    public Thread start() {
        Thread t = new Thread(this::serve, "hawser-api-accept");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stops accepting, closes open connections (hijacked ones belong to their handlers) and removes the socket. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        connections.forEach(HttpServer::closeQuietly);
        threads.shutdown(); // running handlers (hijacked streams) finish on their own
        socketFile.removeIfOurs();
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close: " + e);
        }
    }
}
