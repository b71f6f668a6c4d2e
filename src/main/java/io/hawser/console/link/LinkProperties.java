package io.hawser.console.link;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code hawser.link.*}.
 *
 * @param timeout a linked host from which nothing (pings included) arrived for this long is UNREACHABLE
 * @param pingInterval how often the console pings each agent (the agent pings as often)
 * @param eventRetention fleet events older than this are deleted
 */
@ConfigurationProperties(prefix = "hawser.link")
public record LinkProperties(
        @DefaultValue("12s") Duration timeout,
        @DefaultValue("5s") Duration pingInterval,
        @DefaultValue("30d") Duration eventRetention) {

    public LinkProperties {
        if (timeout.isNegative() || timeout.isZero() || pingInterval.isNegative() || pingInterval.isZero()
                || eventRetention.isNegative() || eventRetention.isZero()) {
            throw new IllegalArgumentException("hawser.link.timeout, ping-interval and event-retention must be positive");
        }
    }
}
