package io.hawser.agent.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP layer over a real unix socket, with small handlers that expose what it does. */
@Timeout(60) // a deadline against hangs, not a performance assertion
class HttpServerTest {

    @TempDir
    Path tmp;
    private HttpServer server;

    private Path socket() {
        return tmp.resolve("run/test.sock");
    }

    private void start(HttpHandler handler) {
        server = HttpServer.bind(socket(), handler, new Headers().set("Api-Version", "9.99"));
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Echoes method, path and body. */
    private static void echo(HttpExchange ex) throws IOException {
        String body = new String(ex.request().body().readAllBytes(), StandardCharsets.UTF_8);
        ex.sendText(200, ex.request().method() + " " + ex.request().path() + " " + body);
    }

    @Test
    void keepAlive_servesSeveralRequestsOnOneConnection() throws IOException {
        start(HttpServerTest::echo);
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            RawHttpClient.Response first = c.send("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc").read();
            RawHttpClient.Response second = c.request("GET", "/b");
            assertThat(first.bodyText()).isEqualTo("POST /a abc");
            assertThat(second.bodyText()).isEqualTo("GET /b ");
            assertThat(second.header("Api-Version")).isEqualTo("9.99");
            assertThat(second.header("Date")).endsWith(" GMT");
            assertThat(second.header("Connection")).isNull();
        }
    }

    @Test
    void connectionClose_isHonoured() throws IOException {
        start(HttpServerTest::echo);
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            RawHttpClient.Response r = c.send("GET /a HTTP/1.1\r\nConnection: close\r\n\r\n").read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void unreadRequestBody_isSkippedBeforeTheNextRequest() throws IOException {
        start(ex -> ex.sendText(200, "ignored body of " + ex.request().path()));
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            c.send("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").read();
            assertThat(c.request("GET", "/b").bodyText()).isEqualTo("ignored body of /b");
        }
    }

    @Test
    void chunkedRequestBody_reachesTheHandlerDechunked() throws IOException {
        start(HttpServerTest::echo);
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            RawHttpClient.Response r = c.send("POST /load HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n").read();
            assertThat(r.bodyText()).isEqualTo("POST /load abcdef");
        }
    }

    @Test
    void malformedRequest_gets400JsonAndTheServerKeepsServing() throws IOException {
        start(HttpServerTest::echo);
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            RawHttpClient.Response r = c.send("NONSENSE\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("Api-Version")).isEqualTo("9.99");
            assertThat(r.bodyText()).startsWith("{\"message\":\"malformed HTTP request: ");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            assertThat(c.request("GET", "/ok").status()).isEqualTo(200);
        }
    }

    @Test
    void handlerExceptions_becomeJsonErrorsByKind() throws IOException {
        start(ex -> {
            switch (ex.request().path()) {
                case "/404" -> throw AgentException.notFound("No such container: nosuch");
                case "/409" -> throw AgentException.conflict("name in use");
                case "/400" -> throw AgentException.invalidArgument("bad flag");
                case "/500" -> throw AgentException.system("mount overlay", new IOException("EINVAL"));
                default -> throw new IllegalStateException("bug");
            }
        });
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            assertThat(c.request("GET", "/404").bodyText()).isEqualTo("{\"message\":\"No such container: nosuch\"}");
            assertThat(c.request("GET", "/409").status()).isEqualTo(409);
            assertThat(c.request("GET", "/400").status()).isEqualTo(400);
            RawHttpClient.Response system = c.request("GET", "/500");
            assertThat(system.status()).isEqualTo(500);
            assertThat(system.bodyText()).isEqualTo("{\"message\":\"mount overlay failed: EINVAL\"}");
            RawHttpClient.Response bug = c.request("GET", "/other");
            assertThat(bug.status()).isEqualTo(500);
            assertThat(bug.bodyText()).isEqualTo("{\"message\":\"bug\"}");
        }
    }

    @Test
    void headResponse_hasHeadersButNoBody() throws IOException {
        start(ex -> ex.sendText(200, "four"));
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            RawHttpClient.Response head = c.request("HEAD", "/x");
            assertThat(head.header("Content-Length")).isEqualTo("4");
            // Had the body been sent, it would now be read as the next status line.
            assertThat(c.request("GET", "/x").bodyText()).isEqualTo("four");
        }
    }

    @Test
    void chunkedResponse_streamsAndLeavesTheConnectionUsable() throws IOException {
        start(ex -> {
            if (ex.request().path().equals("/stream")) {
                OutputStream body = ex.sendChunked(200, "application/json");
                body.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
                body.flush();
                body.write("{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));
                // left open on purpose: the connection must end the body itself
            } else {
                ex.sendText(200, "after");
            }
        });
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            RawHttpClient.Response r = c.request("GET", "/stream");
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.bodyText()).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
            assertThat(c.request("GET", "/next").bodyText()).isEqualTo("after");
        }
    }

    @Test
    void hijack_handsTheRawConnectionToTheHandler() throws IOException {
        start(ex -> {
            HijackedConnection raw = ex.hijack();
            Thread t = new Thread(() -> {
                try (raw) {
                    raw.out().write("HTTP/1.1 101 UPGRADED\r\nUpgrade: tcp\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    int b;
                    while ((b = raw.in().read()) >= 0 && b != '\n') {
                        raw.out().write(Character.toUpperCase(b));
                    }
                } catch (IOException ignored) {
                    // test client went away
                }
            });
            t.start();
        });
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            // The first bytes of the raw stream arrive with the request, as a client may send them.
            c.send("POST /attach HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello\n");
            RawHttpClient.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(101);
            assertThat(new String(c.in().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("HELLO");
        }
    }

    @Test
    void bind_setsMode0660_andCloseRemovesTheSocket() throws IOException {
        start(HttpServerTest::echo);
        assertThat(Files.getPosixFilePermissions(socket())).isEqualTo(UnixSocketFile.MODE_0660);
        server.close();
        assertThat(socket()).doesNotExist();
    }

    @Test
    void bind_replacesAStaleSocket() throws IOException {
        Files.createDirectories(socket().getParent());
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket()));
        } // closed: the file stays, nobody accepts on it
        assertThat(socket()).exists();
        start(HttpServerTest::echo);
        try (RawHttpClient c = RawHttpClient.connect(socket())) {
            assertThat(c.request("GET", "/x").status()).isEqualTo(200);
        }
    }

    @Test
    void bind_refusesASocketAnotherProcessServes() {
        start(HttpServerTest::echo);
        assertThatThrownBy(() -> HttpServer.bind(socket(), HttpServerTest::echo, new Headers()))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("another process is already serving on unix socket " + socket());
        assertThat(socket()).exists(); // the refused server must not delete the live one's socket
    }

    @Test
    void bind_refusesToReplaceAFileThatIsNotASocket() throws IOException {
        Files.createDirectories(socket().getParent());
        Files.writeString(socket(), "precious");
        assertThatThrownBy(() -> HttpServer.bind(socket(), HttpServerTest::echo, new Headers()))
                .hasMessage(socket() + " exists and is not a socket; refusing to replace it");
        assertThat(socket()).hasContent("precious");
    }
}
