package io.hawser.console.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.hawser.console.inventory.InventoryStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

class UnreachableDetectorTest {

    /** A clock the test moves by hand. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final FakeClock clock = new FakeClock();
    private final InventoryStore store = mock(InventoryStore.class);
    private final LinkRegistry registry = new LinkRegistry();
    private final UnreachableDetector detector = new UnreachableDetector(registry, store, clock,
            new LinkProperties(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofDays(30)));

    private AgentLink link(UUID hostId, WebSocketSession session) {
        when(session.isOpen()).thenReturn(true);
        AgentLink link = new AgentLink(hostId, session, clock, (l, json) -> { });
        registry.register(link);
        return link;
    }

    @Test
    void aLinkThatGoesQuietForLongerThanTheTimeout_isClosed_andItsHostMarked() throws Exception {
        UUID quiet = UUID.randomUUID();
        UUID talking = UUID.randomUUID();
        WebSocketSession quietSession = mock(WebSocketSession.class);
        AgentLink quietLink = link(quiet, quietSession);
        AgentLink talkingLink = link(talking, mock(WebSocketSession.class));

        clock.advance(Duration.ofSeconds(10));
        talkingLink.onMessage(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, '{', '}'})); // an (empty) control message
        detector.check();
        verify(quietSession, never()).close(any());
        verify(store).markUnreachable(eq(clock.now.minusSeconds(15)),
                argThat(ids -> ids.size() == 2 && ids.containsAll(List.of(quiet, talking))));

        clock.advance(Duration.ofSeconds(5).plusMillis(1)); // quiet: 15.001 s; talking: 5.001 s
        detector.check();

        verify(quietSession).close(any(CloseStatus.class));
        assertThat(registry.link(quiet)).isEmpty();
        assertThat(registry.link(talking)).contains(talkingLink);
        verify(store).markUnreachable(eq(clock.now.minusSeconds(15)),
                argThat(ids -> ids.size() == 1 && ids.contains(talking)));
        assertThat(quietLink.isOpen()).isFalse();
    }

    @Test
    void exactlyTheTimeout_isNotYetUnreachable() throws Exception {
        UUID host = UUID.randomUUID();
        WebSocketSession session = mock(WebSocketSession.class);
        link(host, session);
        clock.advance(Duration.ofSeconds(15));
        detector.check();
        verify(session, never()).close(any());
        assertThat(registry.link(host)).isPresent();
    }
}
