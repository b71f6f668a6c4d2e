package io.hawser.console.link;

import java.time.Clock;
import java.util.UUID;
import java.util.logging.Logger;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/** Turns authenticated WebSocket sessions at {@code /agent-link} into {@link AgentLink}s in the {@link LinkRegistry}. */
@Component
class AgentLinkHandler extends BinaryWebSocketHandler {

    private static final Logger LOG = Logger.getLogger(AgentLinkHandler.class.getName());
    private static final String LINK = "hawser.link";
    private static final int SEND_TIME_LIMIT_MS = 30_000;
    private static final int SEND_BUFFER_LIMIT = 32 * 1024 * 1024;

    private final LinkRegistry registry;
    private final LinkMessages messages;
    private final Clock clock;

    AgentLinkHandler(LinkRegistry registry, LinkMessages messages, Clock clock) {
        this.registry = registry;
        this.messages = messages;
        this.clock = clock;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        UUID hostId = (UUID) session.getAttributes().get(AgentHandshakeInterceptor.HOST_ID);
        WebSocketSession sending = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, SEND_BUFFER_LIMIT);
        AgentLink link = new AgentLink(hostId, sending, clock, messages::handle);
        session.getAttributes().put(LINK, link);
        registry.register(link);
        LOG.info("host " + hostId + " linked from " + session.getRemoteAddress());
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        AgentLink link = (AgentLink) session.getAttributes().get(LINK);
        if (link != null) {
            link.onMessage(message.getPayload());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        AgentLink link = (AgentLink) session.getAttributes().get(LINK);
        if (link != null) {
            link.closed();
            registry.unregister(link);
            LOG.info("host " + link.hostId() + " link closed: " + status);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        LOG.fine("agent link transport error: " + exception);
    }
}
