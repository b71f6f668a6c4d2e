package io.hawser.agent.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private static InputStream stream(String raw) {
        return new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String body(HttpRequest r) throws IOException {
        return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void parse_readsKeepAliveRequestsOneAfterAnother() throws IOException {
        InputStream in = stream("GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n"
                + "POST /containers/create?name=web HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /version HTTP/1.1\r\n\r\n");

        HttpRequest first = RequestParser.parse(in);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.path()).isEqualTo("/_ping");
        assertThat(first.headers().first("host")).isEqualTo("docker");
        assertThat(first.keepAlive()).isTrue();
        assertThat(body(first)).isEmpty();

        HttpRequest second = RequestParser.parse(in);
        assertThat(second.path()).isEqualTo("/containers/create");
        assertThat(second.queryParam("name")).isEqualTo("web");
        assertThat(body(second)).isEqualTo("hello");

        assertThat(RequestParser.parse(in).path()).isEqualTo("/version");
        assertThat(RequestParser.parse(in)).isNull();
    }

    @Test
    void parse_unreadBodyDoesNotLeakIntoTheNextRequest() throws IOException {
        InputStream in = stream("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n");
        HttpRequest first = RequestParser.parse(in);
        assertThat(first.body().read()).isEqualTo('a');
        first.body().readAllBytes(); // what the connection's drain does
        assertThat(RequestParser.parse(in).path()).isEqualTo("/b");
    }

    @Test
    void parse_chunkedBody_isDechunkedWithExtensionsAndTrailers() throws IOException {
        InputStream in = stream("POST /build HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n" + "7\r\n, world\r\n" + "0\r\nX-Trailer: yes\r\n\r\n"
                + "GET /next HTTP/1.1\r\n\r\n");
        HttpRequest request = RequestParser.parse(in);
        assertThat(body(request)).isEqualTo("hello, world");
        assertThat(RequestParser.parse(in).path()).isEqualTo("/next");
    }

    @Test
    void parse_chunkedBodyWithBadSize_failsAsInvalidArgumentWhenRead() throws IOException {
        HttpRequest request = RequestParser.parse(stream(
                "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"));
        assertThatThrownBy(() -> request.body().readAllBytes())
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("bad chunk size 'zz'");
    }

    @Test
    void parse_decodesPathAndQuery() throws IOException {
        HttpRequest r = RequestParser.parse(stream(
                "GET /images/library%2Fbusybox/json?filters=%7B%22a%22%3A1%7D&all=1&all=0&flag HTTP/1.1\r\n\r\n"));
        assertThat(r.path()).isEqualTo("/images/library/busybox/json");
        assertThat(r.target()).startsWith("/images/library%2Fbusybox/json?");
        assertThat(r.queryParam("filters")).isEqualTo("{\"a\":1}");
        assertThat(r.query().get("all")).isEqualTo(List.of("1", "0"));
        assertThat(r.queryParam("flag")).isEmpty();
    }

    @Test
    void keepAlive_followsHttpVersionAndConnectionHeader() throws IOException {
        assertThat(RequestParser.parse(stream("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).keepAlive()).isFalse();
        assertThat(RequestParser.parse(stream("GET / HTTP/1.0\r\n\r\n")).keepAlive()).isFalse();
        assertThat(RequestParser.parse(stream("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")).keepAlive()).isTrue();
    }

    @Test
    void parse_skipsEmptyLinesBeforeTheRequestLine() throws IOException {
        assertThat(RequestParser.parse(stream("\r\n\r\nGET /_ping HTTP/1.1\r\n\r\n")).path()).isEqualTo("/_ping");
    }

    @Test
    void parse_rejectsGarbageRequestLine() {
        assertInvalid("HELLO\r\n\r\n", "is not 'METHOD TARGET HTTP/1.1'");
        assertInvalid("GET  /x HTTP/1.1\r\n\r\n", "is not 'METHOD TARGET HTTP/1.1'");
        assertInvalid("GET x HTTP/1.1\r\n\r\n", "not an absolute path");
        assertInvalid("GET /x HTTP/2.0\r\n\r\n", "unsupported protocol version 'HTTP/2.0'");
        assertInvalid("G{T /x HTTP/1.1\r\n\r\n", "invalid method");
    }

    @Test
    void parse_rejectsSmugglingProne_heads() {
        assertInvalid("GET /x HTTP/1.1\r\nHost : docker\r\n\r\n", "invalid header line");
        assertInvalid("GET /x HTTP/1.1\r\nA: b\r\n c\r\n\r\n", "line folding");
        assertInvalid("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc",
                "both Transfer-Encoding and Content-Length");
        assertInvalid("POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "invalid Content-Length");
        assertInvalid("POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length");
        assertInvalid("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported Transfer-Encoding");
    }

    @Test
    void parse_rejectsBadPercentEncodingAndTruncatedHead() {
        assertInvalid("GET /a%zz HTTP/1.1\r\n\r\n", "invalid percent-encoding");
        assertInvalid("GET /a?x=%zz HTTP/1.1\r\n\r\n", "invalid query parameter");
        assertInvalid("GET /a HTTP/1.1\r\nHost: x\r\n", "connection closed inside the request head");
    }

    @Test
    void parse_rejectsOversizedHead() {
        String big = "X-Big: " + "a".repeat(60_000) + "\r\n";
        assertInvalid("GET / HTTP/1.1\r\n" + big.repeat(20) + "\r\n", "larger than");
    }

    private static void assertInvalid(String raw, String messagePart) {
        assertThatThrownBy(() -> RequestParser.parse(stream(raw)))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageStartingWith("malformed HTTP request: ")
                .hasMessageContaining(messagePart);
    }
}
