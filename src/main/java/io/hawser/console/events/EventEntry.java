package io.hawser.console.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One engine event of one host, as the inventory recorded it: the agent's own time, the object's type and id (a
 * container's, an image's, ...), the action, and the event's attributes ({@code name}, {@code image}, {@code exitCode},
 * labels...).
 */
public record EventEntry(long id, UUID hostId, String hostName, Instant time, String type, String action,
                         String actorId, Map<String, String> attributes) {

    public EventEntry {
        attributes = Map.copyOf(attributes);
    }

    /** The object's name when the agent gave one (containers, volumes), else its short id. */
    public String actorName() {
        String name = attributes.get("name");
        if (name != null && !name.isEmpty()) {
            return name;
        }
        String id = actorId.startsWith("sha256:") ? actorId.substring(7) : actorId;
        return id.length() == 64 ? id.substring(0, 12) : actorId;
    }
}
