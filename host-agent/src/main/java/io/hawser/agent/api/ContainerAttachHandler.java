package io.hawser.agent.api;

import io.hawser.agent.api.http.HijackedConnection;
import io.hawser.agent.container.AttachClient;
import io.hawser.agent.container.Container;
import io.hawser.agent.container.ContainerConfig;
import io.hawser.agent.container.Containers;
import io.hawser.agent.exec.DetachKeys;
import io.hawser.agent.runtime.AttachFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

/**
 * {@code POST /containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1}: takes over the connection
 * ({@code 101 UPGRADED} when the client asked for {@code Upgrade: tcp}, as dockerd answers), then relays
 * between the client and the shim's attach socket: output frames as they come (multiplexed, or their
 * payload raw for a TTY), the client's stdin to the container. A client's half-close ends the container's
 * stdin when the container was created with StdinOnce ({@code docker run -i}). Attaching before start is
 * allowed; the client is connected while the container's init is held, so no output is lost.
 */
final class ContainerAttachHandler implements Endpoint {

    private static final Logger LOG = Logger.getLogger(ContainerAttachHandler.class.getName());

    private final Containers containers;

    ContainerAttachHandler(Containers containers) {
        this.containers = containers;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        Container c = containers.get(call.pathParam("id"));
        boolean stdin = call.queryFlag("stdin");
        boolean stdout = call.queryFlag("stdout");
        boolean stderr = call.queryFlag("stderr");
        ContainerConfig cfg = c.record().config();
        boolean tty = cfg.tty();
        // dockerd watches for the detach keys only with a TTY (container/stream/attach.go copyEscapable)
        DetachKeys keys = tty && stdin ? DetachKeys.parse(call.request().queryParam("detachKeys")) : null;
        boolean upgrade = call.request().headers().hasToken("Connection", "upgrade");
        HijackedConnection conn = call.exchange().hijack();
        // Registered before the 101 goes out: the CLI starts the container as soon as it has the answer, and
        // the client must be on the container's list by then or it misses the output.
        CompletableFuture<SocketChannel> shimAttach = new CompletableFuture<>();
        containers.runner().attach(c, new AttachClient() {
            @Override
            public void connected(SocketChannel shim) {
                if (!shimAttach.complete(shim)) {
                    closeQuietly(shim);
                }
            }

            @Override
            public void cancelled(String reason) {
                shimAttach.completeExceptionally(new IOException(reason));
            }
        });
        String contentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        String head = upgrade
                ? "HTTP/1.1 101 UPGRADED\r\nContent-Type: " + contentType + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n\r\n";
        try (conn) {
            conn.out().write(head.getBytes(StandardCharsets.ISO_8859_1));
            conn.out().flush();
            SocketChannel shim;
            try {
                shim = shimAttach.get();
            } catch (ExecutionException e) {
                LOG.fine("attach ended before start: " + e.getCause().getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try (shim) {
                if (stdin) {
                    Thread in = new Thread(() -> pumpStdin(conn, shim, cfg.stdinOnce(), keys), "hawser-attach-stdin");
                    in.setDaemon(true);
                    in.start();
                }
                pumpOutput(shim, conn.out(), stdout, stderr, tty);
            }
        }
    }

    private static void pumpOutput(SocketChannel shim, OutputStream client, boolean stdout, boolean stderr, boolean tty) {
        try {
            InputStream in = Channels.newInputStream(shim);
            for (AttachFrame f; (f = AttachFrame.read(in)) != null; ) {
                if ((f.stream() == AttachFrame.STDOUT && !stdout) || (f.stream() == AttachFrame.STDERR && !stderr)) {
                    continue;
                }
                if (tty) {
                    client.write(f.payload());
                } else {
                    int n = f.payload().length;
                    client.write(new byte[] {(byte) f.stream(), 0, 0, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
                    client.write(f.payload());
                }
                client.flush();
            }
        } catch (IOException e) {
            LOG.fine("attach output ended: " + e.getMessage());
        }
    }

    /** With detach keys (TTY only): the sequence closes both sides, the container keeps running. */
    private static void pumpStdin(HijackedConnection conn, SocketChannel shim, boolean stdinOnce, DetachKeys keys) {
        byte[] buf = new byte[32 * 1024];
        java.io.ByteArrayOutputStream pass = new java.io.ByteArrayOutputStream();
        try {
            for (int n; (n = conn.in().read(buf)) >= 0; ) {
                boolean detach = false;
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                if (keys != null) {
                    pass.reset();
                    detach = keys.filter(buf, n, pass);
                    b = ByteBuffer.wrap(pass.toByteArray());
                }
                while (b.hasRemaining()) {
                    shim.write(b);
                }
                if (detach) {
                    shim.close(); // ends the output relay; the shim's stdin stays open (a TTY is never closed)
                    conn.close();
                    return;
                }
            }
            if (stdinOnce) {
                shim.shutdownOutput(); // the container's stdin reaches EOF
            }
        } catch (IOException e) {
            LOG.fine("attach stdin ended: " + e.getMessage());
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
