package io.hawser.console.events;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * What the fleet's event log is narrowed to; every part is optional (null or blank: no restriction). {@code type} is
 * one of the Engine API's object types the agents report ({@link #TYPES}); {@code container} is a container's name, its
 * full id or an id prefix, and narrows to container events as {@code docker events --filter container=} does;
 * {@code since} is inclusive and {@code until} exclusive.
 *
 * @throws IllegalArgumentException for an unknown type, or {@code since} not before {@code until}
 */
public record EventQuery(UUID hostId, String type, String container, String action, Instant since, Instant until) {

    /** The event types an agent reports (Engine API EventMessage.Type). */
    public static final Set<String> TYPES = Set.of("container", "image", "network", "volume");
    public static final EventQuery ALL = new EventQuery(null, null, null, null, null, null);

    public EventQuery {
        type = blankToNull(type);
        container = blankToNull(container);
        action = blankToNull(action);
        if (type != null) {
            type = type.toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("unknown event type '" + type + "': one of container, image, network, volume");
            }
        }
        if (container != null && container.length() > 256) {
            throw new IllegalArgumentException("a container name or id has at most 256 characters");
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until");
        }
    }

    public EventQuery withHost(UUID h) {
        return new EventQuery(h, type, container, action, since, until);
    }

    public EventQuery withType(String t) {
        return new EventQuery(hostId, t, container, action, since, until);
    }

    public EventQuery withContainer(String c) {
        return new EventQuery(hostId, type, c, action, since, until);
    }

    public EventQuery withAction(String a) {
        return new EventQuery(hostId, type, container, a, since, until);
    }

    public EventQuery withSince(Instant s) {
        return new EventQuery(hostId, type, container, action, s, until);
    }

    public EventQuery withUntil(Instant u) {
        return new EventQuery(hostId, type, container, action, since, u);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
