package io.hawser.console.containers;

import java.time.Instant;
import java.util.UUID;

/** One container on one host of the fleet, as the inventory last saw it, with its last stats (null before any). */
public record FleetContainer(UUID hostId, String hostName, String id, String name, String image, String command,
                             String state, String status, String labelsJson, Instant created, Double cpuPercent,
                             Long memoryUsage, Long memoryLimit) {

    public ContainerRef ref() {
        return new ContainerRef(hostId, id);
    }

    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }
}
