package io.hawser.console.link;

import io.hawser.console.hosts.HostService;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Authenticates an agent before its WebSocket is upgraded: {@code Authorization: Bearer <hostId>.<credential>}.
 * Anything else is answered 401 and never becomes a link.
 */
@Component
class AgentHandshakeInterceptor implements HandshakeInterceptor {

    static final String HOST_ID = "hawser.hostId";
    private static final Logger LOG = Logger.getLogger(AgentHandshakeInterceptor.class.getName());

    private final HostService hosts;

    AgentHandshakeInterceptor(HostService hosts) {
        this.hosts = hosts;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        Optional<UUID> host = bearer(request.getHeaders().getFirst("Authorization"))
                .filter(c -> hosts.credentialValid(c.hostId(), c.credential()))
                .map(Credential::hostId);
        if (host.isEmpty()) {
            LOG.warning("agent link refused from " + request.getRemoteAddress() + ": missing or invalid host credential");
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            response.getHeaders().set("WWW-Authenticate", "Bearer");
            return false;
        }
        attributes.put(HOST_ID, host.get());
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {}

    record Credential(UUID hostId, String credential) {}

    /** Parses {@code Bearer <uuid>.<credential>}; empty for anything else. */
    static Optional<Credential> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String value = authorization.substring(7).strip();
        int dot = value.indexOf('.');
        if (dot <= 0 || dot == value.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Credential(UUID.fromString(value.substring(0, dot)), value.substring(dot + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
