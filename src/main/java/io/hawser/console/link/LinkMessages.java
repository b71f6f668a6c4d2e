package io.hawser.console.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.console.inventory.ContainerRow;
import io.hawser.console.inventory.FleetEvent;
import io.hawser.console.inventory.HostFacts;
import io.hawser.console.inventory.ImageRow;
import io.hawser.console.inventory.InventoryStore;
import io.hawser.console.inventory.StatsRow;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import org.springframework.stereotype.Component;

/**
 * The control channel's messages from agents (JSON objects with a {@code type}):
 * <ul>
 * <li>{@code hello} {@code {agentVersion, facts: {hostname, kernelVersion, operatingSystem, cgroupVersion, cpus,
 *     memoryBytes}}}: the host is ONLINE with these facts;</li>
 * <li>{@code inventory} {@code {containers: [ContainerSummary], images: [ImageSummary]}}: replaces the host's rows;</li>
 * <li>{@code event} {@code {event: EventMessage, container?: ContainerSummary, containerGone?: bool,
 *     images?: [ImageSummary]}}: recorded, and what it changed applied;</li>
 * <li>{@code stats} {@code {stats: [{id, cpuPercent, memoryUsage, memoryLimit}]}}: the containers' last stats;</li>
 * <li>{@code ping} (answered {@code pong}) and {@code pong}.</li>
 * </ul>
 * Anything received also counts as a sign of life; the host's {@code last_seen_at} is written at most every
 * {@link #TOUCH_EVERY}.
 */
@Component
class LinkMessages {

    private static final Logger LOG = Logger.getLogger(LinkMessages.class.getName());
    static final Duration TOUCH_EVERY = Duration.ofSeconds(2);

    private final InventoryStore inventory;
    private final Clock clock;

    LinkMessages(InventoryStore inventory, Clock clock) {
        this.inventory = inventory;
        this.clock = clock;
    }

    void handle(AgentLink link, JsonNode message) {
        Instant now = clock.instant();
        String type = message.path("type").asText("");
        switch (type) {
            case "hello" -> inventory.hostOnline(link.hostId(), HostFacts.fromHello(message), now);
            case "inventory" -> inventory.reconcile(link.hostId(), list(message.path("containers"), ContainerRow::fromDocker),
                    list(message.path("images"), ImageRow::fromDocker), now);
            case "event" -> {
                JsonNode container = message.path("container");
                inventory.recordEvent(link.hostId(), FleetEvent.fromDocker(message.path("event")),
                        container.isObject() ? ContainerRow.fromDocker(container) : null,
                        message.path("containerGone").asBoolean(false), now);
                if (message.path("images").isArray()) {
                    inventory.reconcileImages(link.hostId(), list(message.path("images"), ImageRow::fromDocker), now);
                }
            }
            case "stats" -> inventory.updateStats(link.hostId(), list(message.path("stats"), StatsRow::fromLink), now);
            case "ping" -> {
                try {
                    link.sendControl(Map.of("type", "pong"));
                } catch (IOException e) {
                    LOG.fine("pong to host " + link.hostId() + ": " + e.getMessage());
                }
            }
            case "pong" -> { }
            default -> LOG.warning("host " + link.hostId() + ": unknown control message type '" + type + "'");
        }
        touch(link, now, type.equals("hello"));
    }

    private void touch(AgentLink link, Instant now, boolean justWritten) {
        Instant last = link.lastTouched;
        if (justWritten || last == null || !now.isBefore(last.plus(TOUCH_EVERY))) {
            link.lastTouched = now;
            if (!justWritten && link.isOpen()) {
                inventory.touch(link.hostId(), now);
            }
        }
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> parse) {
        List<T> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(parse.apply(item));
        }
        return out;
    }
}
