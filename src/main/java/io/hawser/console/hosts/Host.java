package io.hawser.console.hosts;

import java.time.Instant;
import java.util.UUID;

/** A host of the fleet as the console knows it. */
public record Host(UUID id, String name, String team, HostStatus status, String agentVersion, Instant lastSeen) {
}
