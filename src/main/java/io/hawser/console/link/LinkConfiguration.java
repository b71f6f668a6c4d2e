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

    /** An inventory of a few thousand containers is a few MB of JSON in one control message. */
    static final int MAX_MESSAGE = 64 * 1024 * 1024;

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
        container.setMaxBinaryMessageBufferSize(MAX_MESSAGE);
        return container;
    }

    @Bean
    @ConditionalOnMissingBean
    static Clock clock() {
        return Clock.systemUTC();
    }
}
