package io.hawser.console.hosts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A host of the fleet as the console knows it: the names of the teams that own it, the facts its agent last reported
 * (null until it did), its labels, how many of its containers run, and the summed CPU and memory use of their last stats.
 */
public record Host(UUID id, String name, List<String> teams, HostStatus status, String agentVersion, Instant lastSeen,
                   String hostname, String kernelVersion, String cgroupVersion, Integer cpus, Long memoryBytes,
                   int runningContainers, int totalContainers, Double cpuPercent, Long memoryUsage,
                   Map<String, String> labels) {

    public Host {
        teams = List.copyOf(teams);
        labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels)); // shown sorted by key
    }
}
