package io.hawser.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LinkClientTest {

    @Test
    void webSocketUri_followsTheConsoleUrl() {
        assertThat(LinkClient.webSocketUri(URI.create("http://127.0.0.1:8080"))).hasToString("ws://127.0.0.1:8080/agent-link");
        assertThat(LinkClient.webSocketUri(URI.create("https://console.example/hawser/")))
                .hasToString("wss://console.example/hawser/agent-link");
        assertThat(LinkClient.resolve(URI.create("http://c:1"), "api/agent/enroll")).hasToString("http://c:1/api/agent/enroll");
    }

    @Test
    void eventCursor_resumesAfterTheLastForwardedEvent() {
        LinkSession.EventCursor cursor = new LinkSession.EventCursor();
        assertThat(cursor.since(Instant.ofEpochSecond(1_700_000_010))).isEqualTo("1700000008");
        cursor.forwarded(1_700_000_000_000_000_123L);
        cursor.forwarded(1_600_000_000_000_000_000L);
        assertThat(cursor.since(Instant.ofEpochSecond(1_700_000_999))).isEqualTo("1700000000.000000123");
    }
}
