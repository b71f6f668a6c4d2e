package io.hawser.console.link;

import java.io.IOException;
import java.nio.ByteBuffer;
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
    private static final String PARTIAL = "hawser.link.partial";
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

    /** Messages larger than Tomcat's receive buffer arrive in parts, which {@link #handleBinaryMessage} joins. */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
        AgentLink link = (AgentLink) session.getAttributes().get(LINK);
        if (link == null) {
            return;
        }
        PartialMessage partial = (PartialMessage) session.getAttributes().get(PARTIAL);
        if (partial == null && message.isLast()) {
            link.onMessage(message.getPayload());
            return;
        }
        if (partial == null) {
            partial = new PartialMessage();
            session.getAttributes().put(PARTIAL, partial);
        }
        if (!partial.add(message.getPayload(), LinkConfiguration.MAX_MESSAGE)) {
            session.getAttributes().remove(PARTIAL);
            session.close(CloseStatus.TOO_BIG_TO_PROCESS.withReason("a link message is limited to "
                    + LinkConfiguration.MAX_MESSAGE + " bytes"));
            return;
        }
        if (message.isLast()) {
            session.getAttributes().remove(PARTIAL);
            link.onMessage(partial.whole());
        }
    }

    /** The parts of one message so far. */
    static final class PartialMessage {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        /** @return false when the message would exceed {@code limit} bytes */
        boolean add(ByteBuffer part, int limit) {
            if ((long) bytes.size() + part.remaining() > limit) {
                return false;
            }
            byte[] chunk = new byte[part.remaining()];
            part.get(chunk);
            bytes.write(chunk, 0, chunk.length);
            return true;
        }

        ByteBuffer whole() {
            return ByteBuffer.wrap(bytes.toByteArray());
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
