package io.hawser.console.link;

import io.hawser.console.inventory.InventoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * Marks hosts UNREACHABLE once nothing arrived from them for {@code hawser.link.timeout} (12 s by default, so a host is
 * shown unreachable within 15 s of going quiet: the check runs every second; both sides
 * ping every 5 s). A link of this replica that went quiet is closed (it may be half-open: the agent will dial again);
 * hosts with no link here are judged by {@code last_seen_at}, which whichever replica holds their link keeps fresh.
 */
@Component
class UnreachableDetector {

    private static final Logger LOG = Logger.getLogger(UnreachableDetector.class.getName());

    private final LinkRegistry registry;
    private final InventoryStore store;
    private final Clock clock;
    private final Duration timeout;

    UnreachableDetector(LinkRegistry registry, InventoryStore store, Clock clock, LinkProperties properties) {
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        this.timeout = properties.timeout();
    }

    @Scheduled(fixedDelayString = "PT1S", initialDelayString = "PT1S")
    void check() {
        Instant cutoff = clock.instant().minus(timeout);
        List<UUID> live = new ArrayList<>();
        for (AgentLink link : registry.all()) {
            if (link.lastReceived().isBefore(cutoff)) {
                LOG.warning("host " + link.hostId() + ": nothing received for " + timeout + ", closing its link");
                link.close(CloseStatus.GOING_AWAY.withReason("nothing received for " + timeout));
                registry.unregister(link);
            } else if (link.isOpen()) {
                live.add(link.hostId());
            }
        }
        int marked = store.markUnreachable(cutoff, live);
        if (marked > 0) {
            LOG.info(marked + " host(s) now unreachable");
        }
    }
}
