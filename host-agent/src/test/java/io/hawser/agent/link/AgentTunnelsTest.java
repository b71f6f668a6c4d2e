package io.hawser.agent.link;

import io.hawser.link.Frame;
import io.hawser.link.TunnelChannel;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's end of tunnels against a real unix socket server (an echo server standing in for the API), with the
 * console's end as a TunnelChannel wired back to back: bytes both ways at once, half-close, close, refused connect.
 */
class AgentTunnelsTest {

    private Path dir;
    private Path socket;
    private ServerSocketChannel server;
    private AgentTunnels agent;
    private final Map<Integer, TunnelChannel> console = new ConcurrentHashMap<>();

    @BeforeEach
    void echoServer() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "at-");
        socket = dir.resolve("api.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread accept = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel c = server.accept();
                    Thread echo = new Thread(() -> echo(c));
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        agent = new AgentTunnels(socket, f -> console.get(f.channel()).onFrame(f));
    }

    @AfterEach
    void stop() throws IOException {
        agent.closeAll();
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    /** Echoes everything; after the client's half-close, says "bye" and closes. */
    private static void echo(SocketChannel c) {
        try (c) {
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (c.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    c.write(buf);
                }
                buf.clear();
            }
            c.write(ByteBuffer.wrap("bye".getBytes()));
        } catch (IOException ignored) {
            // the test closed it
        }
    }

    private TunnelChannel open(int id) {
        TunnelChannel channel = new TunnelChannel(id, agent::onFrame, () -> console.remove(id));
        console.put(id, channel);
        agent.onFrame(new Frame(Frame.Type.OPEN, id, null));
        return channel;
    }

    @Test
    void bytesFlowBothWaysAtOnce_manyWindowsWorth_thenHalfCloseEndsIt() throws Exception {
        TunnelChannel channel = open(1);
        byte[] data = new byte[4 * TunnelChannel.WINDOW + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        // The echo answers while we still write: the agent's two pumps must not wait for each other.
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try {
                return channel.input().readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = channel.output();
                out.write(data);
                channel.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        byte[] all = received.get(60, TimeUnit.SECONDS);
        sent.get(60, TimeUnit.SECONDS);
        byte[] expected = new byte[data.length + 3];
        System.arraycopy(data, 0, expected, 0, data.length);
        System.arraycopy("bye".getBytes(), 0, expected, data.length, 3);
        assertThat(all).isEqualTo(expected);
        awaitNoTunnels();
    }

    @Test
    void closeFromTheConsole_endsTheConnection() throws Exception {
        TunnelChannel channel = open(2);
        channel.output().write("ping".getBytes());
        InputStream in = channel.input();
        assertThat(in.readNBytes(4)).isEqualTo("ping".getBytes());
        channel.close(null);
        awaitNoTunnels();
    }

    @Test
    void aSocketNobodyServes_closesTheTunnelWithTheReason() throws Exception {
        server.close();
        Files.delete(socket);
        TunnelChannel channel = open(3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!channel.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(channel.closeReason()).startsWith("cannot connect to the agent's API socket " + socket);
    }

    private void awaitNoTunnels() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(agent.open()).isZero();
    }
}
