package io.hawser.console.inventory;

import com.fasterxml.jackson.databind.JsonNode;

/** The last stats of one container, as the agent computed them from {@code /containers/{id}/stats}. */
public record StatsRow(String id, Double cpuPercent, Long memoryUsage, Long memoryLimit) {

    public static StatsRow fromLink(JsonNode s) {
        return new StatsRow(s.path("id").asText(),
                s.hasNonNull("cpuPercent") ? s.path("cpuPercent").asDouble() : null,
                s.hasNonNull("memoryUsage") ? s.path("memoryUsage").asLong() : null,
                s.hasNonNull("memoryLimit") ? s.path("memoryLimit").asLong() : null);
    }
}
