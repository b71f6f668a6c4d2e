package io.hawser.console.link;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The agent link's WebSocket endpoint, {@code /agent-link}. Vaadin's push (Atmosphere) shares Tomcat's WebSocket
 * container; this only adds a handler at its own path, excluded from Vaadin's servlet (vaadin.exclude-urls).
 */
@Configuration
@EnableWebSocket
class LinkConfiguration implements WebSocketConfigurer {

    /**
     * The largest link message the console accepts: an inventory of a few thousand containers is a few MB of JSON in
     * one control message. Messages are assembled by {@link AgentLinkHandler} from parts, so this much is held only
     * while such a message arrives.
     */
    static final int MAX_MESSAGE = 64 * 1024 * 1024;
    /**
     * Tomcat's per-session receive buffer. Tomcat allocates it whole for every session when the session opens, so a
     * buffer of MAX_MESSAGE cost 64 MB of heap per linked host (bench/fleet.sh: 1.4 GB live heap for 20 hosts). A data
     * frame (32 KiB of payload plus its header) fits, so tunnels arrive in one part.
     */
    static final int RECEIVE_BUFFER = 64 * 1024;

    private final AgentLinkHandler handler;
    private final AgentHandshakeInterceptor handshake;

    LinkConfiguration(AgentLinkHandler handler, AgentHandshakeInterceptor handshake) {
        this.handler = handler;
        this.handshake = handshake;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/agent-link").addInterceptors(handshake);
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxBinaryMessageBufferSize(RECEIVE_BUFFER);
        return container;
    }

    @Bean
    @ConditionalOnMissingBean
    static Clock clock() {
        return Clock.systemUTC();
    }
}
