package io.hawser.console.link;

import io.hawser.console.inventory.InventoryStore;
import java.time.Clock;
import java.time.Duration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes fleet events older than {@code hawser.link.event-retention} (30 days by default), hourly. */
@Component
class EventRetention {

    private final InventoryStore store;
    private final Clock clock;
    private final Duration retention;

    EventRetention(InventoryStore store, Clock clock, LinkProperties properties) {
        this.store = store;
        this.clock = clock;
        this.retention = properties.eventRetention();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT2M")
    int prune() {
        return store.deleteEventsBefore(clock.instant().minus(retention));
    }
}
