package io.hawser.console.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An engine event as the agent's {@code GET /events} streams it (Engine API EventMessage). */
public record FleetEvent(String type, String action, String actorId, String attributesJson, long timeNano) {

    public static FleetEvent fromDocker(JsonNode e) {
        String type = e.path("Type").asText("");
        String action = e.path("Action").asText("");
        if (type.isEmpty() || action.isEmpty()) {
            throw new IllegalArgumentException("event without Type or Action: " + e);
        }
        long nanos = e.path("timeNano").asLong(0);
        if (nanos == 0) {
            nanos = e.path("time").asLong(0) * 1_000_000_000L;
        }
        JsonNode attributes = e.path("Actor").path("Attributes");
        return new FleetEvent(type, action, e.path("Actor").path("ID").asText(""),
                attributes.isObject() ? attributes.toString() : "{}", nanos);
    }

    public Instant time() {
        return Instant.ofEpochSecond(0, timeNano);
    }
}
