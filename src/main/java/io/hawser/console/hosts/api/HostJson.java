package io.hawser.console.hosts.api;

import io.hawser.console.hosts.Host;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A host as the REST API shows it (docs/api.md); field names are part of the API and stay as they are. Facts are null
 * until the host's agent first reported them.
 */
@Schema(name = "Host", description = "A host of the fleet")
record HostJson(
        UUID id,
        String name,
        @Schema(description = "names of the teams that own the host") List<String> teams,
        @Schema(allowableValues = {"PENDING", "ONLINE", "UNREACHABLE"}) String status,
        String agentVersion,
        @Schema(description = "when the agent last sent anything") Instant lastSeen,
        String hostname,
        String kernelVersion,
        @Schema(allowableValues = {"1", "2"}) String cgroupVersion,
        Integer cpus,
        Long memoryBytes,
        int runningContainers,
        int totalContainers,
        @Schema(description = "summed CPU use of the running containers, in percent of one CPU") Double cpuPercent,
        @Schema(description = "summed memory use of the running containers, in bytes") Long memoryUsage,
        @Schema(description = "the host's labels, set by an administrator") Map<String, String> labels) {

    static HostJson of(Host h) {
        return new HostJson(h.id(), h.name(), h.teams(), h.status().name(), h.agentVersion(), h.lastSeen(), h.hostname(),
                h.kernelVersion(), h.cgroupVersion(), h.cpus(), h.memoryBytes(), h.runningContainers(),
                h.totalContainers(), h.cpuPercent(), h.memoryUsage(), h.labels());
    }
}
