package io.hawser.console.link;

import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * The Docker Engine API of any linked host: {@code hostApi.forHost(id).get("/containers/json?all=1")}. Requests go
 * through the host's link on this replica; forwarding to the replica that holds another host's link is later work.
 * Callers authorise first (this class does not know who asks).
 */
@Service
public class HostApi {

    private final LinkRegistry links;

    HostApi(LinkRegistry links) {
        this.links = links;
    }

    /** @throws HostNotConnectedException when the host has no link here */
    public HostClient forHost(UUID hostId) {
        AgentLink link = links.link(hostId).orElseThrow(() -> new HostNotConnectedException(hostId));
        return new HostClient(hostId, link);
    }

    public boolean isConnected(UUID hostId) {
        return links.link(hostId).isPresent();
    }
}
