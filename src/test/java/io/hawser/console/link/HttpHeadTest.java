package io.hawser.console.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpHeadTest {

    private static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void chunkedBody_isDecoded_andTheConnectionLeftAfterTheLastChunk() throws Exception {
        InputStream in = in("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nApi-Version: 1.47\r\n\r\n"
                + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\nNEXT");
        HttpHead head = HttpHead.read(in);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("api-version")).contains("1.47");
        assertThat(new String(HttpBodies.body(head, "GET", in).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("NEXT");
    }

    @Test
    void contentLengthBody_andBodiesWithoutContent() throws Exception {
        InputStream in = in("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabcdef");
        HttpHead head = HttpHead.read(in);
        assertThat(head.status()).isEqualTo(404);
        assertThat(HttpBodies.body(head, "GET", in).readAllBytes()).containsExactly('a', 'b', 'c');

        InputStream head204 = in("HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(HttpBodies.body(HttpHead.read(head204), "POST", head204).readAllBytes()).isEmpty();
        InputStream upgraded = in("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nraw");
        assertThat(HttpHead.read(upgraded).status()).isEqualTo(101);
    }

    @Test
    void truncatedOrMalformedResponses_fail() {
        assertThatThrownBy(() -> HttpHead.read(in(""))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> HttpHead.read(in("SSH-2.0-OpenSSH\r\n\r\n"))).hasMessageContaining("not an HTTP/1.x status line");
        assertThatThrownBy(() -> {
            InputStream in = in("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            HttpBodies.body(HttpHead.read(in), "GET", in).readAllBytes();
        }).isInstanceOf(EOFException.class);
    }
}
