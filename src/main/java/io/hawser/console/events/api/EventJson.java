package io.hawser.console.events.api;

import io.hawser.console.events.EventEntry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** An engine event of one host as the REST API shows it (docs/api.md); field names are part of the API. */
@Schema(name = "FleetEvent", description = "An engine event of a host of the fleet")
record EventJson(
        @Schema(description = "the console's id of the event; newer events have larger ids on the same host") long id,
        UUID hostId,
        String hostName,
        @Schema(description = "when it happened, by the agent's clock (nanosecond precision)") Instant time,
        @Schema(allowableValues = {"container", "image", "network", "volume"}) String type,
        @Schema(example = "start") String action,
        @Schema(description = "the object's id: a container's 64 hex digits, an image's sha256:...") String actorId,
        @Schema(description = "the object's name when it has one, else its short id") String actorName,
        @Schema(description = "the event's attributes as the agent reported them (name, image, exitCode, labels...)")
        Map<String, String> attributes) {

    static EventJson of(EventEntry e) {
        return new EventJson(e.id(), e.hostId(), e.hostName(), e.time(), e.type(), e.action(), e.actorId(),
                e.actorName(), new TreeMap<>(e.attributes()));
    }
}
