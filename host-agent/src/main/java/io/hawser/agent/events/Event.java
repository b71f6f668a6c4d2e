package io.hawser.agent.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One engine event, as {@code GET /events} reports it: what kind of object (type), what happened to it (action),
 * which object (actor id and attributes, e.g. name and image for a container), and when.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/System/operation/SystemEvents">SystemEvents</a>
 */
public record Event(Type type, String action, String actorId, Map<String, String> attributes, Instant time) {

    /** The object kinds the agent reports; {@code wire()} is the Engine API's lower-case name. */
    public enum Type {
        CONTAINER, IMAGE, VOLUME, NETWORK, DAEMON;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actorId, "actorId");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(time, "time");
    }
}
