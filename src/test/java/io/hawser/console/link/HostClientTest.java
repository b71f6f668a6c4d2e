package io.hawser.console.link;

import io.hawser.link.Frame;
import io.hawser.link.TunnelChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * HTTP over tunnels against a fake agent in the same JVM: the link's frames go straight to it, and its tunnels answer
 * like the agent's API would, so requests, chunked streams, large bodies (many windows) and hijacks are exercised
 * without a network.
 */
class HostClientTest {

    private final Map<Integer, TunnelChannel> agentSide = new ConcurrentHashMap<>();
    private AgentLink link;
    private BiConsumer<String, TunnelChannel> server;

    @BeforeEach
    void link() throws Exception {
        WebSocketSession session = mock(WebSocketSession.class);
        when(session.isOpen()).thenReturn(true);
        link = new AgentLink(UUID.randomUUID(), session, Clock.systemUTC(), (l, json) -> { });
        doAnswer(invocation -> {
            Frame frame = Frame.decode(((BinaryMessage) invocation.getArgument(0)).getPayload());
            if (frame.type() == Frame.Type.OPEN) {
                TunnelChannel tunnel = new TunnelChannel(frame.channel(), f -> link.onMessage(f.encode()),
                        () -> agentSide.remove(frame.channel()));
                agentSide.put(frame.channel(), tunnel);
                Thread t = new Thread(() -> {
                    try {
                        String request = readHead(tunnel.input());
                        server.accept(request, tunnel);
                    } catch (IOException e) {
                        tunnel.close(e.toString());
                    }
                });
                t.setDaemon(true);
                t.start();
            } else if (agentSide.containsKey(frame.channel())) {
                agentSide.get(frame.channel()).onFrame(frame);
            }
            return null;
        }).when(session).sendMessage(any());
    }

    @Test
    void get_readsAWholeResponse_spanningManyWindows() throws Exception {
        byte[] big = new byte[3 * TunnelChannel.WINDOW + 123];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        server = (request, tunnel) -> respond(tunnel, request.startsWith("GET /big HTTP/1.1\r\n") && request.contains("Connection: close")
                ? "HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n" : "HTTP/1.1 400 Bad\r\nContent-Length: 0\r\n\r\n", big);

        ApiResponse response = new HostClient(link.hostId(), link).get("/big");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(big);
    }

    @Test
    void stream_decodesChunks_asTheyArrive() throws Exception {
        server = (request, tunnel) -> respond(tunnel, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "7\r\n{\"a\":1}\r\n" + "7\r\n{\"b\":2}\r\n0\r\n\r\n", new byte[0]);
        try (ApiStream stream = new HostClient(link.hostId(), link).stream("GET", "/events", null, null)) {
            assertThat(stream.head().chunked()).isTrue();
            assertThat(new String(stream.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}{\"b\":2}");
        }
    }

    @Test
    void hijack_givesRawBytesBothWays_andHalfCloses() throws Exception {
        server = (request, tunnel) -> {
            try {
                assertThat(request).contains("Connection: Upgrade\r\n").contains("Upgrade: tcp\r\n")
                        .contains("Content-Length: 2\r\n");
                InputStream in = tunnel.input();
                in.readNBytes(2); // the request body
                OutputStream out = tunnel.output();
                out.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] echo = in.readAllBytes(); // until the client's EOF
                out.write(("echo:" + new String(echo, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                tunnel.shutdownOutput();
            } catch (IOException e) {
                tunnel.close(e.toString());
            }
        };
        try (HijackedStream hijacked = new HostClient(link.hostId(), link)
                .hijack("POST", "/exec/x/start", "application/json", "{}".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(hijacked.head().status()).isEqualTo(101);
            hijacked.output().write("ls -l\n".getBytes(StandardCharsets.US_ASCII));
            hijacked.shutdownOutput();
            assertThat(new String(hijacked.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echo:ls -l\n");
        }
    }

    private static void respond(TunnelChannel tunnel, String head, byte[] body) {
        try {
            OutputStream out = tunnel.output();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (head.contains("Content-Length: " + body.length)) {
                out.write(body);
            }
            tunnel.shutdownOutput();
        } catch (IOException e) {
            tunnel.close(e.toString());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
