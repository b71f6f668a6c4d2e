package io.hawser.console.containers.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.containers.FleetContainer;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A container of the fleet list as the REST API shows it (docs/api.md); field names are part of the API. Stats are
 * null until the host's agent sent some.
 */
@Schema(name = "FleetContainer", description = "A container on a host of the fleet, as the inventory last saw it")
record ContainerJson(
        UUID hostId,
        String hostName,
        @Schema(description = "the container's full id (64 hex digits)") String id,
        String name,
        String image,
        String command,
        @Schema(example = "running", description = "created, running, paused, restarting, removing, exited or dead") String state,
        @Schema(example = "Up 5 minutes") String status,
        Map<String, String> labels,
        Instant created,
        Double cpuPercent,
        Long memoryUsage,
        Long memoryLimit) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() { };

    static ContainerJson of(FleetContainer c) {
        Map<String, String> labels;
        try {
            labels = c.labelsJson() == null ? Map.of() : JSON.readValue(c.labelsJson(), LABELS);
        } catch (JsonProcessingException e) {
            labels = Map.of(); // labels are strings by the Engine API; a jsonb column holds valid JSON
        }
        return new ContainerJson(c.hostId(), c.hostName(), c.id(), c.name(), c.image(), c.command(), c.state(),
                c.status(), labels, c.created(), c.cpuPercent(), c.memoryUsage(), c.memoryLimit());
    }
}
