package io.hawser.console.link;

import io.hawser.console.hosts.HostRemovedEvent;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.socket.CloseStatus;

/**
 * The links held by this console replica, one per host: a host that reconnects replaces its old link (which may be
 * half-open still). Pings every link so that both sides see traffic on a quiet link.
 */
@Component
public class LinkRegistry {

    private final Map<UUID, AgentLink> links = new ConcurrentHashMap<>();

    void register(AgentLink link) {
        AgentLink old = links.put(link.hostId(), link);
        if (old != null && old != link) {
            old.close(CloseStatus.NORMAL.withReason("replaced by a new link"));
        }
    }

    void unregister(AgentLink link) {
        links.remove(link.hostId(), link);
    }

    public Optional<AgentLink> link(UUID hostId) {
        return Optional.ofNullable(links.get(hostId)).filter(AgentLink::isOpen);
    }

    public Collection<AgentLink> all() {
        return List.copyOf(links.values());
    }

    /** Closes the link of a host that an admin removed: its credential is gone with it. */
    @TransactionalEventListener
    void onHostRemoved(HostRemovedEvent removed) {
        AgentLink link = links.remove(removed.hostId());
        if (link != null) {
            link.close(CloseStatus.POLICY_VIOLATION.withReason("host removed"));
        }
    }

    @Scheduled(fixedRateString = "${hawser.link.ping-interval:5s}")
    void pingAll() {
        for (AgentLink link : all()) {
            try {
                link.sendControl(Map.of("type", "ping"));
            } catch (IOException | IllegalStateException e) {
                // a broken link ends by itself; the unreachable detector marks it
            }
        }
    }
}
