package io.hawser.console.hosts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A host of the fleet as the console knows it, with the names of the teams that own it. */
public record Host(UUID id, String name, List<String> teams, HostStatus status, String agentVersion, Instant lastSeen) {

    public Host {
        teams = List.copyOf(teams);
    }
}
