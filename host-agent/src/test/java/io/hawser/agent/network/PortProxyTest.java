package io.hawser.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The proxies between two loopback sockets: the "container" is a server on 127.0.0.1. */
class PortProxyTest {

    @Test
    void tcp_relaysBothWaysAndPassesTheHalfClose() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
             PortProxy proxy = PortProxy.open(new PortMapping("tcp", backend.getLocalPort(), "127.0.0.1", 0), "127.0.0.1")) {
            assertThat(proxy.port()).isPositive();
            Thread server = new Thread(() -> {
                try (Socket s = backend.accept()) {
                    byte[] in = s.getInputStream().readAllBytes(); // until the client's half-close
                    s.getOutputStream().write(("got " + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            server.start();
            try (Socket client = new Socket("127.0.0.1", proxy.port())) {
                OutputStream out = client.getOutputStream();
                out.write("ping".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                InputStream in = client.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("got ping");
            }
            server.join(30_000);
        }
    }

    @Test
    void tcp_aPortInUseFailsToOpen_andCloseFreesThePort() throws Exception {
        PortProxy first = PortProxy.open(new PortMapping("tcp", 80, "127.0.0.1", 0), "127.0.0.1");
        int port = first.port();
        assertThatThrownBy(() -> PortProxy.open(new PortMapping("tcp", 80, "127.0.0.1", port), "127.0.0.1"))
                .isInstanceOf(BindException.class);
        first.close();
        PortProxy.open(new PortMapping("tcp", 80, "127.0.0.1", port), "127.0.0.1").close();
    }

    @Test
    void udp_relaysDatagramsAndTheAnswers() throws Exception {
        try (DatagramChannel backend = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             PortProxy proxy = PortProxy.open(new PortMapping("udp", ((InetSocketAddress) backend.getLocalAddress()).getPort(),
                     "127.0.0.1", 0), "127.0.0.1")) {
            Thread echo = new Thread(() -> {
                try {
                    ByteBuffer b = ByteBuffer.allocate(100);
                    var from = backend.receive(b);
                    b.flip();
                    backend.send(ByteBuffer.wrap(("echo " + StandardCharsets.UTF_8.decode(b)).getBytes(StandardCharsets.UTF_8)), from);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            try (java.net.DatagramSocket client = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                client.setSoTimeout(500);
                byte[] msg = "hi".getBytes(StandardCharsets.UTF_8);
                java.net.DatagramPacket answer = new java.net.DatagramPacket(new byte[100], 100);
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                boolean got = false;
                while (!got && Instant.now().isBefore(deadline)) { // UDP: send again until the answer comes
                    client.send(new java.net.DatagramPacket(msg, msg.length, new InetSocketAddress("127.0.0.1", proxy.port())));
                    try {
                        client.receive(answer);
                        got = true;
                    } catch (SocketTimeoutException e) {
                        // resend
                    }
                }
                assertThat(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8)).isEqualTo("echo hi");
            }
            echo.join(30_000);
        }
    }
}
