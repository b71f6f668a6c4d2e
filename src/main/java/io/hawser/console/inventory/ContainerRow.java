package io.hawser.console.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A container as the agent's {@code GET /containers/json?all=1} lists it (Engine API ContainerSummary), reduced to
 * what the inventory keeps. Labels and ports stay JSON text, as the agent sent them.
 */
public record ContainerRow(String id, String name, String image, String imageId, String command, String state,
                           String status, String labelsJson, String portsJson, Instant created) {

    public static ContainerRow fromDocker(JsonNode c) {
        String id = c.path("Id").asText("");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("container without an Id: " + c);
        }
        // dockerd lists names with a leading slash ("/web"); the first is the container's own name.
        String name = c.path("Names").path(0).asText("");
        if (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            name = id.substring(0, Math.min(12, id.length()));
        }
        JsonNode labels = c.path("Labels");
        JsonNode ports = c.path("Ports");
        long created = c.path("Created").asLong(0);
        return new ContainerRow(id, name, c.path("Image").asText(""), c.path("ImageID").asText(""),
                c.path("Command").asText(""), c.path("State").asText(""), c.path("Status").asText(""),
                labels.isObject() ? labels.toString() : "{}", ports.isArray() ? ports.toString() : "[]",
                created > 0 ? Instant.ofEpochSecond(created) : null);
    }
}
